"""The demo's rank decisions (pinzhi.demo.assessments): one office of the demo branch,
as recommended, through the bulk service; idempotent."""

import datetime as dt

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.assessments.models import RankDecision
from pinzhi.demo.assessments import seed

pytestmark = pytest.mark.django_db


def test_one_office_decided_once(assessed):
    User.objects.create(username="demo_sales", role=Role.SALES_ADMIN,
                        unit=assessed.units["GD"])
    today = dt.date(2026, 7, 10)
    line = seed(today)
    assert line == "assessments: 2026H1 of office GZ01: 3 decided as recommended (1 demote, " \
                   "1 promote, 1 termination_review)"
    assert sorted(RankDecision.objects.values_list("agent__code", flat=True)) == [
        "A001", "A002", "A003"]  # GZ01's; SZ01's A004 left undecided
    assert seed(today) == "assessments: 2026H1 has decisions already: none added"


def test_without_demo_users(company):
    assert seed(dt.date(2026, 7, 10)) == "assessments: no demo sales administrator: none added"
