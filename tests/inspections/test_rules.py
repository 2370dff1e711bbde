"""A finding's state and a plan's progress (rules.py), without a database."""

import datetime as dt

import pytest

from pinzhi.inspections import rules


def d(month, day):
    return dt.date(2026, month, day)


@pytest.mark.parametrize("due, rectified, day, expected", [
    (d(5, 31), None, d(5, 30), "open"),  # before the deadline
    (d(5, 31), None, d(5, 31), "open"),  # the deadline's own day is in time
    (d(5, 31), None, d(6, 1), "overdue"),  # the day after
    (d(5, 31), d(5, 31), d(6, 1), "rectified"),  # on the due day itself
    (d(5, 31), d(5, 20), d(6, 1), "rectified"),
    (d(5, 31), d(6, 1), d(6, 1), "rectified_late"),  # a day late
    (d(5, 31), d(6, 3), d(6, 2), "overdue"),  # rectified later than the day asked about
    (d(5, 31), d(5, 30), d(5, 29), "open"),  # likewise, before the deadline
])
def test_state(due, rectified, day, expected):
    assert rules.state(due, rectified, day) == expected


@pytest.mark.parametrize("found, days, due", [
    (d(5, 1), 30, d(5, 31)),
    (d(12, 15), 30, dt.date(2027, 1, 14)),  # across the year
    (d(5, 1), 0, d(5, 1)),
])
def test_default_due(found, days, due):
    assert rules.default_due(found, days) == due


def test_progress():
    p = rules.progress(["passed", "", "failed", "not_applicable", ""],
                       [(d(5, 31), None), (d(6, 30), None), (d(5, 31), d(5, 2)),
                        (d(5, 1), d(5, 3))], d(6, 1))
    assert p == rules.Progress(items=5, checked=3, findings=4, open=1, overdue=1)
    assert p.checked_text == "3/5"
    assert rules.progress([], [], d(6, 1)) == rules.Progress(0, 0, 0, 0, 0)
