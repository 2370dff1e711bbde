"""Lockout after repeated failed sign-ins (issue 9), on django-axes.

Axes counts failures per user name (settings AXES_*: 5 in a row lock the user for 30
minutes). This module adds what Pinzhi needs around it: the backend that tolerates a
sign-in without a request (a command, the test client), the audit rows for a lock and an
unlock, and the unlock service behind `pinzhi unlock` and the admin.
"""

from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.signals import user_locked_out
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_noop

from pinzhi.core.audit import audit
from pinzhi.core.refusals import Refused

from .models import Role, User


class LockoutRefused(Refused):
    pass


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check, except without a request: a sign-in from code (a management command,
    the test client's login()) has no client to lock out, so it is left to the next
    backend. Every sign-in over HTTP (the login page, the admin) passes the request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, get_credentials(username))


@receiver(user_locked_out)
def _record_lock(sender, request, username, ip_address, **kwargs):
    """One row when the lock falls. Axes sends the signal again for every try during the
    lock; those are already logged as failed sign-ins (core/audit.py): a try during the
    lock has no failure count (axes counts only the failure that locks)."""
    if getattr(request, "axes_failures_since_start", None) is None:
        return
    user = User.objects.filter(username=username).first()
    audit(action="auth.locked", actor=None, kind="user", key=username or "",
          data={"failures": request.axes_failures_since_start,
                "minutes": lockout_minutes(), "known_user": user is not None},
          request=request)


def unlock(*, username: str, by, via: str, request=None) -> int:
    """Lift the lock of a user name (and forget its failures) before the time is up.
    Only an administrator may; returns how many attempt records were removed."""
    if by is None or not by.has_role({Role.ADMIN}):
        raise LockoutRefused(gettext_noop("%(user)s may not unlock users"), user=by)
    with transaction.atomic():
        removed = reset(username=username)
        audit(action="auth.unlocked", actor=by, kind="user", key=username,
              data={"attempts": removed, "via": via}, request=request)
    return removed
