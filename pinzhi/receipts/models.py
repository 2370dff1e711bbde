"""Policy receipts (rules §5): the fact that a policy's receipt was collected.

One receipt per policy, keyed by the policy number (interfaces.md `receipts`). Voided,
never deleted; the state (outstanding, overdue, on time, late) is derived from the
policy's effective date and the collection date by `rules.receipt_state`, never stored.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pinzhi.core.models import Voidable
from pinzhi.core.visibility import RestrictedQuerySet, Visibility

from . import rules


class Receipt(Voidable):
    policy = models.OneToOneField("policies.Policy", on_delete=models.PROTECT,
                                  related_name="receipt", verbose_name=_("policy"))
    signed_on = models.DateField(_("signed by the customer on"), null=True, blank=True)
    collected_on = models.DateField(_("collected on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))

    objects = RestrictedQuerySet.as_manager()
    visibility = Visibility(unit_path="policy__agent__team__path", agent="policy__agent_id")

    class Meta:
        verbose_name = _("policy receipt")
        verbose_name_plural = _("policy receipts")
        ordering = ["-collected_on", "policy_id"]

    def __str__(self):
        return f"{self.policy.policy_no} {self.collected_on}"

    def facts(self) -> rules.ReceiptFacts:
        return rules.ReceiptFacts(self.collected_on, self.signed_on)


def policy_facts(policy) -> rules.PolicyFacts:
    from pinzhi.policies.models import PolicyStatus

    return rules.PolicyFacts(policy.effective_on, policy.product.long_term,
                             policy.status == PolicyStatus.COOLING_OFF_CANCELLED)
