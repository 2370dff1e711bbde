"""An agent's departure (离司, issue 8) and the facts of its two 30-day tasks.

Facts only: a departure, the reassignment of each orphaned policy to a servicing agent,
and each policyholder told. Whether a task is open, done, late or overdue is derived
(rules.py, tasks.py), never stored; the documents task reads the valuable documents' own
facts (pinzhi.documents).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Reason(models.TextChoices):
    RESIGNED = "resigned", _("resigned")
    CONTRACT_ENDED = "contract_ended", _("contract ended")
    TERMINATED_FOR_CAUSE = "terminated_for_cause", _("terminated for cause")
    DECEASED = "deceased", _("deceased")
    OTHER = "other", _("other")


class How(models.TextChoices):
    LETTER = "letter", _("letter")
    SMS = "sms", _("text message")
    PHONE = "phone", _("phone call")
    VISIT = "visit", _("visit")


class Departure(Voidable):
    """The end of an agent's agency: when, why, and who takes over his policies. One per
    agent (an agent who comes back is a new agent code)."""

    agent = models.OneToOneField("org.Agent", on_delete=models.PROTECT,
                                 related_name="departure", verbose_name=_("agent"))
    left_on = models.DateField(_("left on"), db_index=True)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason.choices)
    servicing_agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("servicing agent"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        ordering = ["-left_on", "agent_id"]

    def __str__(self):
        return f"{self.agent_id} left on {self.left_on}"

    def get_absolute_url(self):
        return reverse("departures-detail", args=[self.agent.code])


class ServicingAssignment(models.Model):
    """From `assigned_on` the policy is serviced by `agent` (its selling agent stays on
    the policy, for commission and quality). A fact: a later assignment supersedes it."""

    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="servicing_assignments",
                               verbose_name=_("policy"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="servicing_assignments",
                              verbose_name=_("servicing agent"))
    from_agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("serviced before by"))
    assigned_on = models.DateField(_("assigned on"))
    departure = models.ForeignKey(Departure, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="assignments", verbose_name=_("departure"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="policy__agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("servicing assignment")
        verbose_name_plural = _("servicing assignments")
        ordering = ["policy_id", "assigned_on", "id"]
        indexes = [models.Index(fields=["policy", "assigned_on"])]

    def __str__(self):
        return f"{self.policy_id} serviced by {self.agent_id} from {self.assigned_on}"


class PolicyholderNotice(Voidable):
    """The policyholder of a departed agent's long-term policy was told (who serves him
    now) on `told_on`, by `how`."""

    departure = models.ForeignKey(Departure, on_delete=models.PROTECT, related_name="notices",
                                  verbose_name=_("departure"))
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("policy"))
    told_on = models.DateField(_("told on"))
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="departure__agent__team__path",
                            agent="departure__agent_id")

    class Meta:
        verbose_name = _("policyholder told")
        verbose_name_plural = _("policyholders told")
        ordering = ["departure_id", "told_on", "id"]
        constraints = [models.UniqueConstraint(
            fields=["departure", "policy"], condition=models.Q(voided_at__isnull=True),
            name="departure_notice_once")]

    def __str__(self):
        return f"{self.policy_id} told on {self.told_on}"
