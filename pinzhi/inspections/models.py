"""Inspections and self-inspections (监督检查, 自查; issue 8): a plan per unit and period
with its checklist, the findings recorded under it, each with an owner, a deadline and a
rectification record; a finding that shows a violation drafts a quality case.

Facts only: a finding's state (open, overdue, rectified, rectified late) and a plan's
progress are derived (rules.py), never stored.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class PlanKind(models.TextChoices):
    INSPECTION = "inspection", _("inspection (by the branch or head office)")
    SELF = "self_inspection", _("self-inspection (by the unit itself)")


class Result(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("failed")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class InspectionPlan(Voidable):
    plan_no = models.CharField(_("plan number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices,
                            default=PlanKind.INSPECTION)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("unit inspected"))
    period_from = models.DateField(_("period from"))
    period_to = models.DateField(_("period to"))
    title = models.CharField(_("title"), max_length=200)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="unit__path", agent=None)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-period_from", "plan_no"]

    def __str__(self):
        return f"{self.plan_no} {self.title}"

    def get_absolute_url(self):
        return reverse("inspections-plan", args=[self.plan_no])


class ChecklistItem(models.Model):
    """One point the plan checks, and its result once checked."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="items",
                             verbose_name=_("inspection plan"))
    seq = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("what is checked"), max_length=300)
    violation_type = models.ForeignKey(
        "quality.ViolationType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("violation"),
        help_text=_("what a finding under this point would violate"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("checked by"))

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["plan_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"],
                                               name="checklist_item_plan_seq_unique")]

    def __str__(self):
        return f"{self.plan_id}#{self.seq} {self.text}"


class Finding(Voidable):
    finding_no = models.CharField(_("finding number"), max_length=40, unique=True)
    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT,
                             related_name="findings", verbose_name=_("inspection plan"))
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="findings", verbose_name=_("checklist item"))
    agent = models.ForeignKey("org.Agent", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="inspection_findings", verbose_name=_("agent"))
    description = models.TextField(_("what was found"))
    found_on = models.DateField(_("found on"), db_index=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="owned_findings",
                              verbose_name=_("rectification owner"))
    due_on = models.DateField(_("to be rectified by"))
    violation_type = models.ForeignKey(
        "quality.ViolationType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("violation shown"))
    case = models.ForeignKey("quality.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("case drafted"))
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification = models.TextField(_("what was done"), blank=True)
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("rectification recorded by"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("verified by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="plan__unit__path", agent="agent_id")

    class Meta:
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        ordering = ["due_on", "finding_no"]

    def __str__(self):
        return f"{self.finding_no} found {self.found_on}"

    def get_absolute_url(self):
        return reverse("inspections-finding", args=[self.finding_no])

    def state_on(self, day) -> str:
        return rules.state(self.due_on, self.rectified_on, day)
