"""Moving time for notices (`pinzhi evaluate --as-of`, rules §7.4): the cases the facts
call for, compared with the cases recorded, and only the differences written.

Set-based: one query for the notices that may have a case (due date passed and not
delivered and reported by then, or reported untruthfully), one for the rule's live cases;
`case_record_by_rule` only where a case is missing or differs (type, day, agent), and
`case_void_by_rule` where no case is due any more (a correction, a voided notice). The
same moment twice changes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat
from django.utils import timezone

from pinzhi.core.calendar import local_day
from pinzhi.core.evaluating import in_subtree
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.quality.models import Case
from pinzhi.quality.services import case_record_by_rule, case_void_by_rule

from . import rules
from .models import Notice, rule_key

PREFIX = rule_key("")
FACT_FIELDS = ("due_on", "delivered_on", "reported_on", "report_false", "harm", "issued_on")


@dataclass
class NoticeEvaluation:
    as_of: dt.date
    candidates: int = 0
    recorded: int = 0
    voided: int = 0

    def summary(self) -> str:
        return (f"{self.candidates} notices late or reported untruthfully as of {self.as_of}; "
                f"{self.recorded} cases recorded, {self.voided} voided")


def candidates_q(day: dt.date) -> Q:
    """Notices that may have a case on `day`: a superset of those `rules.notice_case` names."""
    not_done = (Q(delivered_on__isnull=True) | Q(delivered_on__gt=F("due_on"))
                | Q(reported_on__isnull=True) | Q(reported_on__gt=F("due_on")))
    return (Q(due_on__lt=day) & not_done) | Q(report_false=True, reported_on__lte=day)


def expected_cases(rows, day: dt.date) -> dict[str, tuple]:
    """rule key -> (code, occurred_on, agent_id, policy_id, evidence) from notice rows
    (notice_no, agent_id, policy_id, *FACT_FIELDS)."""
    due = {}
    for notice_no, agent_id, policy_id, *facts in rows:
        notice = rules.Notice(*facts)
        case = rules.notice_case(notice, day)
        if case is not None:
            due[rule_key(notice_no)] = (*case, agent_id, policy_id,
                                        rules.evidence(notice, day))
    return due


def notices_evaluate(*, as_of=None, notice_nos: list[str] | None = None,
                     unit_path: str = "") -> NoticeEvaluation:
    """Bring the notices' cases in line with their facts as of `as_of` (a date or a
    moment; default today). `notice_nos` narrows the run to those notices, `unit_path`
    to those of the agents of its subtree (and their cases)."""
    day = local_day(as_of)
    result = NoticeEvaluation(as_of=day)
    notices = Notice.objects.live().filter(candidates_q(day))
    cases = Case.objects.filter(voided_at__isnull=True)
    if notice_nos is not None:
        notices = notices.filter(notice_no__in=notice_nos)
        cases = cases.filter(rule_key__in=[rule_key(n) for n in notice_nos])
    else:
        cases = cases.filter(rule_key__startswith=PREFIX)
    if unit_path:
        notices = in_subtree(notices, "agent__team__path", unit_path)
        # The cases of its notices, voided ones too (their cases are voided).
        in_unit = in_subtree(Notice.objects.all(), "agent__team__path", unit_path)
        cases = cases.filter(rule_key__in=in_unit.annotate(
            key=Concat(Value(PREFIX), "notice_no")).values("key"))
    with transaction.atomic():
        rows = notices.values_list("notice_no", "agent_id", "policy_id", *FACT_FIELDS)
        due = expected_cases(rows.iterator(chunk_size=5000), day)
        result.candidates = len(due)
        recorded = {key: (code, day_, agent) for key, code, day_, agent in
                    cases.values_list("rule_key", "type__code", "occurred_on", "agent_id")}
        # A moment in the past adds what was due then, but neither voids nor replaces
        # what later facts made: the cases follow the facts as they stand today.
        past = day < timezone.localdate()
        to_record = {key: want for key, want in due.items()
                     if (key not in recorded if past else recorded.get(key) != want[:3])}
        to_void = set() if past else set(recorded) - set(due)
        agents = Agent.objects.select_related("team").in_bulk(
            {want[2] for want in to_record.values()})
        for key, (code, occurred_on, agent_id, policy_id, text) in sorted(to_record.items()):
            case_record_by_rule(rule_key=key, agent=agents[agent_id], violation_code=code,
                                occurred_on=occurred_on, policy=Policy(pk=policy_id),
                                evidence=text)
        for key in sorted(to_void):
            case_void_by_rule(rule_key=key, reason="the notice's facts no longer make a case")
        result.recorded, result.voided = len(to_record), len(to_void)
    return result


def with_case(notices):
    """Each notice with its live case's code and number, if any (`case_code`, `case_no`)."""
    cases = Case.objects.filter(voided_at__isnull=True,
                                rule_key=Concat(Value(PREFIX), OuterRef("notice_no")))
    return notices.annotate(case_code=Subquery(cases.values("type__code")[:1]),
                            case_no=Subquery(cases.values("case_no")[:1]))
