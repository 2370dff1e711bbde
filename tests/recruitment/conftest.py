"""Recruitment on the small company (tests.factories): the clock stands at 2026-06-01
10:00 (Shanghai) unless a test moves it; `sales` recruits for the whole GD branch."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.recruitment import rules
from pinzhi.recruitment.services import candidate_record, check_record

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(first17: str) -> str:
    """A valid 18-digit ID number (GB 11643 check digit) from its first 17 digits."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS,
                                                                   strict=True)) % 11]


ID1 = id_number("44010619950612301")
ID2 = id_number("44030519970203402")


def d(year, month, day):
    return dt.date(year, month, day)


APPLIED, CHECKED, TODAY = dt.date(2026, 5, 1), dt.date(2026, 5, 10), dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def candidate(company, no="R1", idn=ID1, team="T1", by=None, applied=APPLIED):
    return candidate_record(candidate_no=no, name="赵敏", id_number=idn, phone="13911112222",
                            team=company.units[team], rank="业务员", applied_on=applied,
                            by=by if by is not None else company.users.sales)


def clear_all(company, cand, on=CHECKED, skip=(), by=None):
    for kind in rules.REQUIRED:
        if kind not in skip:
            check_record(candidate=cand, kind=kind, checked_on=on, outcome="clear",
                         source="国家金融监督管理总局系统", by=by or company.users.sales)
