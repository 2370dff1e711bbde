"""The `products` and `policies` feed files (interfaces.md)."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent

from .models import PaymentMode, Policy, PolicyStatus, Product, ProductKind

PRODUCTS = register(ImportSpec(
    kind="products",
    model=Product,
    key=("product_code",),
    columns=(
        Column("product_code", p.code(), field="code"),
        Column("name", p.text(100)),
        Column("kind", p.choice(*ProductKind.values)),
        Column("long_term", p.boolean),
        Column("cooling_off_days", p.integer(1, 60), required=False, default=15),
    ),
    description="products: kind, long-term, cooling-off days",
))


def _check_policy(values, today):
    errors = []
    signed = values["signed_on"]
    for name in ("printed_on", "effective_on"):
        if values[name] < signed:
            errors.append((name, values[name].isoformat(), "before signed_on"))
    if values["premium"] == 0:
        errors.append(("premium", "0", "must be more than 0"))
    status, status_on = values["status"], values["status_on"]
    if status != PolicyStatus.IN_FORCE and status_on is None:
        errors.append(("status_on", "", f"required when the status is {status}"))
    if status_on is not None and status_on < signed:
        errors.append(("status_on", status_on.isoformat(), "before signed_on"))
    return errors


POLICIES = register(ImportSpec(
    kind="policies",
    model=Policy,
    key=("policy_no",),
    columns=(
        Column("policy_no", p.code()),
        Column("agent_code", p.code(), field="agent"),
        Column("product_code", p.code(), field="product"),
        Column("applicant_name", p.text(60)),
        Column("applicant_id_number", p.identity_document),
        Column("applicant_phone", p.phone),
        Column("insured_name", p.text(60), required=False, default=""),
        Column("insured_id_number", p.identity_document, required=False, default=""),
        Column("premium", p.money, field="premium_fen"),
        Column("payment_mode", p.choice(*PaymentMode.values), required=False,
               default=PaymentMode.ANNUAL),
        Column("commission", p.money, field="commission_fen"),
        Column("signed_on", p.date, not_future=True),
        Column("printed_on", p.date, not_future=True),
        Column("effective_on", p.date),
        Column("status", p.choice(*PolicyStatus.values), required=False,
               default=PolicyStatus.IN_FORCE),
        Column("status_on", p.date, required=False, not_future=True),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("product_code", "product", Product),
    ),
    check_row=_check_policy,
    description="policies, each sold by an agent",
))
