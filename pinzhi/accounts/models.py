"""Users, their roles and scope in the tree (rules §9), and API tokens for systems."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("system administrator")
    HQ_QUALITY = "hq_quality", _("head-office quality")
    QUALITY_OFFICER = "quality_officer", _("branch quality officer")
    SALES_ADMIN = "sales_admin", _("sales administration")
    CLERK = "clerk", _("branch clerk")
    OPERATOR = "operator", _("callback operator")
    MANAGER = "manager", _("manager")
    AGENT = "agent", _("agent")
    SYSTEM = "system", _("HR or payroll system")


# Scope (rules §9). The callback operator's scope is his unit's subtree until the call
# queue (assigned work) narrows it.
Role.ALL_SCOPE = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.SYSTEM})
Role.SUBTREE_SCOPE = frozenset(
    {Role.QUALITY_OFFICER, Role.SALES_ADMIN, Role.CLERK, Role.OPERATOR, Role.MANAGER}
)
CALLBACK_FEEDS = ("callback_attempts", "contact_updates", "callback_requests")
CALLBACK_FACTS = ("callback_attempt", "contact_update", "callback_request")
PAPER_FEEDS = ("receipts", "valuable_documents", "notices")  # rules §5, §7.3, §7.4
PAPER_FACTS = ("receipt", "valuable_document", "notice")
TRAINING_FEEDS = ("training_sessions", "training_attendance")  # issue 8
# issue 8: the agent's lifecycle, inspections, his own voice and merits
PEOPLE_FEEDS = ("recruitment_checks", "departures", "commendations", "grievances",
                "rank_decisions")
INSPECTION_FEEDS = ("inspection_findings",)
# Who may load files, and which kinds (the web upload and `pinzhi import --by`).
Role.IMPORTS = {
    Role.ADMIN: {"units", "agents", "products", "policies", "cases", *CALLBACK_FEEDS,
                 *PAPER_FEEDS, "renewals", "complaints", *TRAINING_FEEDS, *PEOPLE_FEEDS,
                 *INSPECTION_FEEDS},
    Role.HQ_QUALITY: {"units", "agents", "products", "policies", "cases", *CALLBACK_FEEDS,
                      *PAPER_FEEDS, "renewals", "complaints", *TRAINING_FEEDS,
                      *INSPECTION_FEEDS, "commendations", "grievances", "rank_decisions"},
    Role.QUALITY_OFFICER: {"policies", "cases", *CALLBACK_FEEDS, *PAPER_FEEDS, "complaints",
                           *TRAINING_FEEDS, *INSPECTION_FEEDS},
    Role.SALES_ADMIN: {*PEOPLE_FEEDS},
    Role.CLERK: {"policies", *PAPER_FEEDS, *TRAINING_FEEDS},
}
# Who may void a recorded fact of these kinds.
INSPECTION_FACTS = ("inspection_plan", "inspection_finding")  # issue 8
RECRUITMENT_FACTS = ("candidate", "recruitment_check")  # issue 8
PEOPLE_FACTS = ("grievance", "commendation")  # issue 8
Role.VOIDS = {
    Role.ADMIN: {"unit", "agent", "product", "policy", "case", *CALLBACK_FACTS,
                 *PAPER_FACTS, "renewal", *INSPECTION_FACTS, *RECRUITMENT_FACTS,
                 *PEOPLE_FACTS},
    Role.HQ_QUALITY: {"agent", "policy", "case", *CALLBACK_FACTS, *PAPER_FACTS, "renewal",
                      *INSPECTION_FACTS, *PEOPLE_FACTS},
    Role.QUALITY_OFFICER: {"policy", "case", *CALLBACK_FACTS, *PAPER_FACTS,
                           *INSPECTION_FACTS},
    Role.SALES_ADMIN: {*RECRUITMENT_FACTS, "commendation"},
    Role.CLERK: {*PAPER_FACTS},
}
# The monthly settlement (rules §6): who computes a draft, who closes it (a second
# person), who records a correction after closing, and who reads the branch's months
# (in his scope; an agent reads his own statement).
Role.SETTLEMENT_COMPUTE = frozenset({Role.ADMIN, Role.SALES_ADMIN, Role.QUALITY_OFFICER})
Role.SETTLEMENT_CLOSE = frozenset({Role.ADMIN, Role.SALES_ADMIN})
Role.SETTLEMENT_ADJUST = frozenset({Role.ADMIN, Role.SALES_ADMIN})
Role.SETTLEMENT_VIEW = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER,
                                  Role.SALES_ADMIN, Role.MANAGER, Role.SYSTEM})
# Customer complaints (issue 8): who records one received, who handles one (decides,
# extends; never one with a stake in it), and who approves a second extension or decides
# a review (the senior level: head office).
Role.COMPLAINTS_RECEIVE = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER,
                                     Role.CLERK, Role.OPERATOR})
Role.COMPLAINTS_HANDLE = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER})
Role.COMPLAINTS_SENIOR = frozenset({Role.ADMIN, Role.HQ_QUALITY})
# Training (issue 8): who records sessions and attendance (in their scope).
Role.TRAINING_RECORD = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER,
                                  Role.CLERK})
# The agent's lifecycle (issue 8): who records recruitment checks and signs the agency
# contract, who decides the half-year rank assessment, who records a departure and its
# tasks (the clerk takes back the valuable documents).
Role.RECRUIT = frozenset({Role.ADMIN, Role.SALES_ADMIN})
Role.ASSESS = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.SALES_ADMIN})
Role.DEPARTURE = frozenset({Role.ADMIN, Role.SALES_ADMIN, Role.CLERK})
# Inspections (issue 8): who plans them and records findings; a finding's owner (any
# staff user in scope) records its rectification.
Role.INSPECT = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER})
# The agent's own voice and merits (issue 8): who handles an agent's grievance (never
# one with a stake in it), who records a commendation.
Role.GRIEVANCE_HANDLE = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER,
                                   Role.SALES_ADMIN})
Role.COMMEND = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.SALES_ADMIN})
# Who may see a full ID number or phone number (each view is logged).
Role.UNMASK = frozenset({Role.ADMIN, Role.HQ_QUALITY, Role.QUALITY_OFFICER, Role.OPERATOR})


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="users",
        verbose_name=_("unit (scope)"),
    )
    agent = models.OneToOneField(
        "org.Agent", null=True, blank=True, on_delete=models.PROTECT, related_name="user",
        verbose_name=_("agent record"),
        help_text=_("For agents, and for team managers who are agents too."),
    )
    # When the password was last set (the periodic change of the 等保 profile counts from
    # it); kept by save() whenever the stored hash changes, whoever changes it.
    password_changed_at = models.DateTimeField(_("password changed"), default=timezone.now,
                                               editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._stored_password = user.__dict__.get("password")
        return user

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._stored_password = self.__dict__.get("password")

    def save(self, *args, update_fields=None, **kwargs):
        """Stamp `password_changed_at` when the password changed: by set_password, a form,
        or an update of the hash itself (the demo's update_or_create). A save of the hash
        alone is Django re-hashing the same password at sign-in (a stronger hasher): no
        change of password, no stamp."""
        stored = getattr(self, "_stored_password", None)
        rehash = update_fields is not None and set(update_fields) == {"password"}
        if (stored is not None and self.password != stored and not rehash
                and (update_fields is None or "password" in update_fields)):
            self.password_changed_at = timezone.now()
            if update_fields is not None:
                update_fields = {*update_fields, "password_changed_at"}
        super().save(*args, update_fields=update_fields, **kwargs)
        self._stored_password = self.password

    def has_role(self, roles) -> bool:
        """One of `roles`, or a superuser (who may do everything any role may)."""
        return self.is_superuser or self.role in roles

    def may_import(self, kind: str) -> bool:
        return self.is_superuser or kind in Role.IMPORTS.get(self.role, ())

    def may_void(self, kind: str) -> bool:
        return self.is_superuser or kind in Role.VOIDS.get(self.role, ())

    def may_unmask(self) -> bool:
        return self.is_superuser or self.role in Role.UNMASK


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A named, long-lived token for a system (HR, payroll). Only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str) -> tuple["ApiToken", str]:
        """Create a token; the raw value is returned once and never stored."""
        raw = "pz_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=_digest(raw))
        return token, raw

    @classmethod
    def lookup(cls, raw: str) -> "ApiToken | None":
        return (
            cls.objects.select_related("user")
            .filter(digest=_digest(raw), revoked_at__isnull=True)
            .first()
        )
