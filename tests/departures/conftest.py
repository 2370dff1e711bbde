"""Departures on the small company (tests.factories): the clock stands at 2026-06-01
10:00 (Shanghai) unless a test moves it. A001 (T1) leaves on 2026-05-10; A002 is T1's
manager and takes over. Besides P1 (long-term, in force) A001 has:
P5 short-term in force, P6 long-term surrendered before he left, P7 long-term
surrendered after he left (in force on the day), P8 signed after he left."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pinzhi.departures.services import agent_depart
from pinzhi.documents.services import document_issue
from tests.factories import make_policy

NOW = dt.datetime(2026, 6, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LEFT = dt.date(2026, 5, 10)


def d(month, day):
    return dt.date(2026, month, day)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def leaver(company):
    """A001's other policies and two documents he still held (one returned later)."""
    a1, p = company.agents["A001"], company.products
    company.policies.update({
        "P5": make_policy("P5", a1, p["ACC1"]),
        "P6": make_policy("P6", a1, p["TRAD10"], status="surrendered", status_on=d(4, 1)),
        "P7": make_policy("P7", a1, p["UL1"], status="surrendered", status_on=d(5, 20)),
        "P8": make_policy("P8", a1, p["TRAD10"], signed_on=d(5, 15)),
    })
    clerk = company.users.clerk
    for no, issued, returned in (("D1", d(3, 1), None), ("D2", d(4, 1), None),
                                 ("D3", d(2, 1), d(3, 1))):
        document_issue(doc_no=no, agent=a1, issued_on=issued, due_on=d(8, 1), by=clerk)
        if returned:
            from pinzhi.documents.models import ValuableDocument
            from pinzhi.documents.services import document_return

            document_return(document=ValuableDocument.objects.get(doc_no=no),
                            returned_on=returned, by=clerk)
    return company


def depart(company, agent="A001", left_on=LEFT, servicing="A002", by=None,
           reason="resigned"):
    return agent_depart(agent=company.agents[agent], left_on=left_on, reason=reason,
                        servicing_agent=company.agents[servicing] if servicing else None,
                        note="个人原因", by=by if by is not None else company.users.sales)
