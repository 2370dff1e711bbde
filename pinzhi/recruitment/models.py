"""Recruitment checks before the agency contract (issue 8): a candidate, the checks of
the law's bars recorded on him (保险法 第122条; 《保险代理人监管规定》 第28条), and the
agent he became once the contract was signed. Facts only: whether he may sign, and his
state (pending, cleared, barred, contracted) are derived (rules.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.masking import mask_id_number, mask_phone
from pinzhi.core.models import Voidable
from pinzhi.core.sealing import SealedCharField
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Kind(models.TextChoices):
    CRIMINAL_RECORD = rules.CRIMINAL_RECORD, _("criminal record (embezzlement, bribery, "
                                               "economic order): 5 years after served")
    LICENCE_REVOKED = rules.LICENCE_REVOKED, _("licence or qualification revoked: 5 years")
    DISMISSED_FOR_CAUSE = rules.DISMISSED_FOR_CAUSE, _("dismissed by a financial institution "
                                                       "for cause: 5 years")
    INDUSTRY_BAN = rules.INDUSTRY_BAN, _("banned from the financial industry: until its end")
    CREDIT_BLACKLIST = rules.CREDIT_BLACKLIST, _("joint credit blacklist: until its end")
    OWN_RECORD = rules.OWN_RECORD, _("our own former agent, ended for cause: 5 years")


class Outcome(models.TextChoices):
    CLEAR = rules.CLEAR, _("clear")
    BARRED = rules.BARRED, _("barred")


class Candidate(Voidable):
    """A person applying to be an agent; `agent` is set when the contract is signed."""

    candidate_no = models.CharField(_("candidate number"), max_length=40, unique=True)
    name = models.CharField(_("full name"), max_length=60)
    id_number = SealedCharField(_("ID number"), max_length=18, db_index=True,
                               kind="id_number")
    phone = SealedCharField(_("mobile"), max_length=20, kind="phone")
    team = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("team"))
    rank = models.CharField(_("rank"), max_length=40)
    applied_on = models.DateField(_("applied on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    agent = models.OneToOneField("org.Agent", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="candidate", verbose_name=_("agent"))

    objects = RestrictedQuerySet.as_manager()
    # Candidates are not agents yet: agents see none (the agent's page shows his own
    # checks to the staff who may).
    visibility = Visibility(unit_path="team__path", agent=None)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["-applied_on", "candidate_no"]

    def __str__(self):
        return f"{self.candidate_no} {self.name}"

    def get_absolute_url(self):
        return reverse("recruitment-detail", args=[self.candidate_no])

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class RecruitmentCheck(Voidable):
    """One check of one bar: who was asked (`source`), on which day, and what came back."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="checks",
                                  verbose_name=_("candidate"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    checked_on = models.DateField(_("checked on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    event_on = models.DateField(_("day of the event"), null=True, blank=True,
                                help_text=_("a barred outcome: the sentence served, the "
                                            "licence revoked, the dismissal"))
    ends_on = models.DateField(_("ban ends on"), null=True, blank=True,
                               help_text=_("a ban or blacklisting with an end date"))
    source = models.CharField(_("source"), max_length=100,
                              help_text=_("who was asked: the regulator's system, the police "
                                          "record, the credit reference centre…"))
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+",
                           verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="candidate__team__path", agent=None)

    class Meta:
        verbose_name = _("recruitment check")
        verbose_name_plural = _("recruitment checks")
        ordering = ["candidate_id", "checked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "kind", "checked_on"],
                                               name="recruitment_check_unique")]

    def __str__(self):
        return f"{self.candidate_id} {self.kind} {self.checked_on} {self.outcome}"

    def as_rule(self) -> rules.Check:
        return rules.Check(self.kind, self.outcome, self.checked_on, self.event_on,
                           self.ends_on)
