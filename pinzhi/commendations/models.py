"""Commendations (嘉奖, issue 8): the agent's merits, recorded on his record beside his
cases. [reading] A commendation does not offset quality points: the spec has no such rule;
it is shown, not counted. Facts are never deleted: a commendation recorded in error is
voided with a reason (kind `commendation`)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility


class Kind(models.TextChoices):
    SERVICE = "service", _("service")
    INTEGRITY = "integrity", _("integrity")
    SALES = "sales", _("sales")
    TEAM = "team", _("team")
    OTHER = "other", _("other")


class Commendation(Voidable):
    commendation_no = models.CharField(_("commendation number"), max_length=40, unique=True)
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="commendations", verbose_name=_("agent"))
    awarded_on = models.DateField(_("awarded on"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=100)
    reason = models.TextField(_("why"))
    awarded_by_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT,
                                        related_name="+", verbose_name=_("awarded by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-awarded_on", "commendation_no"]

    def __str__(self):
        return f"{self.commendation_no} {self.title}"

    def get_absolute_url(self):
        return reverse("commendations-detail", args=[self.commendation_no])
