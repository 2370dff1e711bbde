"""The demo's inspections (pinzhi/demo/inspections.py) on the small company, with demo
users standing where the demo's would: written by the services, idempotent."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.demo import inspections as demo
from pinzhi.inspections.models import Finding, InspectionPlan

from .conftest import d

pytestmark = pytest.mark.django_db


def test_two_plans_and_a_finding_in_every_state(company):
    for username, role, unit, agent in (("demo_officer", Role.QUALITY_OFFICER, "GD", None),
                                        ("demo_clerk", Role.CLERK, "GZ", None),
                                        ("demo_manager", Role.MANAGER, "T1", None)):
        User.objects.create(username=username, role=role, unit=company.units[unit],
                            agent=company.agents[agent] if agent else None)
    assert demo.seed(d(6, 1)).startswith("inspections: plans")
    assert sorted(InspectionPlan.objects.values_list("kind", "unit__code")) == [
        ("inspection", "GZ"), ("self_inspection", "T1")]
    states = sorted(f.state_on(d(6, 1)) for f in Finding.objects.all())
    assert states == ["open", "open", "overdue", "rectified"]
    assert Finding.objects.filter(case__isnull=False).count() == 1
    assert demo.seed(d(6, 1)).endswith("none added")
    assert InspectionPlan.objects.count() == 2
