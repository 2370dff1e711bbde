"""Recording a commendation (issue 8): who may, for whom, by which unit; voided, never
deleted; seen by whoever sees the agent."""

import pytest

from pinzhi.commendations.models import Commendation
from pinzhi.commendations.services import CommendationRefused, commendation_record
from pinzhi.core.models import Event
from pinzhi.core.voiding import void_fact

from .conftest import commend, d

pytestmark = pytest.mark.django_db


def test_recorded_numbered_and_logged(company):
    made = commendation_record(agent=company.agents["A001"], awarded_on=d(5, 20),
                               kind="service", title="客户表扬信", reason="理赔协助",
                               unit=company.units["T1"], by=company.users.hq)
    assert made.commendation_no == f"J202605{made.pk:06d}"
    assert (made.recorded_by, made.awarded_by_unit.code) == (company.users.hq, "T1")
    event = Event.objects.get(action="commendation.recorded", key=made.commendation_no)
    assert event.data == {"agent": "A001", "awarded_on": "2026-05-20", "kind": "service",
                          "title": "客户表扬信", "unit": "T1"}


@pytest.mark.parametrize("who, agent, unit, kwargs, match", [
    ("officer", "A001", "GZ", {}, "officer may not record commendations"),
    ("manager", "A001", "T1", {}, "manager may not record commendations"),
    ("sales", "A001", "SZ", {}, "unit: SZ is not above agent A001"),
    ("sales", "A001", "GZ", {"on": (6, 2)}, "awarded_on 2026-06-02 is in the future"),
    ("sales", "A001", "GZ", {"kind": "bravery"}, "kind: bravery is not one of the choices"),
    ("sales", "A001", "GZ", {"title": " "}, "a commendation needs both"),
])
def test_refusals(company, who, agent, unit, kwargs, match):
    with pytest.raises(CommendationRefused, match=match):
        commend(company, agent=agent, unit=unit, by=getattr(company.users, who), **kwargs)
    assert not Commendation.objects.exists()


def test_outside_the_scope_and_a_duplicate_number(company):
    from pinzhi.accounts.models import Role, User

    sales_sz = User.objects.create(username="sales_sz", role=Role.SALES_ADMIN,
                                   unit=company.units["SZ"])
    with pytest.raises(CommendationRefused, match="agent A001 is outside sales_sz's scope"):
        commend(company, by=sales_sz)
    commend(company, "J1")
    with pytest.raises(CommendationRefused, match="J1 exists already"):
        commend(company, "J1")


def test_seen_by_whoever_sees_the_agent(company):
    commend(company, "J1")
    commend(company, "J4", agent="A004", unit="SZ")
    seen = {name: set(Commendation.objects.restrict(getattr(company.users, name))
                      .values_list("commendation_no", flat=True))
            for name in ("agent", "agent3", "manager", "officer", "officer_sz", "hq")}
    assert seen == {"agent": {"J1"}, "agent3": set(), "manager": {"J1"}, "officer": {"J1"},
                    "officer_sz": {"J4"}, "hq": {"J1", "J4"}}


def test_voided_with_a_reason_not_deleted(company):
    commend(company, "J1")
    void_fact(kind="commendation", key="J1", reason="录入错误", by=None)
    voided = Commendation.objects.get(commendation_no="J1")
    assert voided.is_voided and voided.void_reason == "录入错误"
    assert not Commendation.objects.live().exists()
