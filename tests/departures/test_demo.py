"""The demo seed of departures (issue 8) on the small company: through the services,
idempotent."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.demo import data
from pinzhi.demo.departures import seed
from pinzhi.departures.models import Departure, PolicyholderNotice

from .conftest import d

pytestmark = pytest.mark.django_db


def test_seed_records_departures_once(leaver):
    for code, left_on in (("A001", d(5, 25)), ("A003", d(3, 1))):
        agent = leaver.agents[code]
        agent.status, agent.left_on = "terminated", left_on
        agent.save()
    manager = leaver.agents["A002"]
    manager.rank = data.MANAGER
    manager.save()
    User.objects.create(username="demo_sales", role=Role.SALES_ADMIN, unit=leaver.units["GD"])
    User.objects.create(username="demo_clerk", role=Role.CLERK, unit=leaver.units["GZ"])
    summary = seed(d(6, 1))
    # A003's team T2 has no manager: only A001's departure, the fresh one
    assert summary == "departures: 1 recorded (fresh)"
    departure = Departure.objects.get()
    assert (departure.agent.code, departure.servicing_agent.code, departure.left_on) == (
        "A001", "A002", d(5, 25))
    assert PolicyholderNotice.objects.count() == 0  # 30% of two policies: none yet
    assert seed(d(6, 1)).endswith("none added")
