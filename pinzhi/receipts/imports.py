"""The `receipts` feed file (interfaces.md): policy_no, [signed_on], collected_on.

Keyed by the policy number: a re-import that changes a collection date updates the row
(the engine keeps the old values as an event) and the policy's case follows (after_apply
re-evaluates the file's policies). A policy that owes no receipt is a bad row (a
policy cancelled in the cooling-off period only for a collection after the cancellation).
"""

from django.utils import timezone

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.policies.models import Policy, PolicyStatus, Product

from .evaluation import receipts_evaluate
from .models import Receipt

# Beyond this many policies a file's follow-up evaluates everything (one streamed pass).
SUBSET_LIMIT = 5000


def _check_receipt(values, today):
    signed, collected = values.get("signed_on"), values["collected_on"]
    if signed is not None and signed > collected:
        return [("signed_on", signed.isoformat(), "after collected_on")]
    return []


def _check_owed(stage) -> list[tuple[int, str, str, str]]:
    """Policies that owe no receipt (rules §5): not long-term, or cancelled in the
    cooling-off period. A receipt collected on or before the day of the cancellation
    came back while one was owed: it is a fact, and recorded."""
    rows = stage.fetch(
        f"SELECT s.row_no, s.policy_no, pr.long_term FROM {TABLE} s "
        f"JOIN {Policy._meta.db_table} po ON po.policy_no = s.policy_no "
        f"JOIN {Product._meta.db_table} pr ON pr.id = po.product_id "
        f"WHERE NOT pr.long_term OR (po.status = %s AND (po.status_on IS NULL "
        f"OR s.collected_on > po.status_on)) ORDER BY s.row_no",
        [PolicyStatus.COOLING_OFF_CANCELLED.value])
    return [(row, "policy_no", no,
             "the policy owes no receipt: " + ("it was cancelled in the cooling-off period"
                                               if long_term else "it is not long-term"))
            for row, no, long_term in rows]


def _after_receipts(stage) -> list[str]:
    ids = [r[0] for r in stage.fetch(f"SELECT DISTINCT _id_policy_no FROM {TABLE}")]
    as_of = max(stage.now, timezone.now())
    receipts_evaluate(as_of=as_of, policy_ids=ids if len(ids) <= SUBSET_LIMIT else None)
    return []


RECEIPTS = register(ImportSpec(
    kind="receipts",
    model=Receipt,
    key=("policy_no",),
    columns=(
        Column("policy_no", p.code(), field="policy"),
        Column("signed_on", p.date, required=False, not_future=True),
        Column("collected_on", p.date, not_future=True),
    ),
    references=(Reference("policy_no", "policy", Policy, to_field="policy_no"),),
    check_row=_check_receipt,
    check_stage=_check_owed,
    after_apply=_after_receipts,
    description="policy receipts collected (scanned) by the branch",
))
