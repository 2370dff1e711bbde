"""Notices (函件, rules §7.4): issued to an agent to deliver to a customer by a due date
and report back. Facts only: the state and the case are derived (rules.py, evaluation.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Kind(models.TextChoices):
    """The usual kinds; the feed file may give another word (interfaces.md: [kind])."""

    NOTICE = "notice", _("notice")
    PROBLEM_LETTER = "problem_letter", _("problem letter")
    ENDORSEMENT = "endorsement", _("endorsement")
    OTHER = "other", _("other")


class Notice(Voidable):
    notice_no = models.CharField(_("notice number"), max_length=40, unique=True)
    policy = models.ForeignKey("policies.Policy", on_delete=models.PROTECT,
                               related_name="notices", verbose_name=_("policy"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT, related_name="notices",
                              verbose_name=_("agent"))
    kind = models.CharField(_("kind"), max_length=40, default=Kind.NOTICE,
                            help_text=_("notice, problem letter, endorsement, other, or "
                                        "another word"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"), db_index=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    reported_on = models.DateField(_("reported back on"), null=True, blank=True)
    report_false = models.BooleanField(_("reported untruthfully"), default=False)
    harm = models.BooleanField(_("caused a complaint or a loss"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-due_on", "notice_no"]

    def __str__(self):
        return f"{self.notice_no} due {self.due_on}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("notices-detail", args=[self.notice_no])

    @property
    def facts(self) -> rules.Notice:
        return rules.Notice(due_on=self.due_on, delivered_on=self.delivered_on,
                            reported_on=self.reported_on, report_false=self.report_false,
                            harm=self.harm, issued_on=self.issued_on)

    @property
    def rule_key(self) -> str:
        return rule_key(self.notice_no)

    @property
    def kind_label(self) -> str:
        return str(dict(Kind.choices).get(self.kind, self.kind))


def rule_key(notice_no: str) -> str:
    return f"notices.case:{notice_no}"
