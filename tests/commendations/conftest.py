"""Commendations on the small company (tests.factories): the clock stands at 2026-06-01
10:00 (Shanghai). A001 in T1 (GZ), A004 in T3 (SZ); `sales` is GD's sales administration."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.commendations.services import commendation_record

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def commend(company, no="J1", agent="A001", kind="integrity", on=(5, 1), unit="GZ",
            by=None, title="拒绝误导销售"):
    return commendation_record(
        commendation_no=no, agent=company.agents[agent], awarded_on=d(*on), kind=kind,
        title=title, reason="客户要求写“保本”，业务员如实告知风险并拒绝", unit=company.units[unit],
        by=by if by is not None else company.users.sales)
