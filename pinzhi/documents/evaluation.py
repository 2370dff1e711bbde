"""Moving time for valuable documents (rules §7.3): the overdue cases as of a moment.

Set-based and idempotent: one query for the documents not returned by a due date that
has passed, one for the rule's live cases; a case is recorded only where it is missing
(or its facts changed), and voided where its document is now returned in time, voided,
or due later than the case said. The same moment twice changes nothing.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone

from pinzhi.core.evaluating import in_subtree
from pinzhi.org.models import Agent
from pinzhi.quality.models import Case
from pinzhi.quality.services import case_record_by_rule, case_void_by_rule

from . import rules
from .models import ValuableDocument


@dataclass
class Evaluated:
    today: dt.date
    recorded: list[str] = field(default_factory=list)  # doc numbers
    voided: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"documents as of {self.today}: {len(self.recorded)} overdue cases recorded, "
                f"{len(self.voided)} voided")


def _not_in_time():
    return Q(returned_on__isnull=True) | Q(returned_on__gt=F("due_on"))


def _evidence(doc_no, doc_type, issued_on, due_on, returned_on) -> str:
    what = f"{doc_type} {doc_no}".strip()
    back = f", returned {returned_on}" if returned_on else ", not returned"
    return f"valuable document {what} issued {issued_on}, due {due_on}{back}"


def documents_evaluate(*, as_of: dt.datetime | None = None, doc_nos=None,
                       unit_path: str = "") -> Evaluated:
    """Bring the overdue cases in line with the documents as of `as_of` (default now).
    `doc_nos` (a list or a subquery) narrows it to those documents, `unit_path` to those
    of the agents of its subtree (and their cases, whoever the case names)."""
    today = timezone.localdate(as_of or timezone.now())
    result = Evaluated(today)
    if unit_path:
        in_unit = in_subtree(ValuableDocument.objects.all(), "agent__team__path", unit_path)
        if doc_nos is not None:
            in_unit = in_unit.filter(doc_no__in=doc_nos)
        doc_nos = in_unit.values("doc_no")
    docs = ValuableDocument.objects.live()
    cases = Case.objects.filter(rule_key__startswith=rules.RULE_PREFIX, voided_at__isnull=True)
    if doc_nos is not None:
        docs = docs.filter(doc_no__in=doc_nos)
        cases = cases.filter(rule_key__in=_keys(doc_nos))
    owed = docs.filter(_not_in_time(), due_on__lt=today).values_list(
        "doc_no", "agent_id", "due_on", "doc_type", "issued_on", "returned_on")
    existing = {key: (agent_id, day) for key, agent_id, day in
                cases.values_list("rule_key", "agent_id", "occurred_on")}
    owed_keys, missing = set(), []
    for row in owed.iterator(chunk_size=5000):
        key = rules.rule_key(row[0])
        owed_keys.add(key)
        if existing.get(key) != (row[1], rules.overdue_on(row[2])):
            missing.append(row)
    agents = Agent.objects.select_related("team").in_bulk({row[1] for row in missing})
    for doc_no, agent_id, due_on, doc_type, issued_on, returned_on in missing:
        case_record_by_rule(rule_key=rules.rule_key(doc_no), agent=agents[agent_id],
                            violation_code=rules.VIOLATION, occurred_on=rules.overdue_on(due_on),
                            evidence=_evidence(doc_no, doc_type, issued_on, due_on, returned_on))
        result.recorded.append(doc_no)
    unsure = [key for key in existing if key not in owed_keys]
    if unsure:  # cases not confirmed by this run's query: does their document still owe?
        still = _still_owed([rules.doc_no_of(k) for k in unsure], today)
        for key in unsure:
            doc_no = rules.doc_no_of(key)
            if doc_no in still and still[doc_no] == existing[key]:
                continue
            reason = ("the document's due date or agent changed" if doc_no in still else
                      "the document was returned in time or voided")
            case_void_by_rule(rule_key=key, reason=reason)
            result.voided.append(doc_no)
    return result


def _still_owed(doc_nos: list[str], today: dt.date) -> dict:
    """doc_no -> (agent_id, case day) of live documents that owe a case now or later
    (later: the moment evaluated is before the day they fell overdue)."""
    rows = ValuableDocument.objects.live().filter(_not_in_time(), doc_no__in=doc_nos)
    return {no: (agent_id, rules.overdue_on(due)) for no, agent_id, due in
            rows.values_list("doc_no", "agent_id", "due_on")}


def _keys(doc_nos):
    if isinstance(doc_nos, (list, tuple, set, frozenset)):
        return [rules.rule_key(no) for no in doc_nos]
    from django.db.models import Value
    from django.db.models.functions import Concat

    return (ValuableDocument.objects.filter(doc_no__in=doc_nos)
            .annotate(key=Concat(Value(rules.RULE_PREFIX), "doc_no")).values("key"))
