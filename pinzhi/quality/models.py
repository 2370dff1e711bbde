"""Quality points (rules §7): the violation catalogue, standing thresholds, cases.

The catalogue and the thresholds are versioned rows: a version is added, never edited,
and the one in force on a day is the latest `valid_from` on or before it from the deepest
unit above the agent that has one (head office's when `unit` is empty). A case keeps the
version it was priced by.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class ViolationType(models.Model):
    """A kind of violation, by its stable code (`receipt_not_returned`)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    owner = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("added by"), help_text=_("empty: head office's catalogue"),
    )

    class Meta:
        verbose_name = _("violation type")
        verbose_name_plural = _("violation types")
        ordering = ["code"]

    def __str__(self):
        return self.code


class ViolationVersion(models.Model):
    """The price of a violation type from a day on, for the whole company or a subtree.

    Points are tenths (the table has 0.5-point items). A tiered type (items 16/17) costs
    `points` for each of the first `tier_after` cases of an agent's half-year and
    `tier_points` for each after.
    """

    type = models.ForeignKey(ViolationType, on_delete=models.PROTECT, related_name="versions",
                             verbose_name=_("violation type"))
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("for the subtree of"), help_text=_("empty: the whole company"),
    )
    valid_from = models.DateField(_("valid from"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    article = models.CharField(_("source article"), max_length=100, blank=True)
    points_tenths = models.PositiveIntegerField(_("points per case (tenths)"))
    tier_after = models.PositiveIntegerField(_("tier: cases at the base points"), null=True,
                                             blank=True)
    tier_points_tenths = models.PositiveIntegerField(_("tier: points after (tenths)"),
                                                     null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("violation type version")
        verbose_name_plural = _("violation type versions")
        ordering = ["type__code", "valid_from"]
        constraints = [models.UniqueConstraint(fields=["type", "unit", "valid_from"],
                                               name="violation_version_unique")]

    def __str__(self):
        return f"{self.type.code} {self.points_tenths / 10:g} from {self.valid_from}"

    def save(self, *args, **kwargs):
        if self.pk is not None and self.cases.exists():
            raise RuntimeError("a version that priced a case is never edited: add a new one")
        super().save(*args, **kwargs)


class StandingScheme(models.Model):
    """Thresholds and consequences (rules §7.6) from a day on, for a subtree or all.

    `lines`: [[points_from_tenths, standing, [consequence, ...]], ...] in rising order;
    each standing's consequences include those of the lines below it.
    """

    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("for the subtree of"))
    valid_from = models.DateField(_("valid from"))
    lines = models.JSONField(_("lines"))
    single_case_termination_tenths = models.PositiveIntegerField(
        _("a single case of at least these points (tenths) recommends termination"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("standing thresholds")
        verbose_name_plural = _("standing thresholds")
        ordering = ["valid_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_from"],
                                               name="standing_scheme_unique")]

    def __str__(self):
        return f"thresholds from {self.valid_from}"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONFIRMED = "confirmed", _("confirmed")
    DISMISSED = "dismissed", _("dismissed")
    APPEALED = "appealed", _("under appeal")
    UPHELD = "upheld", _("appeal rejected")
    OVERTURNED = "overturned", _("overturned")


# A case under appeal counts until it is overturned (rules §7.2).
COUNTING = frozenset({CaseStatus.CONFIRMED, CaseStatus.APPEALED, CaseStatus.UPHELD})


class CaseSource(models.TextChoices):
    RULE = "rule", _("rule")
    CALLBACK = "callback", _("callback")
    COMPLAINT = "complaint", _("complaint")
    AUDIT = "audit", _("audit")
    IMPORT = "import", _("import")


class Case(Voidable):
    """One violation by one agent. Its state changes only through quality.services."""

    case_no = models.CharField(_("case number"), max_length=40, unique=True)
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="cases",
                              verbose_name=_("agent"))
    type = models.ForeignKey(ViolationType, on_delete=models.PROTECT, related_name="cases",
                             verbose_name=_("violation"))
    # Set when the case is recorded (services, or an import's after_apply): the version
    # in force on the day it occurred, for the agent's unit. Kept ever after.
    version = models.ForeignKey(ViolationVersion, null=True, on_delete=models.PROTECT,
                                related_name="cases", verbose_name=_("priced by"))
    occurred_on = models.DateField(_("occurred on"), db_index=True)
    found_on = models.DateField(_("found on"))
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("policy"))
    evidence = models.TextField(_("evidence"), blank=True)
    source = models.CharField(_("found by way of"), max_length=12, choices=CaseSource.choices,
                              default=CaseSource.IMPORT)
    # Cases of deterministic rules carry the fact they follow (e.g. `receipt:P1`).
    rule_key = models.CharField(_("rule key"), max_length=120, null=True, blank=True,
                                unique=True)
    found_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("found by"))
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices,
                              default=CaseStatus.DRAFT)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("confirmed or dismissed by"))
    decided_at = models.DateTimeField(_("confirmed or dismissed at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    told_at = models.DateTimeField(_("agent told at"), null=True, blank=True)
    due_on = models.DateField(_("to be settled by"), null=True, blank=True)
    appealed_at = models.DateTimeField(_("appealed at"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("appeal decided by"))
    reviewed_at = models.DateTimeField(_("appeal decided at"), null=True, blank=True)
    review_note = models.TextField(_("appeal decision"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-occurred_on", "case_no"]
        indexes = [models.Index(fields=["agent", "occurred_on"], name="case_agent_day")]

    def __str__(self):
        return self.case_no

    def get_absolute_url(self):
        return reverse("case-detail", args=[self.case_no])

    @property
    def counts(self) -> bool:
        return self.voided_at is None and self.status in COUNTING


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.name


class HalfYearClose(models.Model):
    """Head office handed a half-year's scores to HR; later cases become corrections."""

    period = models.CharField(_("half-year"), max_length=6, unique=True)  # 2026H1
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("closed half-year")
        verbose_name_plural = _("closed half-years")

    def __str__(self):
        return self.period
