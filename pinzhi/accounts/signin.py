"""What signing in asks of a user beyond the password (issue 9): a second factor for the
powerful roles, a password younger than the profile's maximum age. Pure decisions on the
user and the settings; the middleware and views act on them."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Role

PASSWORD_EXPIRED = "pinzhi_password_expired"  # session key, set at sign-in


def second_factor_roles() -> frozenset:
    """Administrators, whoever closes a settlement (rules §6), and whoever edits the
    violation catalogue: head office and, for his subtree, the branch quality officer
    (pinzhi/quality/services.py `_check_catalogue_editor`)."""
    from pinzhi.quality.services import CATALOGUE_ROLES

    return frozenset({Role.ADMIN, *Role.SETTLEMENT_CLOSE, *CATALOGUE_ROLES,
                      Role.QUALITY_OFFICER})


def needs_second_factor(user) -> bool:
    if not settings.PINZHI_TOTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.role in second_factor_roles()


def password_expired(user, *, now: dt.datetime | None = None) -> bool:
    days = settings.PINZHI_PASSWORD_MAX_AGE_DAYS
    if not days or user.password_changed_at is None:
        return False
    return (now or timezone.now()) - user.password_changed_at > dt.timedelta(days=days)
