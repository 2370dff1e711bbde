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
