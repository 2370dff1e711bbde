"""The indicators by calendar month (the dashboards' precomputed figures): the months a
policy concerns, the cohort's months tiling time, and a period made of its months."""

import datetime as dt

import pytest

from pinzhi.reports import indicators as ind
from pinzhi.settlement.rules import SHANGHAI

D = dt.date
AS_OF = dt.datetime(2027, 6, 1, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("period", "cohort"), [
    # a month's cohort is the whole month a year before, 29 February included
    ((D(2025, 2, 1), D(2025, 2, 28)), (D(2024, 2, 1), D(2024, 2, 29))),
    ((D(2025, 3, 1), D(2025, 3, 31)), (D(2024, 3, 1), D(2024, 3, 31))),
    ((D(2026, 1, 1), D(2026, 6, 30)), (D(2025, 1, 1), D(2025, 6, 30))),
    # a period ending mid-month shifts day for day
    ((D(2026, 3, 1), D(2026, 3, 15)), (D(2025, 3, 1), D(2025, 3, 15))),
])
def test_the_cohort_is_the_period_a_year_before(period, cohort):
    assert ind.cohort(ind.Period(*period)) == ind.Period(*cohort)


@pytest.mark.parametrize(("printed", "effective", "months"), [
    # printed month (new business, callbacks); receipt deadline's; cohort month (+12)
    (D(2026, 1, 5), D(2026, 1, 4), {D(2026, 1, 1), D(2026, 4, 1), D(2027, 1, 1)}),
    (D(2026, 1, 31), D(2025, 11, 30), {D(2026, 1, 1), D(2026, 2, 1), D(2026, 11, 1)}),
    (D(2024, 3, 1), D(2024, 2, 29), {D(2024, 3, 1), D(2024, 5, 1), D(2025, 2, 1)}),
])
def test_the_months_a_policy_concerns(printed, effective, months):
    assert ind.concerned_months(ind.PolicyFacts(printed, effective)) == months


POLICIES = [
    ind.PolicyFacts(D(2026, 1, 5), D(2026, 1, 4), premium_fen=100, commission_fen=10,
                    first_success_round="1", success_at=dt.datetime(2026, 1, 9, tzinfo=SHANGHAI),
                    cooling_off_ends_at=dt.datetime(2026, 1, 20, tzinfo=SHANGHAI),
                    collected_on=D(2026, 3, 1), renewal_paid_on=D(2027, 1, 3)),
    ind.PolicyFacts(D(2026, 2, 27), D(2025, 12, 31), premium_fen=200, collected_on=D(2026, 4, 2)),
    ind.PolicyFacts(D(2024, 3, 1), D(2024, 2, 29), premium_fen=300,
                    renewal_paid_on=D(2025, 2, 28)),
    ind.PolicyFacts(D(2026, 3, 3), D(2026, 3, 1), premium_fen=400,
                    cancelled_on=D(2026, 3, 9)),
    ind.PolicyFacts(D(2026, 5, 3), D(2025, 5, 1), long_term=False, premium_fen=500,
                    renewal_paid_on=D(2026, 5, 2)),
]


@pytest.mark.parametrize(("first", "last"), [
    (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 1, 1), D(2026, 6, 30)),
    (D(2025, 1, 1), D(2025, 12, 31)), (D(2024, 1, 1), D(2027, 12, 31)),
    (D(2026, 2, 1), D(2026, 4, 30)),
])
def test_a_period_of_whole_months_is_the_sum_of_its_months(first, last):
    period = ind.Period(first, last)
    monthly = []
    for month in ind.months_of(period):
        t = ind.Tally()
        for p in POLICIES:
            if month in ind.concerned_months(p):
                ind.add_policy(t, p, ind.month_period(month), AS_OF)
        monthly.append(t)
    assert ind.over_months(monthly) == ind.tally(POLICIES, period, AS_OF)


def test_a_policy_adds_nothing_to_a_month_it_does_not_concern():
    for p in POLICIES:
        for month in ind.months_of(ind.Period(D(2024, 1, 1), D(2027, 12, 31))):
            if month not in ind.concerned_months(p):
                assert ind.tally([p], ind.month_period(month), AS_OF) == ind.Tally()


def test_over_months_takes_the_last_months_agents_and_withheld():
    jan = ind.Tally(policies=2, agents=5, withheld_fen=100, deducted_fen=7)
    feb = ind.Tally(policies=3, agents=4, withheld_fen=40, deducted_fen=1)
    total = ind.over_months([jan, feb])
    assert (total.policies, total.agents, total.withheld_fen, total.deducted_fen) == (
        5, 4, 40, 8)
    assert ind.over_months([]) == ind.Tally()


def test_months_of_a_period():
    assert ind.months_of(ind.Period(D(2025, 11, 15), D(2026, 2, 1))) == [
        D(2025, 11, 1), D(2025, 12, 1), D(2026, 1, 1), D(2026, 2, 1)]
    assert ind.month_period(D(2024, 2, 10)) == ind.Period(D(2024, 2, 1), D(2024, 2, 29))
