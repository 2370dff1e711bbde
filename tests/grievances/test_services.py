"""A grievance's life through the services (issue 8): raised by the agent or recorded
from paper, assigned to a handler with no stake in it, replied to (the agent told);
confidential: the agent sees his own, handlers their scope, managers nothing."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.core.models import Event
from pinzhi.grievances.models import Grievance
from pinzhi.grievances.services import (
    GrievanceRefused,
    grievance_assign,
    grievance_raise,
    grievance_reply,
    stake,
)
from pinzhi.notify.models import Message
from pinzhi.org.models import Agent

from .conftest import d, raise_one

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(Grievance.objects.restrict(user).values_list("grievance_no", flat=True))


def test_the_agent_raises_his_own_today_numbered_by_pinzhi(company):
    grievance = grievance_raise(agent=company.agents["A001"], about="manager",
                                against_agent=company.agents["A002"],
                                summary="主管克扣展业费", by=company.users.agent)
    assert grievance.grievance_no == f"G202606{grievance.pk:06d}"
    assert (grievance.received_on, grievance.channel, grievance.recorded_by) == (
        d(6, 1), "app", company.users.agent)
    event = Event.objects.get(action="grievance.raised", key=grievance.grievance_no)
    assert event.data["against"] == "A002" and "summary" not in event.data
    with pytest.raises(GrievanceRefused, match="received the day he raises it"):
        grievance_raise(agent=company.agents["A001"], about="company", summary="s",
                        received_on=d(5, 1), by=company.users.agent)


@pytest.mark.parametrize("who, agent, against, match", [
    ("agent", "A003", None, "agent may not record grievances of agent A003"),
    ("manager", "A001", None, "manager may not record grievances"),
    ("clerk", "A001", None, "clerk may not record grievances"),
    ("officer_sz", "A001", None, "agent A001 is outside officer_sz's scope"),
    ("officer", "A001", "A001", "not against himself"),
])
def test_who_may_raise_one_for_whom(company, who, agent, against, match):
    with pytest.raises(GrievanceRefused, match=match):
        raise_one(company, agent=agent, against=against, by=getattr(company.users, who))
    assert not Grievance.objects.exists()


def test_a_paper_one_in_the_future_or_empty_is_refused(company):
    with pytest.raises(GrievanceRefused, match="received_on 2026-06-02 is in the future"):
        raise_one(company, received=(6, 2))
    with pytest.raises(GrievanceRefused, match="summary: a grievance needs its text"):
        grievance_raise(agent=company.agents["A001"], about="company", summary=" ",
                        by=company.users.sales)
    raise_one(company, "G1")
    with pytest.raises(GrievanceRefused, match="G1 exists already"):
        raise_one(company, "G1")


def test_confidential_the_agent_his_own_handlers_their_scope_managers_nothing(company):
    users = company.users
    raise_one(company, "G1", about="manager", against="A002")  # A001 against his manager
    raise_one(company, "G3", agent="A003")
    raise_one(company, "G4", agent="A004", by=users.hq)
    assert visible(users.agent) == {"G1"}
    assert visible(users.agent3) == {"G3"}
    assert visible(users.manager) == set()  # T1's manager: not the one against him
    assert visible(users.officer) == {"G1", "G3"}
    assert visible(users.officer_sz) == {"G4"}
    assert visible(users.hq) == visible(users.admin) == {"G1", "G3", "G4"}
    assert visible(users.sales) == {"G1", "G3", "G4"}  # GD's sales administration
    assert visible(users.clerk) == visible(users.operator) == visible(users.system) == set()
    # A handler is never shown one against himself, even in his scope.
    a005 = Agent.objects.create(code="A005", name="赵敏", id_number="x", phone="13800000005",
                                rank="业务员", team=company.units["T2"], hired_on=d(1, 1))
    sales_agent = User.objects.create(username="sales5", role=Role.SALES_ADMIN,
                                      unit=company.units["GD"], agent=a005)
    raise_one(company, "G5", agent="A003", about="colleague", against=a005)
    assert "G5" not in visible(sales_agent) and "G5" in visible(users.sales)
    assert "G5" in visible(users.agent3)


def test_no_stake_the_agent_the_one_it_is_against_his_managers(company):
    users = company.users
    grievance = raise_one(company, about="manager", against="A002")
    assert stake(users.officer, grievance) is None
    # A superuser who manages T1 (a manager of the agent), with his own agent record.
    a006 = Agent.objects.create(code="A006", name="周强", id_number="x", phone="13800000006",
                                rank="业务经理", team=company.units["T1"], hired_on=d(1, 1))
    boss = User.objects.create(username="boss", role=Role.MANAGER, is_superuser=True,
                               unit=company.units["GZ01"], agent=a006)
    assert "manager of the agent" in stake(boss, grievance)
    with pytest.raises(GrievanceRefused, match="boss is a manager of the agent who raised"):
        grievance_assign(grievance=grievance, handler=boss, by=users.officer)
    about_pay = raise_one(company, "G2", about="commission")
    assert stake(boss, about_pay) is None  # only a grievance about a manager
    against = User.objects.create(username="against", role=Role.QUALITY_OFFICER,
                                  unit=company.units["GZ"], agent=Agent.objects.create(
                                      code="A007", name="吴磊", id_number="x",
                                      phone="13800000007", rank="业务员",
                                      team=company.units["T2"], hired_on=d(1, 1)))
    colleague = raise_one(company, "G3", about="colleague", against=against.agent)
    with pytest.raises(GrievanceRefused, match="grievance G3 is against against"):
        grievance_reply(grievance=colleague, reply="r", outcome="upheld",
                        replied_on=d(6, 1), by=against)
    himself = User.objects.create(username="self", role=Role.SALES_ADMIN, is_superuser=True,
                                  unit=company.units["GD"], agent=company.agents["A004"])
    own = raise_one(company, "G4", agent="A004", by=users.hq)
    with pytest.raises(GrievanceRefused, match="self raised grievance G4 himself"):
        grievance_reply(grievance=own, reply="r", outcome="upheld", replied_on=d(6, 1),
                        by=himself)


def test_assign_then_reply_the_agent_told(company):
    users = company.users
    grievance = raise_one(company, received=(5, 20))
    with pytest.raises(GrievanceRefused, match="manager may not assign grievances"):
        grievance_assign(grievance=grievance, handler=users.officer, by=users.manager)
    with pytest.raises(GrievanceRefused, match="clerk may not handle grievances"):
        grievance_assign(grievance=grievance, handler=users.clerk, by=users.officer)
    with pytest.raises(GrievanceRefused, match="G1 is outside officer_sz's scope"):
        grievance_assign(grievance=grievance, handler=users.officer_sz, by=users.hq)
    grievance = grievance_assign(grievance=grievance, handler=users.sales, by=users.officer)
    assert grievance.handler == users.sales
    assert Message.objects.filter(user=users.sales, kind="grievance_assigned").exists()
    with pytest.raises(GrievanceRefused, match="G1 is handled by sales"):
        grievance_reply(grievance=grievance, reply="r", outcome="upheld", replied_on=d(6, 1),
                        by=users.officer)
    with pytest.raises(GrievanceRefused, match="replied_on 2026-05-19 is before 2026-05-20"):
        grievance_reply(grievance=grievance, reply="r", outcome="upheld",
                        replied_on=d(5, 19), by=users.sales)
    with pytest.raises(GrievanceRefused, match="outcome: maybe is not one of the choices"):
        grievance_reply(grievance=grievance, reply="r", outcome="maybe",
                        replied_on=d(6, 1), by=users.sales)
    grievance = grievance_reply(grievance=grievance, reply="已复核佣金，补发差额",
                                outcome="partly", replied_on=d(6, 1), by=users.sales)
    assert (grievance.replied_on, grievance.outcome) == (d(6, 1), "partly")
    told = Message.objects.get(agent=company.agents["A001"], kind="grievance_replied")
    assert "G1" in told.subject and "补发" not in told.body  # the reply stays on its page
    assert told.url == "/grievances/G1/"
    with pytest.raises(GrievanceRefused, match="replied to already"):
        grievance_reply(grievance=grievance, reply="again", outcome="upheld",
                        replied_on=d(6, 1), by=users.sales)
    assert list(Event.objects.filter(key="G1").order_by("id").values_list(
        "action", flat=True)) == ["grievance.raised", "grievance.assigned", "grievance.replied"]


def test_a_voided_grievance_is_not_handled(company):
    from pinzhi.core.voiding import void_fact

    grievance = raise_one(company)
    void_fact(kind="grievance", key="G1", reason="重复登记", by=None)  # see docs: Role.VOIDS
    with pytest.raises(GrievanceRefused, match="G1 is voided"):
        grievance_reply(grievance=grievance, reply="r", outcome="upheld", replied_on=d(6, 1),
                        by=company.users.officer)
