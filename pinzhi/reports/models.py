"""Facts the indicators need that no other area records: renewal premiums (rules §8.1,
13-month persistency), loaded by `pinzhi import renewals`."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.money import yuan
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Renewal(Voidable):
    """A renewal premium of a policy falling due on a day, and when it was paid (empty:
    not paid, as far as the core system has told). Keyed by policy and due day."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="renewals", verbose_name=_("policy"))
    due_on = models.DateField(_("due on"))
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="policy__agent__team__path", agent="policy__agent_id")

    class Meta:
        verbose_name = _("renewal premium")
        verbose_name_plural = _("renewal premiums")
        ordering = ["policy_id", "due_on"]
        constraints = [models.UniqueConstraint(fields=["policy", "due_on"],
                                               name="renewal_policy_due_unique")]

    def __str__(self):
        return f"{self.policy_id} {self.due_on} {yuan(self.amount_fen)}"

    @property
    def amount(self):
        return yuan(self.amount_fen)


class Direction(models.TextChoices):
    AT_LEAST = "at_least", _("at least")
    AT_MOST = "at_most", _("at most")


class Target(models.Model):
    """A quality objective (rules §8.1, issue 7): head office's target for an indicator,
    for the whole company or a unit's subtree, from a day on. Versions are added, never
    edited; the one in force for a unit on a day is chosen by the one in-force rule
    (pinzhi.core.versions.in_force: the deepest unit, then the latest valid_from)."""

    indicator = models.CharField(_("indicator"), max_length=40)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("for the subtree of"),
                             help_text=_("empty: the whole company"))
    valid_from = models.DateField(_("valid from"))
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=4)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.AT_LEAST)
    note = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quality objective")
        verbose_name_plural = _("quality objectives")
        ordering = ["indicator", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "valid_from"],
                                               name="target_version_unique")]

    def __str__(self):
        sign = "≥" if self.direction == Direction.AT_LEAST else "≤"
        return f"{self.indicator} {sign} {self.value} from {self.valid_from}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("targets are added as new versions, never edited")
        super().save(*args, **kwargs)


class FigureSnapshot(models.Model):
    """One run of the precomputed indicator figures (reports/snapshot.py): every unit's
    and every agent's tally of each month from `first_month` to `last_month`, as of
    `as_of`. The dashboard reads the latest finished one; a run that died leaves an
    unfinished one, which is never read and is removed by the next run."""

    as_of = models.DateTimeField(_("figures as of"))
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    rows = models.IntegerField(_("rows"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)

    class Meta:
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        ordering = ["-as_of", "-id"]

    def __str__(self):
        return f"{self.as_of:%Y-%m-%d %H:%M} {self.first_month:%Y-%m}..{self.last_month:%Y-%m}"


class MonthFigures(models.Model):
    """The additive parts (indicators.Tally) of one month for one unit's subtree (agent
    empty) or one agent (unit: his team), in a snapshot."""

    snapshot = models.ForeignKey(FigureSnapshot, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey("org.Agent", null=True, on_delete=models.CASCADE,
                              related_name="+")
    policies = models.BigIntegerField(default=0)
    premium_fen = models.BigIntegerField(default=0)
    commission_fen = models.BigIntegerField(default=0)
    callbacks_due = models.BigIntegerField(default=0)
    callbacks_first_round = models.BigIntegerField(default=0)
    callbacks_succeeded = models.BigIntegerField(default=0)
    callbacks_in_time = models.BigIntegerField(default=0)
    receipts_due = models.BigIntegerField(default=0)
    receipts_collected = models.BigIntegerField(default=0)
    receipts_on_time = models.BigIntegerField(default=0)
    cohort_premium_fen = models.BigIntegerField(default=0)
    cohort_paid_fen = models.BigIntegerField(default=0)
    satisfaction_total = models.BigIntegerField(default=0)
    satisfaction_answers = models.BigIntegerField(default=0)
    agents = models.BigIntegerField(default=0)
    cases = models.BigIntegerField(default=0)
    points_tenths = models.BigIntegerField(default=0)
    withheld_fen = models.BigIntegerField(default=0)
    deducted_fen = models.BigIntegerField(default=0)
    forfeited_fen = models.BigIntegerField(default=0)
    complaints = models.BigIntegerField(default=0)
    training_hours_tenths = models.BigIntegerField(default=0)
    remedial_due = models.BigIntegerField(default=0)
    remedial_done_on_time = models.BigIntegerField(default=0)
    remedial_overdue = models.BigIntegerField(default=0)
    findings_due = models.BigIntegerField(default=0)
    findings_rectified_on_time = models.BigIntegerField(default=0)
    findings_overdue = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "unit", "agent", "month"],
                                name="monthfigures_lookup"),
                   # an agent's rows, whichever teams (his home page, the feed's page)
                   models.Index(fields=["snapshot", "agent", "month"],
                                name="monthfigures_agent")]

    def __str__(self):
        return f"{self.month:%Y-%m} unit {self.unit_id} agent {self.agent_id}"
