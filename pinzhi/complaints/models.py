"""Customer complaints (客户投诉, issue 8): received, handled by someone with no stake in
them, decided against a clock that may be extended, reviewed on request. Facts only: the
state, the deadline and whether it is overdue are derived (rules.py)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Channel(models.TextChoices):
    PHONE = "phone", _("phone (95xxx)")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    REGULATOR = "regulator", _("passed on by the regulator")
    ONLINE = "online", _("online")
    OTHER = "other", _("other")


class Complaint(Voidable):
    complaint_no = models.CharField(_("complaint number"), max_length=40, unique=True)
    received_on = models.DateField(_("received on"), db_index=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices,
                               default=Channel.PHONE)
    policy = models.ForeignKey("policies.Policy", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="complaints",
                               verbose_name=_("policy"))
    agent = models.ForeignKey("org.Agent", on_delete=models.PROTECT,
                              related_name="complaints", verbose_name=_("agent"))
    complainant = models.CharField(_("complainant"), max_length=60)
    summary = models.TextField(_("what the customer says"))
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("handled by"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    case = models.ForeignKey("quality.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("case drafted"))
    review_requested_on = models.DateField(_("review requested on"), null=True, blank=True)
    review_decided_on = models.DateField(_("review decided on"), null=True, blank=True)
    review_outcome = models.TextField(_("review outcome"), blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("reviewed by"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="agent__team__path", agent="agent_id")

    class Meta:
        verbose_name = _("customer complaint")
        verbose_name_plural = _("customer complaints")
        ordering = ["-received_on", "complaint_no"]

    def __str__(self):
        return f"{self.complaint_no} received {self.received_on}"

    def get_absolute_url(self):
        return reverse("complaints-detail", args=[self.complaint_no])

    def facts(self, extensions: int | None = None) -> rules.Facts:
        if extensions is None:
            extensions = self.extensions.count()
        return rules.Facts(self.received_on, extensions, self.decided_on,
                           self.review_requested_on, self.review_decided_on)


class Extension(models.Model):
    """One extension of the decision's deadline, with when the customer was told; the
    second carries the senior who approved it."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE,
                                  related_name="extensions")
    extended_on = models.DateField(_("extended on"))
    reason = models.TextField(_("why"))
    customer_told_on = models.DateField(_("customer told on"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        ordering = ["complaint_id", "extended_on", "id"]

    def __str__(self):
        return f"{self.complaint_id} extended on {self.extended_on}"
