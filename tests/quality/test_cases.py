"""Cases and appeals (rules §7.2): every transition, and every forbidden one refused with
a clear message and nothing changed."""

import datetime as dt

import pytest
from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.quality.models import Case
from pinzhi.quality.services import (
    CaseRefused,
    appeal_deadline,
    appeal_overturn,
    appeal_uphold,
    case_appeal,
    case_confirm,
    case_dismiss,
    case_record_by_rule,
    case_void_by_rule,
)

pytestmark = pytest.mark.django_db


def events(case):
    return list(Event.objects.filter(kind="case", key=case.case_no).order_by("id")
                .values_list("action", flat=True))


def test_a_draft_is_priced_numbered_and_clocked(draft):
    assert draft.case_no.startswith("Q202603")
    assert draft.version.points_tenths == 100 and draft.status == "draft"
    # 15 working days from 2026-03-13 (Friday): 2026-04-03, no holiday in between
    assert draft.due_on == dt.date(2026, 4, 3)
    assert events(draft) == ["case.drafted"]


def test_confirm_then_appeal_then_overturn(company, draft):
    case = case_confirm(case=draft, by=company.users.officer)
    assert (case.status, case.decided_by, case.told_at is not None) == (
        "confirmed", company.users.officer, True)
    case = case_appeal(case=case, by=company.users.agent, reason="客户本人确认已解释")
    assert case.status == "appealed"
    case = appeal_overturn(case=case, by=company.users.hq, note="录音证明已说明")
    assert case.status == "overturned" and not case.counts
    assert events(case) == ["case.drafted", "case.confirmed", "case.appealed",
                            "case.overturned"]


def test_upheld_appeal_keeps_counting(company, draft):
    case = case_confirm(case=draft, by=company.users.officer)
    case = case_appeal(case=case, by=company.users.agent, reason="x")
    case = appeal_uphold(case=case, by=company.users.hq)
    assert case.status == "upheld" and case.counts


@pytest.mark.parametrize("step, message", [
    ("confirm_dismissed", "only a draft can be confirmed"),
    ("appeal_draft", "only a confirmed case can be appealed"),
    ("appeal_late", "the time to appeal"),
    ("appeal_by_other_agent", "only the agent of the case may appeal"),
    ("confirmer_decides_appeal", "who confirmed the case may not decide its appeal"),
    ("agent_confirms", "may not decide cases"),
    ("officer_of_other_branch", "outside"),
    ("dismiss_without_reason", "a reason is required"),
])
def test_forbidden_transitions_change_nothing(company, draft, step, message):
    users = company.users
    if step == "confirm_dismissed":
        case_dismiss(case=draft, by=users.officer, note="证据不足")
    if step in ("appeal_late", "confirmer_decides_appeal"):
        case_confirm(case=draft, by=users.officer)
    if step == "confirmer_decides_appeal":
        case_appeal(case=draft, by=users.agent, reason="x")
    before = Case.objects.get(pk=draft.pk)
    n_events = Event.objects.count()
    late = timezone.now() + dt.timedelta(days=11)
    actions = {
        "confirm_dismissed": lambda: case_confirm(case=draft, by=users.officer),
        "appeal_draft": lambda: case_appeal(case=draft, by=users.agent, reason="x"),
        "appeal_late": lambda: case_appeal(case=draft, by=users.agent, reason="x", at=late),
        "appeal_by_other_agent": lambda: case_appeal(case=draft, by=users.agent3, reason="x"),
        "confirmer_decides_appeal": lambda: appeal_overturn(case=draft, by=users.officer),
        "agent_confirms": lambda: case_confirm(case=draft, by=users.agent),
        "officer_of_other_branch": lambda: case_confirm(case=draft, by=users.officer_sz),
        "dismiss_without_reason": lambda: case_dismiss(case=draft, by=users.officer, note=" "),
    }
    with pytest.raises(CaseRefused, match=message):
        actions[step]()
    after = Case.objects.get(pk=draft.pk)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert Event.objects.count() == n_events


def test_appeal_window_is_ten_days_from_being_told(company, draft):
    case = case_confirm(case=draft, by=company.users.officer)
    told = timezone.localtime(case.told_at)
    deadline = timezone.localtime(appeal_deadline(case))
    assert deadline.date() == told.date() + dt.timedelta(days=10)
    case_appeal(case=case, by=company.users.agent, reason="x", at=appeal_deadline(case))


def test_rule_cases_confirm_themselves_and_follow_their_facts(company):
    agent = company.agents["A002"]
    kwargs = dict(rule_key="receipt:P2", agent=agent, violation_code="receipt_not_returned")
    first = case_record_by_rule(occurred_on=dt.date(2026, 5, 1), **kwargs)
    assert first.status == "confirmed" and first.decided_by is None and first.counts
    again = case_record_by_rule(occurred_on=dt.date(2026, 5, 1), **kwargs)
    assert again.pk == first.pk  # the same facts: the same case
    moved = case_record_by_rule(occurred_on=dt.date(2026, 5, 2), **kwargs)
    first.refresh_from_db()
    assert moved.pk != first.pk and first.voided_at is not None
    assert "case.voided" in events(first)
    case_void_by_rule(rule_key="receipt:P2", reason="receipt collected in time")
    moved.refresh_from_db()
    assert moved.voided_at is not None and not moved.counts


def test_voiding_a_policy_voids_the_cases_its_rules_derived(company):
    from pinzhi.core.voiding import void_fact

    rule_case = case_record_by_rule(rule_key="receipt:P1", agent=company.agents["A001"],
                                    violation_code="receipt_not_returned",
                                    occurred_on=dt.date(2026, 6, 3),
                                    policy=company.policies["P1"])
    void_fact(kind="policy", key="P1", reason="录入错误", by=company.users.officer)
    rule_case.refresh_from_db()
    assert rule_case.voided_at is not None and not rule_case.counts
    assert "case.voided" in events(rule_case)


def test_an_officer_voids_a_case_recorded_in_error(company, draft):
    from pinzhi.core.voiding import VoidRefused, void_fact

    with pytest.raises(VoidRefused, match="may not void"):
        void_fact(kind="case", key=draft.case_no, reason="重复", by=company.users.clerk)
    void_fact(kind="case", key=draft.case_no, reason="重复录入", by=company.users.officer)
    draft.refresh_from_db()
    assert draft.voided_at is not None
