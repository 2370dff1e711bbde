"""The monthly settlement (rules §6): drafts that may be replaced, and the append-only
ledger that closing writes.

A `Settlement` is one month of one unit's subtree (or of the whole company). Computing it
writes its `DraftLine`s, replacing the previous draft; closing copies them into
`LedgerLine`s and drops the draft. Ledger lines are never updated or deleted: the model
refuses it in code, and database triggers refuse it on every engine
(migrations/0002_ledger_append_only). A correction after closing is an `Adjustment`,
which becomes a signed `adjust` line of a later month.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.money import yuan
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Action(models.TextChoices):
    PAY = rules.PAY, _("pay")
    DEDUCT = rules.DEDUCT, _("deduct")
    RECOVER = rules.RECOVER, _("recover")
    ADJUST = rules.ADJUST, _("adjust")
    WITHHOLD = rules.WITHHOLD, _("withhold")
    FORFEIT = rules.FORFEIT, _("forfeit")
    CANCEL = rules.CANCEL, _("cancel")


class Settlement(models.Model):
    """One month of one unit's subtree (`unit` empty: the whole company)."""

    class Status(models.TextChoices):
        COMPUTING = "computing", _("being computed")
        DRAFT = "draft", _("draft")
        CLOSED = "closed", _("closed")

    month = models.DateField(_("month"), help_text=_("its first day"))
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("unit"))
    # The unit's path ('' for the whole company): scopes overlap when one path starts
    # with the other.
    scope_path = models.CharField(max_length=255, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    cutoff = models.DateTimeField(_("cutoff"))
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("computed by"),
                                    help_text=_("empty: the system account"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    policies = models.PositiveIntegerField(_("policies"), default=0)
    lines = models.PositiveIntegerField(_("number of lines"), default=0)
    totals = models.JSONField(_("totals (fen)"), default=dict, blank=True)
    seconds = models.FloatField(_("seconds to compute"), default=0)

    objects = RestrictedQuerySet.as_manager()
    # A settlement is seen by whoever sees its unit's subtree (or all, for the company's).
    visibility = Visibility(unit_path="scope_path", agent=None)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-month", "scope_path"]
        constraints = [models.UniqueConstraint(fields=["month", "scope_path"],
                                               name="settlement_month_scope_unique")]

    def __str__(self):
        return f"{self.label} {self.scope_name}"

    @property
    def label(self) -> str:
        return rules.month_label(self.month)

    @property
    def scope_name(self) -> str:
        return self.unit.code if self.unit_id else "*"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def total(self, column: str):
        return yuan(self.totals.get(column, 0))


class LineFields(models.Model):
    """What a draft line and a ledger line both say (interfaces.md, --detail)."""

    month = models.DateField(_("month"))
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("policy"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agent"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    reasons = models.CharField(_("reasons"), max_length=500, blank=True)
    rule_version = models.CharField(_("rule version"), max_length=120)
    enters = models.BooleanField(_("entered this month"), default=False)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{rules.month_label(self.month)} {self.action} {yuan(self.amount_fen)}"

    @property
    def amount(self):
        return yuan(self.amount_fen)

    @property
    def reason_list(self) -> list[str]:
        return self.reasons.split(";") if self.reasons and self.action != rules.ADJUST else []


class DraftLine(LineFields):
    """A line of a draft: replaced whenever the draft is computed again.

    Its references are not database constraints: a draft is derived, written in bulk
    from live rows in the transaction that reads them, and checking a million
    references at commit cost more than writing the lines (19 s of 60). The ledger,
    which is kept, has them."""

    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE,
                                   related_name="draft_lines", db_constraint=False,
                                   db_index=False)  # draftline_agent starts with it
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.DO_NOTHING, related_name="+",
                               verbose_name=_("policy"), db_constraint=False,
                               db_index=False)
    agent = models.ForeignKey("org.Agent", on_delete=models.DO_NOTHING, related_name="+",
                              verbose_name=_("agent"), db_constraint=False, db_index=False)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("draft line")
        verbose_name_plural = _("draft lines")
        indexes = [models.Index(fields=["settlement", "agent"], name="draftline_agent")]


class LedgerQuerySet(RestrictedQuerySet):
    def update(self, **kwargs):
        raise RuntimeError("ledger lines are append-only")

    def delete(self):
        raise RuntimeError("ledger lines are append-only")


class LedgerLine(LineFields):
    """A line of a closed month: never updated, never deleted."""

    settlement = models.ForeignKey(Settlement, on_delete=models.PROTECT,
                                   related_name="ledger_lines")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = LedgerQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        indexes = [models.Index(fields=["policy", "month"], name="ledger_policy_month"),
                   models.Index(fields=["month", "agent"], name="ledger_month_agent")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ledger lines are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ledger lines are append-only")


class Adjustment(Voidable):
    """A correction after closing (rules §6): a signed amount for an agent (and perhaps
    one policy), with a written reason, that becomes an `adjust` line of `month`, the
    first month not yet closed for the agent's unit when it was recorded."""

    month = models.DateField(_("month"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("agent"))
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("policy"))
    amount_fen = models.BigIntegerField(_("amount (fen, signed)"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                           related_name="+", verbose_name=_("by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{rules.month_label(self.month)} {self.agent_id} {yuan(self.amount_fen)}"

    @property
    def amount(self):
        return yuan(self.amount_fen)


class RunClaim(models.Model):
    """A run in progress over a scope (a unit's subtree, or '' the company): a settlement
    computed or closed, or an evaluation. Runs whose scopes overlap never run at once
    (locking.py: a second is refused; a claim whose process died is taken over)."""

    month = models.DateField(null=True, blank=True)  # a settlement's; none to evaluate
    scope_path = models.CharField(max_length=255, blank=True)
    what = models.CharField(max_length=20)  # compute, close, discard, evaluate
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    # boot id / start time of the process (locking.process_identity): a reused pid, or a
    # pid after a reboot, is not mistaken for the run that claimed
    process = models.CharField(max_length=60, blank=True)
    by = models.CharField(max_length=150, blank=True)
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.month:%Y-%m} {self.what} ({self.host}:{self.pid})"
