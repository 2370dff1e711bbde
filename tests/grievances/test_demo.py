"""The demo's grievances (pinzhi/demo/grievances.py) on the small company with demo users:
written through the services, every state there, the second run adds none."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.demo import grievances as demo
from pinzhi.grievances.clock import with_clocks
from pinzhi.grievances.models import Grievance
from pinzhi.org.models import Agent

from .conftest import d

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_users(company):
    for n in range(5, 9):
        Agent.objects.create(code=f"A00{n}", name=f"业务员{n}", id_number="x",
                             phone=f"1380000000{n}", rank="业务员",
                             team=company.units["T1" if n % 2 else "T2"], hired_on=d(1, 1))
    u = company.units
    for name, role, unit, agent in (
            ("demo_agent", Role.AGENT, u["T1"], "A001"),
            ("demo_manager", Role.MANAGER, u["T1"], "A002"),
            ("demo_officer", Role.QUALITY_OFFICER, u["GD"], None),
            ("demo_sales", Role.SALES_ADMIN, u["GD"], None)):
        User.objects.filter(agent__code=agent).update(agent=None) if agent else None
        User.objects.create(username=name, role=role, unit=unit,
                            agent=company.agents[agent] if agent else None)
    return company


def test_seeded_once_in_every_state(demo_users):
    assert demo.seed(d(6, 1)).startswith("grievances: 6")
    rows = with_clocks(Grievance.objects.all(), d(6, 1))
    assert {g.clock.state for g in rows} == {"open", "overdue", "replied", "replied_late"}
    own = Grievance.objects.get(agent__code="A001")
    assert own.recorded_by.username == "demo_agent" and own.channel == "app"
    about = Grievance.objects.get(about="manager")
    assert about.against_agent.code == "A002"
    manager = User.objects.get(username="demo_manager")
    assert not Grievance.objects.restrict(manager).exists()
    assert demo.seed(d(6, 1)).endswith("none added")
