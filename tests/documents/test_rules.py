"""Valuable documents (rules §7.3) as pure functions: one row per rule."""

import datetime as dt

import pytest

from pinzhi.documents.rules import (
    OUT,
    OVERDUE,
    RETURNED,
    Document,
    case_day,
    doc_no_of,
    leaver_deadline,
    leaver_deadline_passed,
    overdue_on,
    returned_late,
    rule_key,
    state,
)


def d(month, day, year=2026):
    return dt.date(year, month, day)


DUE = d(3, 31)


@pytest.mark.parametrize(("returned_on", "today", "expected_state", "expected_case"), [
    (None, d(3, 30), OUT, None),  # within its term
    (None, d(3, 31), OUT, None),  # the due date itself is still on time
    (None, d(4, 1), OVERDUE, d(4, 1)),  # overdue the day after
    (None, d(9, 1), OVERDUE, d(4, 1)),  # the case keeps its day
    (d(3, 31), d(4, 1), RETURNED, None),  # returned on the due date: on time
    (d(3, 15), d(3, 20), RETURNED, None),
    (d(4, 2), d(4, 1), OVERDUE, d(4, 1)),  # returned later: overdue until then
    (d(4, 2), d(4, 2), RETURNED, d(4, 1)),  # returned late: it was overdue, the case stays
    (d(4, 2), d(3, 31), OUT, None),  # seen before the due date: no case yet
])
def test_state_and_case(returned_on, today, expected_state, expected_case):
    doc = Document("D1", DUE, returned_on)
    assert state(doc, today) == expected_state
    assert case_day(doc, today) == expected_case


@pytest.mark.parametrize(("due_on", "overdue"), [
    (d(6, 30), d(7, 1)),  # due on the last day of H1: overdue in H2
    (d(6, 29), d(6, 30)),
    (d(12, 31), d(1, 1, 2027)),
    (d(2, 28), d(3, 1)),
])
def test_overdue_the_day_after(due_on, overdue):
    assert overdue_on(due_on) == overdue


@pytest.mark.parametrize(("returned_on", "late"), [
    (None, False), (d(3, 31), False), (d(4, 1), True)])
def test_returned_late(returned_on, late):
    assert returned_late(Document("D1", DUE, returned_on)) is late


@pytest.mark.parametrize(("left_on", "today", "deadline", "passed"), [
    (d(5, 1), d(5, 31), d(5, 31), False),  # 30 days: the 30th day is still in time
    (d(5, 1), d(6, 1), d(5, 31), True),
    (d(12, 15), d(1, 10, 2027), d(1, 14, 2027), False),
])
def test_leaver_deadline(left_on, today, deadline, passed):
    assert leaver_deadline(left_on) == deadline
    assert leaver_deadline_passed(left_on, today) is passed


def test_rule_key_orders_by_doc_no_and_reads_back():
    assert rule_key("YJ0001") == "documents.overdue:YJ0001"
    assert doc_no_of("documents.overdue:YJ0001#void12") == "YJ0001"
    assert sorted([rule_key("B2"), rule_key("A9")]) == [rule_key("A9"), rule_key("B2")]
