"""Recording a departure (issue 8): the agent's status and left_on, the bulk reassignment
of the right policies, and every refusal; policyholders told."""

import datetime as dt

import pytest

from pinzhi.core.models import Event
from pinzhi.departures.models import Departure, PolicyholderNotice, ServicingAssignment
from pinzhi.departures.services import DepartureRefused, policyholders_told
from pinzhi.departures.servicing import servicing_agent_id, taken_over_count
from pinzhi.org.history import TeamHistory

from .conftest import LEFT, d, depart

pytestmark = pytest.mark.django_db


def test_a_departure_ends_the_agency_and_logs_it_as_the_feed_does(leaver):
    departure = depart(leaver)
    agent = leaver.agents["A001"]
    agent.refresh_from_db()
    assert (agent.status, agent.left_on) == ("terminated", LEFT)
    assert (departure.reason, departure.servicing_agent.code, departure.recorded_by.username
            ) == ("resigned", "A002", "sales")
    event = Event.objects.get(action="agent.updated", kind="agent", key="A001")
    assert event.data["changes"] == {"status": ["active", "terminated"],
                                     "left_on": [None, "2026-05-10"]}
    assert event.actor == leaver.users.sales
    assert Event.objects.filter(action="departure.recorded", key="A001").exists()
    # the team history reads only moves: a departure is none
    assert TeamHistory().moves == {}


def test_the_orphaned_policies_in_force_on_the_day_are_reassigned(leaver):
    depart(leaver)
    assigned = {a.policy.policy_no: a for a in ServicingAssignment.objects.all()}
    # P6 ended before he left, P8 was signed after; A002's own P2 is not his
    assert set(assigned) == {"P1", "P5", "P7"}
    one = assigned["P1"]
    assert (one.agent.code, one.from_agent.code, one.assigned_on, one.by.username) == (
        "A002", "A001", LEFT, "sales")
    p1 = leaver.policies["P1"]
    p1.refresh_from_db()
    assert p1.agent.code == "A001"  # the selling agent stays
    assert servicing_agent_id(p1) == leaver.agents["A002"].pk
    assert servicing_agent_id(p1, on=d(5, 9)) == leaver.agents["A001"].pk
    assert taken_over_count(leaver.agents["A002"]) == 2  # P7 was surrendered since


def test_a_servicing_agent_who_leaves_passes_on_the_policies_he_took_over(leaver):
    depart(leaver)
    depart(leaver, agent="A002", servicing="A003", left_on=d(5, 20))
    assigned = ServicingAssignment.objects.filter(departure__agent__code="A002")
    # his own P2, and A001's P1 and P5 (P7 ended on 05-20, the day he left: not in force)
    assert sorted(a.policy.policy_no for a in assigned) == ["P1", "P2", "P5"]
    assert servicing_agent_id(leaver.policies["P1"]) == leaver.agents["A003"].pk
    assert taken_over_count(leaver.agents["A002"]) == 0


def test_an_agent_the_feed_marked_terminated_keeps_his_status(leaver):
    agent = leaver.agents["A001"]
    agent.status, agent.left_on = "terminated", d(5, 1)
    agent.save()
    depart(leaver)
    event = Event.objects.get(action="agent.updated", key="A001")
    assert event.data["changes"] == {"left_on": ["2026-05-01", "2026-05-10"]}


def test_he_cannot_depart_twice(leaver):
    depart(leaver)
    with pytest.raises(DepartureRefused, match="has left already, on 2026-05-10"):
        depart(leaver, left_on=d(5, 12))
    assert ServicingAssignment.objects.count() == 3


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"servicing": "A001"}, "cannot service his own policies"),
    ({"servicing": None}, "a servicing agent is required"),
    ({"left_on": d(6, 2)}, "is in the future"),
    ({"left_on": dt.date(2023, 12, 31)}, "before he was hired"),
    ({"reason": "fired"}, "reason fired"),
])
def test_refusals_change_nothing(leaver, kwargs, message):
    with pytest.raises(DepartureRefused, match=message):
        depart(leaver, **kwargs)
    assert not Departure.objects.exists() and not ServicingAssignment.objects.exists()
    leaver.agents["A001"].refresh_from_db()
    assert leaver.agents["A001"].status == "active"


def test_the_servicing_agent_must_be_active(leaver):
    a3 = leaver.agents["A003"]
    a3.status = "terminated"
    a3.save()
    with pytest.raises(DepartureRefused, match="A003 is not active"):
        depart(leaver, servicing="A003")


@pytest.mark.parametrize("user", ["officer", "manager", "agent", "hq"])
def test_only_the_departure_roles_record(leaver, user):
    with pytest.raises(DepartureRefused, match="may not record departures"):
        depart(leaver, by=getattr(leaver.users, user))


def test_outside_the_scope(leaver):
    # the clerk's scope is GZ: A004 is in SZ
    with pytest.raises(DepartureRefused, match="A004 is outside clerk's scope"):
        depart(leaver, agent="A004", by=leaver.users.clerk)
    with pytest.raises(DepartureRefused, match="servicing agent A004 is outside"):
        depart(leaver, servicing="A004", by=leaver.users.clerk)
    assert depart(leaver, agent="A004", by=leaver.users.admin).agent.code == "A004"


def test_policyholders_told_one_by_one_and_all_remaining(leaver):
    departure = depart(leaver)
    sales = leaver.users.sales
    p1, p7 = leaver.policies["P1"], leaver.policies["P7"]
    assert policyholders_told(departure=departure, policies=[p1], told_on=d(5, 12),
                              how="phone", by=sales) == 1
    with pytest.raises(DepartureRefused, match="P1 was told already, on 2026-05-12"):
        policyholders_told(departure=departure, policies=[p1], told_on=d(5, 13), how="sms",
                           by=sales)
    # P5 is short-term: no need to tell
    with pytest.raises(DepartureRefused, match="P5 is not a long-term policy A001 left"):
        policyholders_told(departure=departure, policies=[leaver.policies["P5"]],
                           told_on=d(5, 13), how="sms", by=sales)
    assert policyholders_told(departure=departure, told_on=d(5, 20), how="letter",
                              by=sales) == 1
    told = dict(PolicyholderNotice.objects.values_list("policy__policy_no", "how"))
    assert told == {"P1": "phone", "P7": "letter"}
    assert p7.pk in dict(PolicyholderNotice.objects.values_list("policy_id", "pk"))
    with pytest.raises(DepartureRefused, match="every policyholder of A001 was told"):
        policyholders_told(departure=departure, told_on=d(5, 20), how="letter", by=sales)
    event = Event.objects.filter(action="departure.policyholders_told").first()
    assert event.data["policies"] == ["P7"]


@pytest.mark.parametrize(("told_on", "how", "by", "message"), [
    (d(5, 9), "letter", "sales", "before he left on 2026-05-10"),
    (d(6, 2), "letter", "sales", "in the future"),
    (d(5, 20), "fax", "sales", "how fax"),
    (d(5, 20), "letter", "manager", "may not record departures"),
])
def test_telling_refused(leaver, told_on, how, by, message):
    departure = depart(leaver)
    with pytest.raises(DepartureRefused, match=message):
        policyholders_told(departure=departure, told_on=told_on, how=how,
                           by=getattr(leaver.users, by))
    assert not PolicyholderNotice.objects.exists()


def test_telling_outside_the_scope(leaver):
    departure = depart(leaver, agent="A004", by=leaver.users.admin)
    with pytest.raises(DepartureRefused, match="outside clerk's scope"):
        policyholders_told(departure=departure, told_on=d(5, 20), how="letter",
                           by=leaver.users.clerk)
