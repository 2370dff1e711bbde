"""The grievance's clock (rules.py), one row per rule, without a database."""

import datetime as dt

import pytest

from pinzhi.grievances import rules

RECEIVED = dt.date(2026, 5, 1)  # due 2026-05-16 with 15 days


def d(month, day):
    return dt.date(2026, month, day)


@pytest.mark.parametrize("received, days, due", [
    (RECEIVED, 15, d(5, 16)),
    (d(12, 20), 15, dt.date(2027, 1, 4)),  # across the year
    (RECEIVED, 30, d(5, 31)),  # another version of the parameter
])
def test_due_day(received, days, due):
    assert rules.due_on(received, days) == due


@pytest.mark.parametrize("replied_on, as_of, state", [
    (None, d(5, 1), "open"),  # the day it was received
    (None, d(5, 16), "open"),  # the due day itself is in time
    (None, d(5, 17), "overdue"),  # the day after
    (d(5, 16), d(6, 1), "replied"),  # replied on the due day
    (d(5, 2), d(5, 2), "replied"),
    (d(5, 17), d(6, 1), "replied_late"),  # replied the day after
    (d(5, 20), d(5, 17), "overdue"),  # a reply after the day asked about does not count yet
    (d(5, 10), d(5, 9), "open"),
])
def test_state_as_of_a_day(replied_on, as_of, state):
    assert rules.state(rules.Facts(RECEIVED, replied_on), as_of, 15) == state
    assert state in rules.STATES
