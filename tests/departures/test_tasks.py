"""Each 30-day task of a departure on its own facts (issue 8): A001 left on 2026-05-10,
both tasks are due on 2026-06-09. The policyholders of P1 and P7 (long-term, in force
that day) are told; documents D1 and D2 (out that day) are returned through the
documents' own service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pinzhi.core.models import Parameter
from pinzhi.departures.services import policyholders_told
from pinzhi.departures.tasks import tasks_of
from pinzhi.documents.models import ValuableDocument
from pinzhi.documents.services import document_return

from .conftest import d, depart

pytestmark = pytest.mark.django_db
DUE = d(6, 9)

# (the day each of the two items was finished, None: never), as of, state, n of m
TABLE = [
    ((None, None), d(6, 9), "open", 0),
    ((d(5, 20), None), d(6, 9), "open", 1),  # the due day: in time still
    ((d(5, 20), None), d(6, 10), "overdue", 1),  # the day after
    ((d(5, 20), d(6, 9)), d(6, 9), "done", 2),  # finished on the due day: in time
    ((d(5, 20), d(6, 10)), d(6, 10), "late", 2),
    ((d(5, 20), d(6, 10)), d(6, 9), "open", 1),  # as of the due day
    ((d(5, 20), d(6, 10)), d(6, 30), "late", 2),
]


@pytest.fixture
def later(clock):
    clock.move_to(dt.datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.mark.parametrize(("finished", "as_of", "state", "n"), TABLE)
def test_the_policyholders_told_clock(leaver, later, finished, as_of, state, n):
    departure = depart(leaver)
    for no, day in zip(("P1", "P7"), finished, strict=True):
        if day is not None:
            policyholders_told(departure=departure, policies=[leaver.policies[no]],
                               told_on=day, how="letter", by=leaver.users.sales)
    task = tasks_of(departure, as_of).notify
    assert (task.due_on, task.state, task.done, task.total) == (DUE, state, n, 2)


@pytest.mark.parametrize(("finished", "as_of", "state", "n"), TABLE)
def test_the_documents_returned_clock(leaver, later, finished, as_of, state, n):
    departure = depart(leaver)
    for no, day in zip(("D1", "D2"), finished, strict=True):
        if day is not None:
            document_return(document=ValuableDocument.objects.get(doc_no=no),
                            returned_on=day, by=leaver.users.clerk)
    task = tasks_of(departure, as_of).documents
    assert (task.due_on, task.state, task.done, task.total) == (DUE, state, n, 2)


def test_nothing_to_do_is_done(company):
    departure = depart(company, agent="A003", servicing="A002")  # P3 only, no documents
    tasks = tasks_of(departure, d(6, 1))
    assert (tasks.notify.state, tasks.notify.total) == ("open", 1)
    assert (tasks.documents.state, tasks.documents.total) == ("done", 0)


def test_a_document_issued_after_he_left_is_not_his_task(leaver):
    from pinzhi.documents.services import document_issue

    departure = depart(leaver)
    document_issue(doc_no="D9", agent=leaver.agents["A001"], issued_on=d(5, 11),
                   due_on=d(8, 1), by=leaver.users.clerk)
    assert tasks_of(departure, d(6, 1)).documents.total == 2


def test_the_days_come_from_the_parameter_in_force_when_he_left(leaver):
    Parameter.objects.create(key="departures.notify_days", valid_from=d(1, 1), value=10,
                             unit=leaver.units["GZ"])
    Parameter.objects.create(key="departures.documents_days", valid_from=d(5, 11), value=5)
    tasks = tasks_of(depart(leaver), d(5, 21))
    assert (tasks.notify.due_on, tasks.notify.state) == (d(5, 20), "overdue")
    assert tasks.documents.due_on == DUE  # the 5-day version came after he left
    assert tasks.overdue
