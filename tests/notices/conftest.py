"""Notices on the small company (tests.factories): the clock stands at 2026-06-01 10:00
(Shanghai) unless a test moves it; P1 is A001's (T1, GZ), P4 is A004's (T3, SZ)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.notices.services import notice_issue

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=SH)


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def issue(company, no="N1", policy="P1", agent="A001", due=(5, 10), by=None, **kw):
    return notice_issue(notice_no=no, policy=company.policies[policy],
                        agent=company.agents[agent], kind=kw.pop("kind", "notice"),
                        issued_on=kw.pop("issued", d(5, 1)), due_on=d(*due),
                        by=by if by is not None else company.users.clerk)


@pytest.fixture(autouse=True)
def english(client):
    """The pages are Chinese first; these tests read the services' English words."""
    client.cookies["django_language"] = "en"
    return client
