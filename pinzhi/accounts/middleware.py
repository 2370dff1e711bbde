"""The gate every signed-in request passes (issue 9; docs/security.md):

1. idle timeout: the session lives PINZHI_SESSION_IDLE_MINUTES past its last save
   (SESSION_COOKIE_AGE); here it is saved again at most once a minute while in use, so an
   active user stays signed in and an idle one is signed out, without a write per request.
   The moment of that save is kept in the session too (from the sign-in on), and a
   session found idle longer than that is ended here as well, should its store keep it.
2. the second factor: with PINZHI_TOTP_REQUIRED, a user of the powerful roles who has not
   verified a TOTP code in this session is sent to enrol or to verify, before any page.
3. an expired password (flagged at sign-in) sends the user to the password change page.

API requests authenticated by a token are not concerned: DRF authenticates them after the
middleware, which sees an anonymous request.
"""

import time

from django.conf import settings
from django.contrib.auth import logout, signals
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pinzhi.core.audit import audit

from .signin import PASSWORD_EXPIRED, needs_second_factor

SEEN = "pinzhi_seen"  # session key: when the session was last saved by this middleware
REFRESH_SECONDS = 60


def _open_paths() -> tuple[str, ...]:
    """Paths a user who still owes a step may reach: the steps themselves and sign-out."""
    return (reverse("login"), reverse("logout"), reverse("account-totp-setup"),
            reverse("account-totp-verify"), reverse("password_change"), "/i18n/",
            "/" + settings.STATIC_URL.lstrip("/"))


class SignInGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if not self._keep_alive(request):
            return self.get_response(request)
        if not request.path.startswith(_open_paths()):
            step = self._step_owed(request, user)
            if step is not None:
                return self._send_to(request, step)
        return self.get_response(request)

    @staticmethod
    def _keep_alive(request) -> bool:
        """False when the session was idle too long (the user is signed out)."""
        now = int(time.time())
        seen = request.session.get(SEEN, now - REFRESH_SECONDS)
        if now - seen > settings.PINZHI_SESSION_IDLE_MINUTES * 60:
            user = request.user
            logout(request)
            audit(action="auth.idle_timeout", actor=user, kind="user",
                  key=user.get_username(), request=request, data={"idle_seconds": now - seen})
            return False
        if now - seen >= REFRESH_SECONDS:  # never backwards: a clock moved back keeps it
            request.session[SEEN] = now  # modified: saved again with a new expiry
        return True

    @staticmethod
    def _step_owed(request, user) -> str | None:
        if needs_second_factor(user) and not user.is_verified():
            has_device = user.totpdevice_set.filter(confirmed=True).exists()
            return "account-totp-verify" if has_device else "account-totp-setup"
        if request.session.get(PASSWORD_EXPIRED):
            return "password_change"
        return None

    @staticmethod
    def _send_to(request, step: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Finish signing in on the web page first.")},
                                status=403)
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")


@receiver(signals.user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SEEN] = int(time.time())
