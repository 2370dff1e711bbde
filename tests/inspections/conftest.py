"""Inspections on the small company (tests.factories): the clock stands at 2026-06-01 10:00
(Shanghai) unless a test moves it. GZ holds T1 (A001, A002 its manager) and T2 (A003);
SZ holds T3 (A004). `officer` and `clerk` are GZ's, `officer_sz` SZ's, `manager` T1's."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.inspections import services

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def plan(company, no="J1", unit="GZ", kind="inspection", by=None):
    return services.plan_create(plan_no=no, unit=company.units[unit], kind=kind,
                                period_from=d(4, 1), period_to=d(6, 30), title="二季度检查",
                                by=by or company.users.officer)


def finding(company, the_plan, no="F1", found=(5, 1), owner=None, agent=None, by=None,
            **kw):
    return services.finding_record(
        plan=the_plan, finding_no=no, description="回执超期未回销", found_on=d(*found),
        owner=owner or company.users.clerk, by=by or company.users.officer,
        agent=company.agents[agent] if agent else None, **kw)


@pytest.fixture
def inspected(company):
    """J1 on GZ: F1 found 05-01 (due 05-31: overdue), F2 found 05-20 naming A001 with a
    violation (due 06-19: open); J4 on SZ with F4."""
    j1 = plan(company)
    finding(company, j1, "F1")
    finding(company, j1, "F2", found=(5, 20), agent="A001",
            violation_code="receipt_not_returned")
    j4 = plan(company, "J4", unit="SZ", by=company.users.officer_sz)
    finding(company, j4, "F4", owner=company.users.officer_sz, by=company.users.officer_sz)
    return company
