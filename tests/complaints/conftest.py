"""Complaints on the small company (tests.factories): the clock stands at 2026-06-01 10:00
(Shanghai) unless a test moves it; P1 is A001's (T1, GZ), P4 is A004's (T3, SZ)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.complaints.services import complaint_receive

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def receive(company, no="K1", policy="P1", agent="A001", received=(5, 1), by=None):
    return complaint_receive(complaint_no=no, received_on=d(*received),
                             agent=company.agents[agent], policy=company.policies[policy],
                             complainant="陈静", summary="业务员承诺保证收益",
                             by=by if by is not None else company.users.clerk)
