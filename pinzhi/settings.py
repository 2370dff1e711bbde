"""Settings for Pinzhi.

Everything a deployment changes comes from the environment:
- DATABASE_URL: `sqlite:////abs/path/db.sqlite3` or `postgres://user@host:5432/name`;
  without it, the embedded SQLite database `var/pinzhi.sqlite3` beside the checkout
  (or under PINZHI_VAR).
- PINZHI_SECRET_KEY (else a key generated once into `var/secret_key`), PINZHI_DEBUG=1,
  PINZHI_ALLOWED_HOSTS (comma-separated).
- PINZHI_DATA_KEY (else generated once into `var/data_key`), PINZHI_DATA_KEY_PREVIOUS:
  the key that seals ID and phone numbers at rest (core/sealing.py, docs/security.md).
- Sign-in (docs/security.md): PINZHI_LOCKOUT_FAILURES (5), PINZHI_LOCKOUT_MINUTES (30),
  PINZHI_PASSWORD_PROFILE (dengbao | asvs), PINZHI_PASSWORD_MAX_AGE_DAYS (90 for dengbao,
  0 = never for asvs), PINZHI_SESSION_IDLE_MINUTES (30), PINZHI_TOTP_REQUIRED=1.
"""

import base64
import datetime as dt
import os
import secrets
from pathlib import Path

import dj_database_url

from pinzhi.accounts.passwords import PROFILES as PASSWORD_PROFILES

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("PINZHI_VAR", BASE_DIR.parent / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("PINZHI_SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _data_key() -> str:
    """The key that seals ID and phone numbers (core/sealing.py); never in the database."""
    if key := os.environ.get("PINZHI_DATA_KEY"):
        return key
    path = VAR_DIR / "data_key"
    if not path.exists():
        path.write_text(base64.b64encode(secrets.token_bytes(64)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


PINZHI_DATA_KEY = _data_key()
# While `pinzhi rekey` moves the stored numbers to a new key, the old one still opens them.
PINZHI_DATA_KEY_PREVIOUS = os.environ.get("PINZHI_DATA_KEY_PREVIOUS", "")
DEBUG = os.environ.get("PINZHI_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("PINZHI_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "pinzhi.core",
    "pinzhi.accounts",
    "pinzhi.org",
    "pinzhi.policies",
    "pinzhi.quality",
    "pinzhi.notify",
    "pinzhi.callbacks",
    "pinzhi.receipts",
    "pinzhi.documents",
    "pinzhi.notices",
    "pinzhi.settlement",
    "pinzhi.reports",
    "pinzhi.complaints",
    "pinzhi.training",
    "pinzhi.recruitment",
    "pinzhi.departures",
    "pinzhi.assessments",
    "pinzhi.inspections",
    "pinzhi.grievances",
    "pinzhi.commendations",
    "pinzhi.demo",
    "pinzhi.web",
    "pinzhi.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pinzhi.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # idle timeout, then the second factor, then an expired password (docs/security.md)
    "pinzhi.accounts.middleware.SignInGateMiddleware",
    "pinzhi.web.audit.AuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last: turns a refused sign-in of a locked user into the login page with a message
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pinzhi.urls"
WSGI_APPLICATION = "pinzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "pinzhi.web.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pinzhi.sqlite3'}"),
        conn_max_age=int(os.environ.get("PINZHI_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; a busy timeout instead of
    # "database is locked" when two writers meet.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# -- sign-in (issue 9; docs/security.md) ---------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # Refuses a locked user before the password is even checked (django-axes).
    "pinzhi.accounts.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout: the user (not the address) is locked after PINZHI_LOCKOUT_FAILURES failed
# sign-ins in a row, for PINZHI_LOCKOUT_MINUTES counted from the lock (a try during the
# lock does not prolong it). Attempts are kept in axes' tables; locks and unlocks are events.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = int(os.environ.get("PINZHI_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("PINZHI_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True  # failures in a row: a good sign-in starts the count again
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "pinzhi.accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "pinzhi.core.audit.client_ip"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are in the event log already (core/audit.py)
# Axes warns that a lock by user name alone may be dodged by changing browsers; that holds
# for its IP-and-agent combinations, not here. Locking by address is what the issue rules
# out: a branch's PCs share one address, and one mistyping user would lock the branch.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Password policy: two profiles (pinzhi/accounts/passwords.py): the classified-protection
# profile (等保 2.0: 8+ characters of 3 classes, not the user name, changed every 90 days)
# or OWASP ASVS (12-128 characters, not a common password, no periodic change).
PINZHI_PASSWORD_PROFILE = os.environ.get("PINZHI_PASSWORD_PROFILE", "dengbao")
if PINZHI_PASSWORD_PROFILE not in PASSWORD_PROFILES:
    raise ValueError(f"PINZHI_PASSWORD_PROFILE must be one of {sorted(PASSWORD_PROFILES)}")
AUTH_PASSWORD_VALIDATORS = PASSWORD_PROFILES[PINZHI_PASSWORD_PROFILE]["validators"]
# Days a password is good for; 0: no periodic change. A user whose password is older is
# sent to the password change page after signing in.
PINZHI_PASSWORD_MAX_AGE_DAYS = int(os.environ.get(
    "PINZHI_PASSWORD_MAX_AGE_DAYS",
    str(PASSWORD_PROFILES[PINZHI_PASSWORD_PROFILE]["max_age_days"])))
# Idle timeout: a session unused this long is over (the session is refreshed at most once
# a minute while in use, so the timeout is exact to a minute).
PINZHI_SESSION_IDLE_MINUTES = int(os.environ.get("PINZHI_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = PINZHI_SESSION_IDLE_MINUTES * 60
# Second factor (TOTP, django-otp): administrators, whoever closes settlements and whoever
# edits the violation catalogue enrol and verify an authenticator code after the password.
# Off here (the demo, development); on in the production settings.
PINZHI_TOTP_REQUIRED = os.environ.get("PINZHI_TOTP_REQUIRED", "") == "1"
OTP_TOTP_ISSUER = "Pinzhi"

# Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve app static files without a collectstatic step
WHITENOISE_AUTOREFRESH = DEBUG

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PINZHI_UPLOAD_MAX_BYTES = int(os.environ.get("PINZHI_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
# How agents are told (rules §8.2): the gateway class, and the default one's log file.
PINZHI_MESSAGE_GATEWAY = os.environ.get("PINZHI_MESSAGE_GATEWAY",
                                        "pinzhi.notify.gateways.LogFileGateway")
PINZHI_MESSAGE_LOG = Path(os.environ.get("PINZHI_MESSAGE_LOG", VAR_DIR / "messages.log"))
# Processes of a `pinzhi evaluate` run over every policy on PostgreSQL (None: the cores).
PINZHI_EVALUATE_WORKERS = int(os.environ.get("PINZHI_EVALUATE_WORKERS", "0")) or None
# How old the dashboards' precomputed figures may grow before `pinzhi evaluate` makes them
# again (minutes; reports/snapshot.py). A large company's take about a minute.
PINZHI_FIGURES_EVERY = int(os.environ.get("PINZHI_FIGURES_EVERY", "60"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pinzhi.accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pinzhi API",
    "DESCRIPTION": "Business-quality management for the agency channel (业务品质管理).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",  # served locally: intranets have no internet
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # choice sets of the same field name in several areas, each named once
    "ENUM_NAME_OVERRIDES": {
        "CallbackOutcomeEnum": "pinzhi.callbacks.models.Outcome",
        "RankOutcomeEnum": "pinzhi.assessments.models.Outcome",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PINZHI_LOG_LEVEL", "WARNING")},
}
