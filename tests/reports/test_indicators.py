"""rules §8.1, one row per rule of its table, on plain facts (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from pinzhi.reports import indicators as ind
from pinzhi.reports.indicators import Period, PolicyFacts

SH = dt.timezone(dt.timedelta(hours=8))
JAN = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
AS_OF = dt.datetime(2026, 6, 1, tzinfo=SH)


def policy(**kw) -> PolicyFacts:
    values = dict(printed_on=dt.date(2026, 1, 10), effective_on=dt.date(2026, 1, 9),
                  premium_fen=1_000_000, commission_fen=100_000)
    values.update(kw)
    return PolicyFacts(**values)


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SH)


@pytest.mark.parametrize("facts, expected", [
    ([policy()], (1, 1_000_000, 100_000)),
    ([policy(printed_on=dt.date(2026, 2, 1))], (0, 0, 0)),  # printed after the period
    ([policy(cancelled_on=dt.date(2026, 1, 20))], (0, 0, 0)),  # cooling-off cancellation
    ([policy(cancelled_on=dt.date(2026, 6, 2))], (1, 1_000_000, 100_000)),  # after the moment
    ([policy(), policy(long_term=False, premium_fen=5, commission_fen=1)],
     (2, 1_000_005, 100_001)),
])
def test_new_business_is_printed_in_the_period_less_cancellations(facts, expected):
    t = ind.tally(facts, JAN, AS_OF)
    assert (t.policies, t.premium_fen, t.commission_fen) == expected


@pytest.mark.parametrize("facts, expected", [
    ([], (0, None, None, None)),  # no policies: "—", never 0 or an error
    ([policy(long_term=False, success_at=at("2026-01-20"), first_success_round="1")],
     (0, None, None, None)),  # short-term: no callback due
    ([policy(exempted_on=dt.date(2026, 1, 15))], (0, None, None, None)),
    ([policy(cancelled_on=dt.date(2026, 1, 15))], (0, None, None, None)),
    ([policy(success_at=at("2026-01-20"), first_success_round="1",
             cooling_off_ends_at=at("2026-01-25", 0))], (1, Decimal("1"), Decimal("1"),
                                                          Decimal("1"))),
    ([policy(success_at=at("2026-01-30"), first_success_round="manual",
             cooling_off_ends_at=at("2026-01-25", 0)),
      policy(),
      policy(success_at=at("2026-06-02"), first_success_round="1")],  # after the moment
     (3, Decimal("0"), Decimal("0.3333"), Decimal("0"))),
])
def test_callback_rates_are_over_the_callbacks_due(facts, expected):
    t = ind.tally(facts, JAN, AS_OF)
    assert (t.callbacks_due, t.callback_first_round_rate, t.callback_success_rate,
            t.callback_in_time_rate) == expected


def test_receipts_are_due_by_their_deadline_in_the_period():
    # Effective 2025-10-31: deadline 2026-01-31 (clamped), in January.
    due = dict(effective_on=dt.date(2025, 10, 31), printed_on=dt.date(2025, 11, 1))
    facts = [policy(**due, collected_on=dt.date(2026, 1, 31)),  # on the deadline: on time
             policy(**due, collected_on=dt.date(2026, 2, 1)),  # late
             policy(**due, collected_on=dt.date(2026, 6, 2)),  # after the moment
             policy(**due, cancelled_on=dt.date(2025, 11, 5)),  # owes none
             policy(**due, long_term=False),
             policy(effective_on=dt.date(2025, 11, 1), printed_on=dt.date(2025, 11, 2))]
    t = ind.tally(facts, JAN, AS_OF)
    assert (t.receipts_due, t.receipt_collection_rate, t.receipt_on_time_rate) == (
        3, Decimal("0.6667"), Decimal("0.3333"))


def test_persistency_counts_the_premium_of_the_cohort_twelve_months_back():
    cohort = dict(effective_on=dt.date(2025, 1, 15), printed_on=dt.date(2025, 1, 16))
    facts = [policy(**cohort, premium_fen=300, renewal_paid_on=dt.date(2026, 2, 28)),
             policy(**cohort, premium_fen=200, renewal_paid_on=dt.date(2026, 3, 1)),  # late
             policy(**cohort, premium_fen=100),  # no record: unpaid
             policy(**cohort, premium_fen=900, regular_premium=False),  # single premium
             policy(**cohort, premium_fen=700, cancelled_on=dt.date(2025, 1, 20)),
             policy(premium_fen=50, renewal_paid_on=dt.date(2026, 2, 1))]  # not the cohort
    t = ind.tally(facts, JAN, AS_OF)
    assert (t.cohort_premium_fen, t.cohort_paid_fen, t.persistency_13m) == (
        600, 300, Decimal("0.5"))
    assert ind.tally([], JAN, AS_OF).persistency_13m is None


def test_the_13th_month_ends_on_its_last_day():
    assert ind.persistency_deadline(dt.date(2025, 1, 31)) == dt.date(2026, 2, 28)
    assert ind.persistency_deadline(dt.date(2024, 1, 1)) == dt.date(2025, 2, 28)
    assert ind.persistency_deadline(dt.date(2023, 1, 5)) == dt.date(2024, 2, 29)
    assert ind.persistency_deadline(dt.date(2025, 12, 1)) == dt.date(2027, 1, 31)


@pytest.mark.parametrize("points, agents, expected", [
    (Decimal("15.5"), 3, Decimal("516.67")), (Decimal("0"), 10, Decimal("0.00")),
    (Decimal("4"), 0, None)])
def test_points_per_100_agents(points, agents, expected):
    assert ind.points_per_100_agents(points, agents) == expected


def satisfaction(answers):
    t = ind.Tally()
    for answer in answers:
        ind.add_answer(t, answer)
    return t.satisfaction


def test_a_parents_tally_is_the_sum_of_its_childrens():
    a = ind.tally([policy(success_at=at("2026-01-20"), first_success_round="1")], JAN, AS_OF)
    b = ind.tally([policy(), policy(long_term=False)], JAN, AS_OF)
    both = a + b
    assert (both.policies, both.callbacks_due, both.callbacks_succeeded) == (3, 2, 1)
    assert both.callback_success_rate == Decimal("0.5")
    assert both == ind.tally([policy(success_at=at("2026-01-20"), first_success_round="1"),
                              policy(), policy(long_term=False)], JAN, AS_OF)


def test_satisfaction_and_rates_round_half_up():
    assert satisfaction([5, 4, 4]) == Decimal("4.33")
    assert satisfaction([5, 4]) == Decimal("4.50")
    assert satisfaction([]) is None
    assert ind.rate(1, 8) == Decimal("0.125") and ind.rate(1, 16) == Decimal("0.0625")
    assert ind.rate(1, 32) == Decimal("0.0313")  # 0.03125: half-up
