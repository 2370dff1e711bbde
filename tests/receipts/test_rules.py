"""The policy receipt of rules §5 as pure functions: one row per rule, no database."""

import datetime as dt

import pytest

from pinzhi.receipts import rules
from pinzhi.receipts.rules import PolicyFacts, ReceiptFacts

D = dt.date


@pytest.mark.parametrize("effective, expected", [
    (D(2026, 1, 31), D(2026, 4, 30)),  # the spec's example: clamped to April's last day
    (D(2026, 1, 15), D(2026, 4, 15)),
    (D(2025, 11, 30), D(2026, 2, 28)),
    (D(2027, 11, 30), D(2028, 2, 29)),  # a leap year
    (D(2027, 11, 29), D(2028, 2, 29)),
    (D(2027, 11, 28), D(2028, 2, 28)),
    (D(2026, 2, 28), D(2026, 5, 28)),
    (D(2028, 2, 29), D(2028, 5, 29)),
    (D(2026, 10, 31), D(2027, 1, 31)),  # across the year
    (D(2026, 12, 31), D(2027, 3, 31)),
])
def test_deadline_is_three_calendar_months_clamped(effective, expected):
    assert rules.deadline(effective) == expected
    assert rules.case_day(effective) == expected + dt.timedelta(days=1)


def test_the_effective_bound_matches_the_deadline_for_every_day():
    effective = [D(2025, 9, 1) + dt.timedelta(days=n) for n in range(1000)]
    for day in (D(2026, 1, 1) + dt.timedelta(days=n) for n in range(500)):
        bound = rules.effective_bound(day)
        for e in effective:
            assert (rules.deadline(e) < day) == (e < bound), (day, e)


JAN31 = PolicyFacts(D(2026, 1, 31))  # deadline 2026-04-30


@pytest.mark.parametrize("receipt, as_of, state", [
    (None, D(2026, 4, 30), rules.OUTSTANDING),
    (None, D(2026, 5, 1), rules.OVERDUE),
    (ReceiptFacts(D(2026, 4, 30)), D(2026, 4, 30), rules.COLLECTED_ON_TIME),
    (ReceiptFacts(D(2026, 5, 1)), D(2026, 5, 1), rules.COLLECTED_LATE),
    (ReceiptFacts(D(2026, 5, 1)), D(2026, 4, 30), rules.OUTSTANDING),  # not yet collected
    (ReceiptFacts(D(2026, 6, 1)), D(2026, 5, 20), rules.OVERDUE),
    (ReceiptFacts(D(2026, 2, 10)), D(2026, 12, 31), rules.COLLECTED_ON_TIME),
])
def test_receipt_state(receipt, as_of, state):
    assert rules.receipt_state(JAN31, receipt, as_of) == state


@pytest.mark.parametrize("policy, owes", [
    (PolicyFacts(D(2026, 1, 31)), True),
    (PolicyFacts(D(2026, 1, 31), long_term=False), False),
    (PolicyFacts(D(2026, 1, 31), cooling_off_cancelled=True), False),
])
def test_who_owes_a_receipt(policy, owes):
    assert rules.owes_receipt(policy) is owes
    expected = rules.OVERDUE if owes else rules.NOT_OWED
    assert rules.receipt_state(policy, None, D(2026, 12, 31)) == expected
    assert (rules.case_due(policy, None, D(2026, 12, 31)) is not None) is owes


@pytest.mark.parametrize("receipt, as_of, case, deduction", [
    (ReceiptFacts(D(2026, 4, 30)), D(2026, 12, 31), None, 0),  # on the deadline: on time
    (ReceiptFacts(D(2026, 5, 1)), D(2026, 12, 31), D(2026, 5, 1), 2000),  # both sanctions
    (None, D(2026, 4, 30), None, 0),  # the deadline has not passed
    (None, D(2026, 5, 1), D(2026, 5, 1), 0),  # the day after: the case occurs
    (None, D(2026, 12, 31), D(2026, 5, 1), 0),
])
def test_the_case_and_the_deduction(receipt, as_of, case, deduction):
    assert rules.case_due(JAN31, receipt, as_of) == case
    assert rules.late_deduction_fen(JAN31, receipt) == deduction


def test_the_numbers_are_parameters():
    params = rules.Params(deadline_months=2, late_deduction_fen=5000)
    assert rules.deadline(D(2026, 1, 31), params) == D(2026, 3, 31)
    assert rules.late_deduction_fen(JAN31, ReceiptFacts(D(2026, 4, 1)), params) == 5000
    assert rules.effective_bound(D(2026, 4, 1), params) == D(2026, 2, 1)
