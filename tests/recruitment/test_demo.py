"""The demo's recruitment seed (pinzhi/demo/recruitment.py): one candidate at every
state, through the services; run again, it adds nothing."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.demo import recruitment as demo
from pinzhi.recruitment.models import Candidate
from pinzhi.recruitment.verdicts import with_verdicts

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_seed_is_deterministic_and_idempotent(company):
    assert demo.seed(TODAY) == "recruitment: no demo_sales user: none added"
    User.objects.create(username="demo_sales", role=Role.SALES_ADMIN, unit=company.units["GD"])
    assert demo.seed(TODAY) == "recruitment: 5 candidates, 2 contracted, 1 barred, 1 pending"
    rows = with_verdicts(Candidate.objects.select_related("team").order_by("candidate_no"),
                         TODAY)
    assert [(c.name, c.verdict.state) for c in rows] == [
        ("周子涵", "contracted"), ("吴宇航", "contracted"), ("郑雅琪", "cleared"),
        ("冯浩然", "barred"), ("陈思远", "pending")]
    assert rows[3].verdict.reasons == ["dismissed_for_cause: barred through 2028-06-01"]
    assert demo.seed(TODAY).endswith("none added") and Candidate.objects.count() == 5
