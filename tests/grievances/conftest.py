"""Grievances on the small company (tests.factories): the clock stands at 2026-06-01 10:00
(Shanghai) unless a test moves it. A001 (user `agent`) is in T1, whose manager is A002
(user `manager`); A003 in T2 (GZ), A004 in T3 (SZ)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.grievances.services import grievance_raise

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def raise_one(company, no="G1", agent="A001", about="company", against=None,
              received=(5, 1), by=None, channel="letter"):
    """A grievance recorded from paper by the GZ officer (or `by`)."""
    return grievance_raise(
        grievance_no=no, agent=company.agents[agent], about=about,
        against_agent=company.agents.get(against, against) if against else None,
        summary="佣金计算有误，多次反映无果", channel=channel, received_on=d(*received),
        by=by if by is not None else company.users.officer)
