"""The indicators of rules §8.1 as pure functions of plain facts, a period and a moment.

Each function takes the facts of the policies (or cases, agents, answers) of one unit's
subtree or one agent, the period [first, last] (both days included) and the moment of the
figure, and returns plain numbers: counts, sums in fen, and rates as `Decimal` fractions
rounded half-up to 4 places (`rate`), or None where the denominator is zero ("—", never 0
or an error). The pages, the exports and the API all get their figures from here; the
formulas are written out in docs/indicators.md.

A fact counts only if it had happened by the moment: a cancellation on or before its day,
a collection on or before its day, a callback success before it.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from pinzhi.core.money import round_half_up
from pinzhi.receipts import rules as receipt_rules


class Period(NamedTuple):
    first: dt.date
    last: dt.date

    def holds(self, day: dt.date | None) -> bool:
        return day is not None and self.first <= day <= self.last


class PolicyFacts(NamedTuple):
    printed_on: dt.date
    effective_on: dt.date
    long_term: bool = True
    regular_premium: bool = True  # not single premium (for persistency)
    premium_fen: int = 0  # annualised first-year premium
    commission_fen: int = 0
    cancelled_on: dt.date | None = None  # cancelled in the cooling-off period on
    exempted_on: dt.date | None = None  # callback exemption approved on
    first_success_round: str | None = None  # "1", "2" or "manual": the callback's success
    success_at: dt.datetime | None = None
    cooling_off_ends_at: dt.datetime | None = None  # rules §4.8
    collected_on: dt.date | None = None  # the receipt
    renewal_paid_on: dt.date | None = None  # the renewal due 12 months after effect


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A fraction rounded half-up to 4 places; None when there is nothing to divide by."""
    if not denominator:
        return None
    return round_half_up(Decimal(numerator) / Decimal(denominator), 4)


def _day(moment: dt.datetime) -> dt.date:
    from pinzhi.core.calendar import local_day

    return local_day(moment)


def _live(policy: PolicyFacts, today: dt.date) -> bool:
    """Not cancelled in the cooling-off period by the moment's day."""
    return policy.cancelled_on is None or policy.cancelled_on > today


class NewBusiness(NamedTuple):
    policies: int
    premium_fen: int
    commission_fen: int


def new_business(policies: Iterable[PolicyFacts], period: Period,
                 as_of: dt.datetime) -> NewBusiness:
    """`policies`, `premium`, `commission`: printed in the period, less cooling-off
    cancellations."""
    today, count, premium, commission = _day(as_of), 0, 0, 0
    for p in policies:
        if period.holds(p.printed_on) and _live(p, today):
            count, premium, commission = (count + 1, premium + p.premium_fen,
                                          commission + p.commission_fen)
    return NewBusiness(count, premium, commission)


class Callbacks(NamedTuple):
    due: int
    first_round_rate: Decimal | None
    success_rate: Decimal | None
    in_time_rate: Decimal | None


def callbacks(policies: Iterable[PolicyFacts], period: Period,
              as_of: dt.datetime) -> Callbacks:
    """`callbacks_due` (long-term, printed in the period, less cancellations and
    exemptions) and, of those, the successes in round 1, in any round, and before the
    end of the cooling-off period, each over `callbacks_due`."""
    today = _day(as_of)
    due = first = success = in_time = 0
    for p in policies:
        if not (p.long_term and period.holds(p.printed_on) and _live(p, today)):
            continue
        if p.exempted_on is not None and p.exempted_on <= today:
            continue
        due += 1
        if p.success_at is None or p.success_at >= as_of:
            continue
        success += 1
        first += p.first_success_round == "1"
        in_time += p.cooling_off_ends_at is not None and p.success_at < p.cooling_off_ends_at
    return Callbacks(due, rate(first, due), rate(success, due), rate(in_time, due))


class Receipts(NamedTuple):
    due: int
    collection_rate: Decimal | None
    on_time_rate: Decimal | None


def receipts(policies: Iterable[PolicyFacts], period: Period, as_of: dt.datetime,
             params: receipt_rules.Params = receipt_rules.DEFAULT) -> Receipts:
    """`receipts_due` (long-term, deadline in the period, less cancellations) and, of
    those, collected by the moment and collected on or before the deadline."""
    today = _day(as_of)
    due = collected = on_time = 0
    for p in policies:
        deadline = receipt_rules.deadline(p.effective_on, params)
        if not (p.long_term and period.holds(deadline) and _live(p, today)):
            continue
        due += 1
        if p.collected_on is not None and p.collected_on <= today:
            collected += 1
            on_time += p.collected_on <= deadline
    return Receipts(due, rate(collected, due), rate(on_time, due))


def persistency_deadline(effective_on: dt.date) -> dt.date:
    """The last day of the 13th month after the effective month (effective in January
    2025: 28 February 2026), by which the renewal due 12 months after effect is paid."""
    first_of_13th = receipt_rules.add_months(effective_on.replace(day=1), 13)
    return receipt_rules.add_months(first_of_13th, 1) - dt.timedelta(days=1)


class Persistency(NamedTuple):
    cohort_premium_fen: int
    paid_premium_fen: int
    rate: Decimal | None


def persistency_13m(policies: Iterable[PolicyFacts], period: Period,
                    as_of: dt.datetime) -> Persistency:
    """`persistency_13m`: the regular-premium policies effective in the period shifted
    12 months back, less cooling-off cancellations; the first-year premium of those whose
    12-month renewal was paid by the last day of the 13th month (and by the moment), over
    the cohort's. A renewal with no record is unpaid."""
    today = _day(as_of)
    cohort = Period(receipt_rules.add_months(period.first, -12),
                    receipt_rules.add_months(period.last, -12))
    total = paid = 0
    for p in policies:
        if not (p.regular_premium and cohort.holds(p.effective_on) and _live(p, today)):
            continue
        total += p.premium_fen
        paid_on = p.renewal_paid_on
        if paid_on is not None and paid_on <= min(persistency_deadline(p.effective_on), today):
            paid += p.premium_fen
    return Persistency(total, paid, rate(paid, total))


def points_per_100_agents(points: Decimal, agents: int) -> Decimal | None:
    """`points` × 100 / `agents`, 2 places."""
    if not agents:
        return None
    return round_half_up(Decimal(points) * 100 / agents, 2)


def satisfaction(answers: Iterable[int]) -> Decimal | None:
    """The mean of the 1–5 answers of successful callbacks made in the period, 2 places."""
    values = list(answers)
    if not values:
        return None
    return round_half_up(Decimal(sum(values)) / len(values), 2)
