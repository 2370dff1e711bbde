"""The `renewals` feed file (interfaces.md): policy_no, due_on, amount, [paid_on], keyed
by policy and due day. A payment after the moment of the import is a bad row; a changed
row (a payment recorded later) updates, with its history kept as an event."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.money import yuan
from pinzhi.policies.models import Policy

from .models import Renewal


def _check_renewal(values, today):
    if values["amount"] <= 0:
        return [("amount", str(yuan(values["amount"])), "must be more than 0")]
    return []


RENEWALS = register(ImportSpec(
    kind="renewals",
    model=Renewal,
    key=("policy_no", "due_on"),
    columns=(
        Column("policy_no", p.code(), field="policy"),
        Column("due_on", p.date),
        Column("amount", p.money, field="amount_fen"),
        Column("paid_on", p.date, required=False, not_future=True),
    ),
    references=(Reference("policy_no", "policy", Policy, to_field="policy_no"),),
    check_row=_check_renewal,
    description="renewal premiums due and paid (13-month persistency)",
))
