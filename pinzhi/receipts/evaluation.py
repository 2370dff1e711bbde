"""Moving the receipts to a moment (rules §5): the `receipt_not_returned` cases.

Set-based for a million policies. One streamed query reads the long-term, live policies
not cancelled in the cooling-off period whose deadline passed before the day (an exact
bound on the indexed effective date, `rules.effective_bound`), with their receipt; the
pure rule says which deserve a case; existing cases are read a chunk at a time, and only
a missing or changed case is written. A second streamed pass over the rule's live cases
voids those the facts no longer support (a collection on or before the deadline recorded
or corrected later, a receipt no longer owed, a voided policy). Running it twice for the
same moment changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import islice

from django.utils import timezone

from pinzhi.core import parameters
from pinzhi.core.calendar import local_day
from pinzhi.core.evaluating import in_subtree
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy, PolicyStatus
from pinzhi.quality.models import Case
from pinzhi.quality.services import case_record_by_rule, case_void_by_rule

from . import rules

CHUNK = 2000
FIELDS = ("id", "policy_no", "agent_id", "effective_on", "product__long_term", "status",
          "receipt__collected_on", "receipt__voided_at")


@dataclass
class EvaluationResult:
    as_of: dt.date
    policies: int = 0  # overdue-or-late policies looked at
    recorded: int = 0  # cases recorded (or replaced)
    voided: int = 0  # cases voided because the facts changed

    def summary(self) -> str:
        return (f"receipts as of {self.as_of.isoformat()}: {self.policies} policies past "
                f"the deadline looked at, {self.recorded} cases recorded, {self.voided} "
                f"cases voided")


def _facts(row) -> tuple[rules.PolicyFacts, rules.ReceiptFacts | None]:
    _, _, _, effective_on, long_term, status, collected_on, receipt_voided = row
    policy = rules.PolicyFacts(effective_on, bool(long_term),
                               status == PolicyStatus.COOLING_OFF_CANCELLED)
    receipt = (rules.ReceiptFacts(collected_on)
               if collected_on is not None and receipt_voided is None else None)
    return policy, receipt


def _chunks(iterable, size=CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def receipts_evaluate(*, as_of: dt.datetime | dt.date, policy_ids=None,
                      params: rules.Params | None = None,
                      unit_path: str = "") -> EvaluationResult:
    """Record the case of every policy whose deadline passed uncollected as of `as_of`'s
    day, and void the cases the facts no longer support (of `policy_ids`, or of the
    policies of `unit_path`'s subtree, or all). The numbers are the company's versions
    in force on that day."""
    day = local_day(as_of)
    params = params or params_on(day)
    result = EvaluationResult(as_of=day)
    past = (Policy.objects.filter(voided_at__isnull=True, product__long_term=True,
                                  effective_on__lt=rules.effective_bound(day, params))
            .exclude(status=PolicyStatus.COOLING_OFF_CANCELLED))
    if policy_ids is not None:
        past = past.filter(pk__in=list(policy_ids))
    past = in_subtree(past, "agent__team__path", unit_path)
    rows = past.order_by().values_list(*FIELDS).iterator(chunk_size=CHUNK)
    for chunk in _chunks(rows):
        result.policies += len(chunk)
        due = {}
        for row in chunk:
            policy, receipt = _facts(row)
            occurred_on = rules.case_due(policy, receipt, day, params)
            if occurred_on is not None:
                due[rules.rule_key(row[1])] = (row, occurred_on, policy, receipt)
        result.recorded += _record(due, params)
    result.voided = _void_unsupported(policy_ids, params, unit_path)
    return result


def params_on(day: dt.date) -> rules.Params:
    """The versions of `receipts.*` in force on `day` for the whole company."""
    return rules.Params(
        deadline_months=int(parameters.value("receipts.deadline_months", on=day)),
        late_deduction_fen=int(parameters.value("receipts.late_deduction_fen", on=day)))


def _record(due: dict, params: rules.Params) -> int:
    if not due:
        return 0
    existing = {key: (occurred, agent) for key, occurred, agent in Case.objects.filter(
        rule_key__in=list(due), voided_at__isnull=True).values_list(
        "rule_key", "occurred_on", "agent_id")}
    missing = {key: item for key, item in due.items()
               if existing.get(key) != (item[1], item[0][2])}
    if not missing:
        return 0
    agents = Agent.objects.select_related("team").in_bulk(
        {item[0][2] for item in missing.values()})
    policies = Policy.objects.in_bulk([item[0][0] for item in missing.values()])
    for key, (row, occurred_on, policy, receipt) in missing.items():
        case_record_by_rule(rule_key=key, agent=agents[row[2]], violation_code=rules.VIOLATION,
                            occurred_on=occurred_on, policy=policies[row[0]],
                            evidence=_evidence(policy, receipt, params))
    return len(missing)


def _evidence(policy: rules.PolicyFacts, receipt, params) -> str:
    due = rules.deadline(policy.effective_on, params)
    text = (f"effective {policy.effective_on.isoformat()}, receipt deadline "
            f"{due.isoformat()}: not collected by the deadline")
    if receipt is not None:
        text += f" (collected late on {receipt.collected_on.isoformat()})"
    return text


def _void_unsupported(policy_ids, params: rules.Params, unit_path: str) -> int:
    cases = Case.objects.filter(rule_key__startswith=f"{rules.RULE}:", voided_at__isnull=True)
    if policy_ids is not None:
        cases = cases.filter(policy_id__in=list(policy_ids))
    cases = in_subtree(cases, "policy__agent__team__path", unit_path)  # the policy's unit
    fields = tuple(f"policy__{f}" for f in FIELDS)
    rows = cases.order_by().values_list("rule_key", "policy__voided_at", *fields).iterator(
        chunk_size=CHUNK)
    to_void = []
    for key, policy_voided, *row in rows:
        policy, receipt = _facts(row)
        if policy_voided is not None:
            reason = "the policy was voided"
        elif not rules.owes_receipt(policy):
            reason = "the policy owes no receipt"
        elif not rules.deserves_case(policy, receipt, params):
            reason = "the receipt was collected by the deadline"
        else:
            continue
        to_void.append((key, reason))
    for key, reason in to_void:  # few; not while the cursor is open
        case_void_by_rule(rule_key=key, reason=reason)
    return len(to_void)


def reevaluate(policy_ids, now: dt.datetime | None = None) -> EvaluationResult:
    """Follow a change of these policies' receipts (registered, corrected, voided) now."""
    return receipts_evaluate(as_of=max(now or timezone.now(), timezone.now()),
                             policy_ids=policy_ids)
