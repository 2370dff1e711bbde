"""The complaint's clocks, one row per rule (pinzhi/complaints/rules.py)."""

import datetime as dt

import pytest

from pinzhi.complaints import rules as r

D = dt.date
RECEIVED = D(2026, 3, 1)


@pytest.mark.parametrize(("extensions", "due"), [
    (0, D(2026, 3, 16)),  # 15 days
    (1, D(2026, 3, 31)),  # extended to 30 days
    (2, D(2026, 4, 30)),  # and with a senior approval, 30 more
])
def test_the_decision_is_due(extensions, due):
    assert r.decision_due(RECEIVED, extensions) == due


@pytest.mark.parametrize(("facts", "today", "state", "due", "overdue"), [
    (r.Facts(RECEIVED), D(2026, 3, 16), "open", D(2026, 3, 16), False),  # its last day
    (r.Facts(RECEIVED), D(2026, 3, 17), "open", D(2026, 3, 16), True),
    (r.Facts(RECEIVED, extensions=1), D(2026, 3, 17), "open", D(2026, 3, 31), False),
    (r.Facts(RECEIVED, extensions=2), D(2026, 5, 1), "open", D(2026, 4, 30), True),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 20)), D(2026, 9, 1), "decided", None, False),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10), review_requested_on=D(2026, 4, 1)),
     D(2026, 5, 1), "under_review", D(2026, 5, 1), False),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10), review_requested_on=D(2026, 4, 1)),
     D(2026, 5, 2), "under_review", D(2026, 5, 1), True),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10), review_requested_on=D(2026, 4, 1),
             review_decided_on=D(2026, 4, 20)), D(2026, 9, 1), "reviewed", None, False),
])
def test_state_deadline_and_overdue(facts, today, state, due, overdue):
    assert (r.state(facts), r.due_on(facts), r.overdue(facts, today)) == (state, due, overdue)


@pytest.mark.parametrize(("facts", "late"), [
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 16)), False),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 17)), True),
    (r.Facts(RECEIVED, extensions=1, decided_on=D(2026, 3, 31)), False),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10), review_requested_on=D(2026, 4, 1),
             review_decided_on=D(2026, 5, 2)), True),
])
def test_decided_late(facts, late):
    assert r.decided_late(facts) is late


@pytest.mark.parametrize(("facts", "on", "approved", "refusal"), [
    (r.Facts(RECEIVED), D(2026, 3, 16), False, None),  # by the deadline it extends
    (r.Facts(RECEIVED), D(2026, 3, 17), False, "the deadline it would extend has passed"),
    (r.Facts(RECEIVED, extensions=1), D(2026, 3, 20), False,
     "a second extension needs a senior approval"),
    (r.Facts(RECEIVED, extensions=1), D(2026, 3, 31), True, None),
    (r.Facts(RECEIVED, extensions=2), D(2026, 4, 1), True, "extended twice already"),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 5)), D(2026, 3, 6), False, "decided already"),
])
def test_an_extension(facts, on, approved, refusal):
    assert r.extension_refusal(facts, on, approved=approved) == refusal


@pytest.mark.parametrize(("facts", "on", "refusal"), [
    (r.Facts(RECEIVED), D(2026, 3, 5), "not decided yet"),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10)), D(2026, 4, 9), None),  # the 30th day
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10)), D(2026, 4, 10),
     "more than the allowed days after the decision"),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10)), D(2026, 3, 9), "before the decision"),
    (r.Facts(RECEIVED, decided_on=D(2026, 3, 10), review_requested_on=D(2026, 3, 12)),
     D(2026, 3, 13), "a review was requested already"),
])
def test_a_review_request(facts, on, refusal):
    assert r.review_refusal(facts, on) == refusal
