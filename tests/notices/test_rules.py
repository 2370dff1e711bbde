"""Notices (rules §7.4) as a pure function: one row per rule, and the notice of
../shared/spec/examples.md (A001: due 05-10, delivered 05-14 -> notice_late on 05-11)."""

import datetime as dt

import pytest

from pinzhi.notices.rules import (
    DELIVERED,
    LATE,
    NOTICE_HARM,
    NOTICE_LATE,
    REPORTED,
    REPORTED_FALSE,
    TO_DELIVER,
    Notice,
    notice_case,
    notice_state,
)


def d(month, day):
    return dt.date(2026, month, day)


DUE = d(5, 10)


def n(delivered=None, reported=None, false=False, harm=False):
    return Notice(due_on=DUE, delivered_on=delivered, reported_on=reported,
                  report_false=false, harm=harm, issued_on=d(5, 1))


# (why, notice, as_of, expected case, expected state)
CASES = [
    ("delivered and reported in time", n(d(5, 8), d(5, 9)), d(12, 31), None, REPORTED),
    ("delivered and reported on the due date", n(DUE, DUE), d(12, 31), None, REPORTED),
    ("delivered late (examples.md)", n(d(5, 14), d(5, 14)), d(12, 31),
     (NOTICE_LATE, d(5, 11)), LATE),
    ("delivered late, seen before the delivery", n(d(5, 14)), d(5, 12),
     (NOTICE_LATE, d(5, 11)), LATE),
    ("delivered in time, reported late", n(d(5, 9), d(5, 12)), d(12, 31),
     (NOTICE_LATE, d(5, 11)), LATE),
    ("delivered in time, never reported", n(d(5, 9)), d(5, 11), (NOTICE_LATE, d(5, 11)), LATE),
    ("delivered, not reported, due not passed", n(d(5, 9)), DUE, None, DELIVERED),
    ("never delivered, on the due date", n(), DUE, None, TO_DELIVER),
    ("never delivered, the day after", n(), d(5, 11), (NOTICE_LATE, d(5, 11)), LATE),
    ("never delivered, long after", n(), d(12, 31), (NOTICE_LATE, d(5, 11)), LATE),
    ("reported false in time: on the report's day", n(d(5, 3), d(5, 6), false=True),
     d(12, 31), (NOTICE_LATE, d(5, 6)), REPORTED_FALSE),
    ("reported false, not yet reported by as_of", n(d(5, 3), d(5, 6), false=True),
     d(5, 5), None, DELIVERED),
    ("reported false and late: the day after due", n(d(5, 3), d(5, 12), false=True),
     d(12, 31), (NOTICE_LATE, d(5, 11)), REPORTED_FALSE),
    ("harm on a late notice: notice_harm instead", n(d(5, 14), d(5, 14), harm=True),
     d(12, 31), (NOTICE_HARM, d(5, 11)), LATE),
    ("harm on a false report", n(d(5, 3), d(5, 6), false=True, harm=True), d(12, 31),
     (NOTICE_HARM, d(5, 6)), REPORTED_FALSE),
    ("harm alone, in time and truthful: no case", n(d(5, 3), d(5, 6), harm=True),
     d(12, 31), None, REPORTED),
]


@pytest.mark.parametrize("why, notice, as_of, case, state", CASES, ids=[c[0] for c in CASES])
def test_notice_case_and_state(why, notice, as_of, case, state):
    assert notice_case(notice, as_of) == case
    assert notice_state(notice, as_of) == state


def test_never_delivered_has_no_case_before_the_day_after_due():
    days = [d(5, 1) + dt.timedelta(days=i) for i in range(20)]
    cases = {day: notice_case(n(), day) for day in days}
    assert all(c is None for day, c in cases.items() if day <= DUE)
    assert all(c == (NOTICE_LATE, d(5, 11)) for day, c in cases.items() if day > DUE)


def test_harm_added_later_replaces_the_case_type_same_day():
    before = notice_case(n(d(5, 14), d(5, 14)), d(6, 1))
    after = notice_case(n(d(5, 14), d(5, 14), harm=True), d(6, 1))
    assert before == (NOTICE_LATE, d(5, 11)) and after == (NOTICE_HARM, d(5, 11))


def test_a_correction_to_in_time_removes_the_case():
    assert notice_case(n(d(5, 14), d(5, 14)), d(6, 1)) is not None
    assert notice_case(n(d(5, 9), d(5, 10)), d(6, 1)) is None
