"""Recruitment's services (issue 8): candidates and checks recorded by the recruiting
roles in their scope; the contract refused while a check is missing or a bar is live,
signed after it, creating the agent with his history."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.core.models import Event
from pinzhi.org.models import Agent
from pinzhi.recruitment.models import Candidate, RecruitmentCheck
from pinzhi.recruitment.services import (
    RecruitmentRefused,
    candidate_record,
    check_record,
    contract_sign,
)
from pinzhi.recruitment.verdicts import verdict_for

from .conftest import ID1, ID2, TODAY, candidate, clear_all, d

pytestmark = pytest.mark.django_db


def sign(company, cand, code="A900", on=TODAY, by=None):
    return contract_sign(candidate=cand, code=code, hired_on=on,
                         by=by or company.users.sales)


def test_a_candidate_is_recorded_and_numbered(company):
    cand = candidate_record(name=" 赵敏 ", id_number=ID1.lower(), phone="+86 139 1111 2222",
                            team=company.units["T1"], rank="业务员", applied_on=d(2026, 5, 1),
                            by=company.users.sales)
    assert cand.candidate_no == f"R202605{cand.pk:06d}"
    assert (cand.name, cand.id_number, cand.phone) == ("赵敏", ID1, "13911112222")
    assert Event.objects.filter(action="recruitment.candidate", key=cand.candidate_no).exists()


@pytest.mark.parametrize("change, words", [
    ({"id_number": "440106199506123010"}, "check digit"),
    ({"phone": "020-1234"}, "not a mobile"),
    ({"team": "GZ01"}, "is not a team"),
    ({"applied_on": d(2026, 6, 2)}, "applied_on 2026-06-02 is in the future"),
    ({"name": "  "}, "name is required"),
])
def test_a_candidate_refused_names_the_field(company, change, words):
    values = dict(name="赵敏", id_number=ID1, phone="13911112222", rank="业务员",
                  applied_on=d(2026, 5, 1), by=company.users.sales)
    values.update(change)
    values["team"] = company.units[change.get("team", "T1")]
    with pytest.raises(RecruitmentRefused, match=words):
        candidate_record(**values)
    assert not Candidate.objects.exists()


def test_refused_while_a_check_is_missing(company):
    cand = candidate(company)
    clear_all(company, cand, skip=("credit_blacklist",))
    with pytest.raises(RecruitmentRefused, match="credit_blacklist not checked"):
        sign(company, cand)
    assert not Agent.objects.filter(code="A900").exists()
    assert Candidate.objects.get(pk=cand.pk).agent is None


def test_refused_while_barred_and_signed_after_the_fifth_anniversary(company, clock):
    cand = candidate(company, applied=d(2021, 1, 4))
    clear_all(company, cand, skip=("dismissed_for_cause",))
    check_record(candidate=cand, kind="dismissed_for_cause", checked_on=d(2026, 5, 10),
                 outcome="barred", event_on=d(2021, 6, 1), source="原任职保险公司",
                 note="严重违规被开除", by=company.users.sales)
    with pytest.raises(RecruitmentRefused, match="barred through 2026-06-01"):
        sign(company, cand)
    clock.move_to("2026-06-02T10:00+08:00")
    agent = sign(company, cand, on=d(2026, 6, 2))
    assert (agent.status, agent.team.code, agent.rank, agent.id_number, agent.hired_on) == (
        "active", "T1", "业务员", ID1, d(2026, 6, 2))
    assert Candidate.objects.get(pk=cand.pk).agent == agent
    created = Event.objects.get(kind="agent", key="A900", action="agent.created")
    assert created.data["changes"]["unit_code"] == [None, "T1"]
    assert created.data["candidate"] == "R1"
    assert Event.objects.filter(kind="candidate", key="R1",
                                action="recruitment.contracted").exists()
    with pytest.raises(RecruitmentRefused, match="has signed the contract already"):
        sign(company, cand, code="A901", on=d(2026, 6, 2))


def test_own_record_flag_from_a_terminated_agent(company):
    Agent.objects.create(code="A050", name="赵敏", id_number=ID1, phone="13911112222",
                         rank="业务员", team=company.units["T2"], hired_on=d(2020, 1, 1),
                         status="terminated", left_on=d(2023, 4, 1))
    cand = candidate(company)
    clear_all(company, cand)
    assert verdict_for(cand, d(2026, 6, 1)).state == "barred"
    with pytest.raises(RecruitmentRefused, match="left on 2023-04-01: a person must clear"):
        sign(company, cand)
    check_record(candidate=cand, kind="own_record", checked_on=d(2026, 5, 20),
                 outcome="clear", source="人事档案", note="因个人原因离职，非违规解约",
                 by=company.users.sales)
    assert sign(company, cand).code == "A900"


def test_an_active_agent_of_ours_is_refused(company):
    cand = candidate(company, idn=company.agents["A001"].id_number)
    clear_all(company, cand)
    with pytest.raises(RecruitmentRefused, match="an active agent of ours"):
        sign(company, cand)


def test_a_taken_code_is_refused(company):
    cand = candidate(company)
    clear_all(company, cand)
    with pytest.raises(RecruitmentRefused, match="agent A001 exists already"):
        sign(company, cand, code="A001")


def test_wrong_role(company):
    with pytest.raises(RecruitmentRefused, match="officer may not record candidates"):
        candidate(company, by=company.users.officer)
    cand = candidate(company)
    with pytest.raises(RecruitmentRefused, match="may not record recruitment checks"):
        clear_all(company, cand, by=company.users.clerk)
    clear_all(company, cand)
    with pytest.raises(RecruitmentRefused, match="hq may not sign agency contracts"):
        sign(company, cand, by=company.users.hq)
    assert not RecruitmentCheck.objects.filter(by=company.users.clerk).exists()


def test_out_of_scope(company):
    sales_sz = User.objects.create(username="sales_sz", role=Role.SALES_ADMIN,
                                   unit=company.units["SZ"])
    with pytest.raises(RecruitmentRefused, match="T1 is outside sales_sz's scope"):
        candidate(company, by=sales_sz)
    cand = candidate(company)
    with pytest.raises(RecruitmentRefused, match="R1 is outside sales_sz's scope"):
        clear_all(company, cand, by=sales_sz)
    clear_all(company, cand)
    with pytest.raises(RecruitmentRefused, match="R1 is outside sales_sz's scope"):
        sign(company, cand, by=sales_sz)
    assert candidate(company, no="R2", idn=ID2, team="T3", by=sales_sz).team.code == "T3"


def test_check_refusals(company):
    cand = candidate(company)
    with pytest.raises(RecruitmentRefused, match="event_on: required for a barred outcome"):
        check_record(candidate=cand, kind="criminal_record", checked_on=d(2026, 5, 10),
                     outcome="barred", source="公安", by=company.users.sales)
    with pytest.raises(RecruitmentRefused, match="checked_on 2026-04-30 is before 2026-05-01"):
        check_record(candidate=cand, kind="criminal_record", checked_on=d(2026, 4, 30),
                     outcome="clear", source="公安", by=company.users.sales)
    with pytest.raises(RecruitmentRefused, match="source is required"):
        check_record(candidate=cand, kind="criminal_record", checked_on=d(2026, 5, 10),
                     outcome="clear", source=" ", by=company.users.sales)
    check_record(candidate=cand, kind="criminal_record", checked_on=d(2026, 5, 10),
                 outcome="clear", source="公安", by=company.users.sales)
    with pytest.raises(RecruitmentRefused, match="recorded already"):
        check_record(candidate=cand, kind="criminal_record", checked_on=d(2026, 5, 10),
                     outcome="clear", source="公安", by=company.users.sales)
    assert RecruitmentCheck.objects.count() == 1


def test_a_branch_may_set_other_years(company):
    from pinzhi.core.models import Parameter

    Parameter.objects.create(key="recruitment.ban_years", unit=company.units["GD"],
                             valid_from=d(2020, 1, 1), value=3)
    cand = candidate(company)
    clear_all(company, cand, skip=("licence_revoked",))
    check_record(candidate=cand, kind="licence_revoked", checked_on=d(2026, 5, 10),
                 outcome="barred", event_on=d(2023, 5, 31), source="执业登记系统",
                 by=company.users.sales)
    assert verdict_for(cand, d(2026, 6, 1)).ok
    assert verdict_for(cand, d(2026, 5, 31)).reasons == [
        "licence_revoked: barred through 2026-05-31"]


def test_a_check_voided_no_longer_counts_and_none_after_the_contract(company):
    from pinzhi.core.voiding import VoidRefused, void_fact

    cand = candidate(company)
    clear_all(company, cand)
    check_record(candidate=cand, kind="industry_ban", checked_on=d(2026, 5, 20),
                 outcome="barred", ends_on=d(2030, 1, 1), source="行政处罚信息",
                 by=company.users.sales)
    assert verdict_for(cand, TODAY).state == "barred"
    void_fact(kind="recruitment_check", key="R1/industry_ban/2026-05-20",
              reason="录入错误：查询的是同名人员")
    assert verdict_for(cand, TODAY).state == "cleared"
    sign(company, cand)
    with pytest.raises(VoidRefused, match="the contract is signed"):
        void_fact(kind="recruitment_check", key="R1/criminal_record/2026-05-10", reason="x")
    with pytest.raises(VoidRefused, match="the contract is signed"):
        void_fact(kind="candidate", key="R1", reason="x")
