"""The password policy: two profiles of Django password validators (docs/security.md).

- `dengbao`, the default: China's classified protection of information systems (等级保护
  2.0, GB/T 22239-2019 §8.1.4.1 a: "口令具有复杂度要求并定期更换"), as assessors read it:
  at least 8 characters of at least 3 of the 4 classes (upper case, lower case, digits,
  symbols), not containing the user name, changed every 90 days.
- `asvs`: OWASP ASVS 4.0.3 §2.1 (after NIST SP 800-63B): at least 12 characters, at most
  128, no composition rules, not a common password, no periodic change.

Settings read PROFILES before Django is set up: this module imports nothing that needs
settings at import time.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

_DJANGO = "django.contrib.auth.password_validation."
_OURS = "pinzhi.accounts.passwords."

PROFILES = {
    "dengbao": {
        "validators": [
            {"NAME": _DJANGO + "MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
            {"NAME": _OURS + "MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
            {"NAME": _OURS + "CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
            {"NAME": _OURS + "NotUsernameValidator"},
        ],
        "max_age_days": 90,
    },
    "asvs": {
        "validators": [
            {"NAME": _DJANGO + "MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
            {"NAME": _OURS + "MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
            {"NAME": _DJANGO + "CommonPasswordValidator"},
        ],
        "max_age_days": 0,
    },
}

CLASSES = (
    ("upper", lambda ch: ch.isupper()),
    ("lower", lambda ch: ch.islower()),
    ("digit", lambda ch: ch.isdigit()),
    # anything else counts as a symbol: punctuation, space, CJK characters
    ("symbol", lambda ch: not (ch.isupper() or ch.islower() or ch.isdigit())),
)


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses."""
    return {name for name, test in CLASSES if any(test(ch) for ch in password)}


class CharacterClassesValidator:
    """At least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple",
                                  params={"min_classes": self.min_classes})

    def get_help_text(self):
        return ngettext(
            "Your password must mix at least %(min_classes)d kind of characters: "
            "upper-case letters, lower-case letters, digits and symbols.",
            "Your password must mix at least %(min_classes)d kinds of characters: "
            "upper-case letters, lower-case letters, digits and symbols.",
            self.min_classes,
        ) % {"min_classes": self.min_classes}


class NotUsernameValidator:
    """The user name may not appear in the password, in any case or reversed."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if not username:
            return
        folded, name = password.casefold(), username.casefold()
        if name in folded or name[::-1] in folded:
            raise ValidationError(_("Your password may not contain your user name."),
                                  code="password_contains_username")

    def get_help_text(self):
        return _("Your password may not contain your user name.")


class MaximumLengthValidator:
    """A cap keeps hashing cheap for an attacker's megabyte-long tries (ASVS 2.1.2)."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(self.get_help_text(), code="password_too_long",
                                  params={"max_length": self.max_length})

    def get_help_text(self):
        return _("Your password may have at most %(max_length)d characters.") % {
            "max_length": self.max_length}
