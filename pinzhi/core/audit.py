"""The audit trail (issue 9) is the event log (core.Event): every login, refusal, export,
unmask, case transition, settlement action and rule change is a row with who, when, from
where and what. Rows are added, never changed; the database keeps them at least 6 months
(migration 0003). This module adds what is not a service's own change: sign-ins and
failed sign-ins (Django's auth signals), with the client's address, and every change
made in the admin (its LogEntry: users, parameters, the calendar, catalogue versions,
ranks, objectives), with who and from where."""

from contextvars import ContextVar

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import signals
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Event

# The request being served (set by web.audit.AuditMiddleware): where a change made through
# the admin came from.
current_request: ContextVar = ContextVar("pinzhi_current_request", default=None)
ADMIN_ACTIONS = {1: "added", 2: "changed", 3: "deleted"}


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a proxy we trust
    (`PINZHI_TRUST_X_FORWARDED_FOR`) the last address of X-Forwarded-For: the one our
    proxy added (a client may put anything before it)."""
    if request is None:
        return None
    meta = request.META
    if getattr(settings, "PINZHI_TRUST_X_FORWARDED_FOR", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return meta.get("REMOTE_ADDR") or None


def audit(*, action: str, actor=None, kind: str = "", key: str = "", data=None,
          request=None) -> Event:
    """One audit row; `request` gives the address (and the user when `actor` is None)."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    return Event.objects.create(action=action, actor=actor, kind=kind, key=key[:120],
                                data=data or {}, ip=client_ip(request))


@receiver(signals.user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit(action="auth.login", actor=user, kind="user", key=user.get_username(),
          request=request)


@receiver(signals.user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(action="auth.logout", actor=user, kind="user", key=user.get_username(),
              request=request)


@receiver(signals.user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))
    audit(action="auth.login_failed", kind="user", key=username, request=request)


@receiver(post_save, sender=LogEntry)
def _admin_change(sender, instance, created, **kwargs):
    if not created:
        return
    model = instance.content_type.model if instance.content_type_id else ""
    audit(action=f"admin.{ADMIN_ACTIONS.get(instance.action_flag, 'changed')}",
          actor=instance.user, kind=model, key=instance.object_repr,
          data={"change": instance.get_change_message()[:500],
                "object_id": instance.object_id or ""},
          request=current_request.get())
