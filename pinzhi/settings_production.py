"""Production settings: `DJANGO_SETTINGS_MODULE=pinzhi.settings_production`.

The development settings plus what a production run behind nginx over TLS needs; they pass
`pinzhi check --deploy --fail-level WARNING` (tests/deploy/test_settings.py). On top of
pinzhi/settings.py's variables they need (docs/deployment.md):
- PINZHI_SECRET_KEY: required, at least 50 characters of which 5 different, never the
  development key file's (each web server must share the same key, so it comes from the
  environment, not from a file one server generated);
- PINZHI_ALLOWED_HOSTS: required, the names the site answers to (comma-separated);
- PINZHI_CSRF_TRUSTED_ORIGINS: optional, e.g. `https://pinzhi.example.com`, when a proxy
  rewrites the Host header;
- PINZHI_HSTS_SECONDS: optional, default one year.
"""

import os

from django.core.exceptions import ImproperlyConfigured


def _required_secret_key() -> str:
    # Checked before importing the development settings, which would otherwise generate a
    # key into var/secret_key: a key only this server knows logs users out on the others.
    key = os.environ.get("PINZHI_SECRET_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "PINZHI_SECRET_KEY is not set: production needs a secret key from the "
            "environment (e.g. python3 -c 'import secrets; print(secrets.token_urlsafe(50))')")
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "PINZHI_SECRET_KEY is too weak: it needs at least 50 characters, 5 of them "
            "different, and must not start with 'django-insecure-'")
    return key


def _required_hosts() -> list[str]:
    hosts = [h.strip() for h in os.environ.get("PINZHI_ALLOWED_HOSTS", "").split(",")]
    hosts = [h for h in hosts if h]
    if not hosts:
        raise ImproperlyConfigured(
            "PINZHI_ALLOWED_HOSTS is not set: name the host(s) the site answers to, "
            "comma-separated (e.g. pinzhi.example.com)")
    return hosts


def _required_data_key() -> str:
    # Not generated into var/: every server must open the numbers the others sealed, and a
    # key beside the data (or in its backup) protects nothing.
    key = os.environ.get("PINZHI_DATA_KEY", "")
    if not key:
        raise ImproperlyConfigured(
            "PINZHI_DATA_KEY is not set: production needs the key that seals ID and phone "
            "numbers from the environment (`pinzhi datakey` prints a new one); keep it "
            "apart from the database's backups")
    return key


_SECRET_KEY = _required_secret_key()
_DATA_KEY = _required_data_key()
_ALLOWED_HOSTS = _required_hosts()

from pinzhi.settings import *  # noqa: E402, F403
from pinzhi.settings import LOGGING, STORAGES  # noqa: E402

SECRET_KEY = _SECRET_KEY
PINZHI_DATA_KEY = _DATA_KEY
ALLOWED_HOSTS = _ALLOWED_HOSTS
DEBUG = False

# TLS ends at nginx, which tells Django so (deploy/nginx/pinzhi.conf sets the header and
# overwrites any the client sent); every request is redirected to HTTPS and the browser
# told to keep to it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = int(os.environ.get("PINZHI_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("PINZHI_CSRF_TRUSTED_ORIGINS",
                                                          "").split(",") if o.strip()]
# nginx replaces X-Forwarded-For with the address it saw: the audit log records that one.
PINZHI_TRUST_X_FORWARDED_FOR = True
# Every user signs in with a second factor (accounts: TOTP).
PINZHI_TOTP_REQUIRED = True

# No state on the web server (docs/deployment.md, "Several web servers"): sessions are
# rows in the database, and so is the cache (a lockout counter or a throttle kept in one
# process's memory would be per server); `pinzhi createcachetable` makes its table.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pinzhi_cache",
    }
}

# Static files are collected at release time (`pinzhi collectstatic`) under content-hashed
# names, compressed, and served by WhiteNoise with far-future caching: each web server
# carries the same copy, built from the release, not state of its own.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Logs to standard output, one line each, for journald (systemd) to keep.
LOGGING = {
    **LOGGING,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PINZHI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
