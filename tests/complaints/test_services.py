"""A complaint's life through the services (issue 8): received, handled by someone with
no stake in it, extended (the customer told), decided, reviewed on request; a decision
that finds a violation drafts a case."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.complaints.models import Complaint
from pinzhi.complaints.services import (
    ComplaintRefused,
    complaint_assign,
    complaint_decide,
    complaint_extend,
    complaint_receive,
    complaint_review_decide,
    complaint_review_request,
    has_stake,
)
from pinzhi.core.models import Event
from pinzhi.quality.models import Case

from .conftest import d, receive

pytestmark = pytest.mark.django_db


def officer_of(company, **kw) -> User:
    return User.objects.create(username=f"q{len(kw)}{kw.get('unit', '')}",
                               role=Role.QUALITY_OFFICER, **kw)


def test_no_stake_the_agent_his_team_or_a_user_scoped_to_his_team(company):
    a001 = company.agents["A001"]
    assert has_stake(company.users.agent, a001)  # himself
    assert has_stake(company.users.manager, a001)  # A002, of his team T1
    assert has_stake(officer_of(company, unit=company.units["T1"]), a001)
    assert not has_stake(company.users.officer, a001)  # GZ's officer
    assert not has_stake(company.users.agent3, a001)  # another team


def test_a_handler_with_a_stake_is_refused(company):
    complaint = receive(company)
    staked = officer_of(company, unit=company.units["T1"])
    with pytest.raises(ComplaintRefused, match="has a stake in complaint K1"):
        complaint_assign(complaint=complaint, handler=staked, by=company.users.officer)
    with pytest.raises(ComplaintRefused, match="has a stake"):
        complaint_decide(complaint=complaint, on=d(5, 5), decision="x", upheld=False,
                         by=staked)
    with pytest.raises(ComplaintRefused, match="outside officer_sz's scope"):
        complaint_assign(complaint=complaint, handler=company.users.officer_sz,
                         by=company.users.hq)
    with pytest.raises(ComplaintRefused, match="clerk may not handle"):
        complaint_assign(complaint=complaint, handler=company.users.clerk,
                         by=company.users.officer)
    complaint = complaint_assign(complaint=complaint, handler=company.users.officer,
                                 by=company.users.hq)
    assert complaint.handler == company.users.officer


def test_extended_once_then_with_a_senior_approval(company):
    complaint = receive(company, received=(5, 1))  # due 05-16
    officer, hq = company.users.officer, company.users.hq
    complaint_extend(complaint=complaint, on=d(5, 16), reason="需调取录音",
                     customer_told_on=d(5, 16), by=officer)
    with pytest.raises(ComplaintRefused, match="needs a senior approval"):
        complaint_extend(complaint=complaint, on=d(5, 20), reason="复杂",
                         customer_told_on=d(5, 20), by=officer)
    with pytest.raises(ComplaintRefused, match="sales may not approve"):
        complaint_extend(complaint=complaint, on=d(5, 20), reason="复杂",
                         customer_told_on=d(5, 20), by=officer, approved_by=company.users.sales)
    complaint_extend(complaint=complaint, on=d(5, 31), reason="复杂",
                     customer_told_on=d(6, 1), by=officer, approved_by=hq)
    assert Complaint.objects.get(pk=complaint.pk).facts().extensions == 2
    with pytest.raises(ComplaintRefused, match="extended twice already"):
        complaint_extend(complaint=complaint, on=d(6, 1), reason="x",
                         customer_told_on=d(6, 1), by=officer, approved_by=hq)
    told = Event.objects.filter(action="complaint.extended", key="K1").order_by("id")
    assert [e.data["customer_told_on"] for e in told] == ["2026-05-16", "2026-06-01"]


def test_an_extension_after_the_deadline_or_before_the_customer_is_told_is_refused(company):
    complaint = receive(company, received=(5, 1))
    with pytest.raises(ComplaintRefused, match="the deadline it would extend has passed"):
        complaint_extend(complaint=complaint, on=d(5, 17), reason="x",
                         customer_told_on=d(5, 17), by=company.users.officer)
    with pytest.raises(ComplaintRefused, match="customer_told_on 2026-05-09 is before"):
        complaint_extend(complaint=complaint, on=d(5, 10), reason="x",
                         customer_told_on=d(5, 9), by=company.users.officer)


def test_a_decision_that_finds_a_violation_drafts_a_case(company):
    complaint = receive(company)
    complaint = complaint_decide(complaint=complaint, on=d(5, 12), decision="属实，退保处理",
                                 upheld=True, violation_code="benefit_promised",
                                 by=company.users.officer)
    case = Case.objects.get(pk=complaint.case_id)
    assert (case.agent, case.status, case.source, case.type.code, case.found_on,
            case.policy) == (company.agents["A001"], "draft", "complaint", "benefit_promised",
                             d(5, 12), company.policies["P1"])
    assert "K1" in case.evidence
    with pytest.raises(ComplaintRefused, match="decided already"):
        complaint_decide(complaint=complaint, on=d(5, 13), decision="y", upheld=False,
                         by=company.users.officer)


def test_a_review_within_30_days_by_another_senior(company):
    complaint = receive(company, received=(4, 1))
    complaint = complaint_decide(complaint=complaint, on=d(4, 10), decision="不属实",
                                 upheld=False, by=company.users.hq)
    with pytest.raises(ComplaintRefused, match="more than the allowed days"):
        complaint_review_request(complaint=complaint, on=d(5, 11), by=company.users.clerk)
    complaint = complaint_review_request(complaint=complaint, on=d(5, 10),
                                         by=company.users.clerk)
    with pytest.raises(ComplaintRefused, match="hq decided complaint K1: another reviews it"):
        complaint_review_decide(complaint=complaint, on=d(5, 20), outcome="维持",
                                by=company.users.hq)
    with pytest.raises(ComplaintRefused, match="officer may not decide reviews"):
        complaint_review_decide(complaint=complaint, on=d(5, 20), outcome="维持",
                                by=company.users.officer)
    complaint = complaint_review_decide(complaint=complaint, on=d(5, 20), outcome="维持",
                                        by=company.users.admin)
    assert complaint.facts().review_decided_on == d(5, 20)


def test_receiving(company):
    complaint = complaint_receive(received_on=d(5, 3), agent=company.agents["A001"],
                                  complainant="陈静", summary="s", by=company.users.operator)
    assert complaint.complaint_no == f"C202605{complaint.pk:06d}"
    with pytest.raises(ComplaintRefused, match="policy P4 is not agent A001's"):
        receive(company, no="K2", policy="P4")
    with pytest.raises(ComplaintRefused, match="agent may not record complaints"):
        receive(company, no="K3", by=company.users.agent)
    with pytest.raises(ComplaintRefused, match="in the future"):
        receive(company, no="K4", received=(6, 2))
    with pytest.raises(ComplaintRefused, match="outside officer_sz's scope"):
        receive(company, no="K5", by=company.users.officer_sz)
    receive(company, no="K6")
    with pytest.raises(ComplaintRefused, match="K6 exists already"):
        receive(company, no="K6")
    assert not Complaint.objects.filter(complaint_no__in=["K2", "K3", "K4", "K5"]).exists()
