"""The demo's commendations (pinzhi/demo/commendations.py): a dozen at most, the demo
agent's among them, through the service; the second run adds none."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.commendations.models import Commendation
from pinzhi.demo import commendations as demo

from .conftest import d

pytestmark = pytest.mark.django_db


def test_seeded_once(company):
    User.objects.create(username="demo_sales", role=Role.SALES_ADMIN, unit=company.units["GD"])
    company.users.agent.username = "demo_agent"
    company.users.agent.save()
    assert demo.seed(d(6, 1)) == "commendations: 4 awarded on the demo branch"
    assert Commendation.objects.filter(agent__code="A001").count() >= 1
    assert set(Commendation.objects.values_list("recorded_by__username", flat=True)) == {
        "demo_sales"}
    assert demo.seed(d(6, 1)).endswith("none added")
