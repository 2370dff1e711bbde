"""The `notices` feed file (interfaces.md), keyed by notice_no.

The rows are written by the engine like any kind's; then the file's notices are evaluated
as of the import (rules §7.4) and every case recorded, replaced or voided is listed as a
warning. A row given again with other dates is a correction: its case follows.
"""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.quality.models import Case

from .evaluation import notices_evaluate
from .models import Kind, Notice, rule_key


def _check_notice(values, today):
    errors = []
    issued, due = values["issued_on"], values["due_on"]
    delivered, reported = values.get("delivered_on"), values.get("reported_on")
    if due < issued:
        errors.append(("due_on", due.isoformat(), "before issued_on"))
    if delivered is not None and delivered < issued:
        errors.append(("delivered_on", delivered.isoformat(), "before issued_on"))
    if reported is not None and delivered is None:
        errors.append(("reported_on", reported.isoformat(), "without delivered_on"))
    if reported is not None and delivered is not None and reported < delivered:
        errors.append(("reported_on", reported.isoformat(), "before delivered_on"))
    if values.get("report_false") and reported is None:
        errors.append(("report_false", "true", "without reported_on"))
    return errors


def _after_notices(stage) -> list[str]:
    rows = stage.fetch(f"SELECT row_no, notice_no FROM {TABLE} ORDER BY row_no")
    numbers = [no for _, no in rows]
    before = _live_cases(numbers)
    result = notices_evaluate(as_of=stage.now, notice_nos=numbers)
    if not (result.recorded or result.voided):
        return []
    after = _live_cases(numbers)
    warnings = []
    for row, no in rows:
        old, new = before.get(rule_key(no)), after.get(rule_key(no))
        if old == new:
            continue
        if new is None:
            warnings.append(f"row {row}: {no}: its {old[0]} case was voided")
        elif old is None:
            warnings.append(f"row {row}: {no}: a {new[0]} case was recorded, occurring {new[1]}")
        else:
            warnings.append(f"row {row}: {no}: its {old[0]} case was replaced by a {new[0]} "
                            f"case, occurring {new[1]}")
    return warnings


def _live_cases(numbers: list[str]) -> dict[str, tuple]:
    cases = Case.objects.filter(voided_at__isnull=True,
                                rule_key__in=[rule_key(n) for n in numbers])
    return {key: (code, day.isoformat()) for key, code, day in
            cases.values_list("rule_key", "type__code", "occurred_on")}


NOTICES = register(ImportSpec(
    kind="notices",
    model=Notice,
    key=("notice_no",),
    columns=(
        Column("notice_no", p.code()),
        Column("policy_no", p.code(), field="policy"),
        Column("agent_code", p.code(), field="agent"),
        Column("kind", p.text(40), required=False, default=Kind.NOTICE),
        Column("issued_on", p.date, not_future=True),
        Column("due_on", p.date),
        Column("delivered_on", p.date, required=False, not_future=True),
        Column("reported_on", p.date, required=False, not_future=True),
        Column("report_false", p.boolean, required=False, default=False),
        Column("harm", p.boolean, required=False, default=False),
    ),
    references=(
        Reference("policy_no", "policy", Policy, to_field="policy_no"),
        Reference("agent_code", "agent", Agent),
    ),
    check_row=_check_notice,
    after_apply=_after_notices,
    description="notices to deliver to customers and report back (rules §7.4)",
))
