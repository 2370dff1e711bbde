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
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from pinzhi.core.money import round_half_up
from pinzhi.receipts import rules as receipt_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")


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


@lru_cache(maxsize=64)
def _day(moment: dt.datetime) -> dt.date:
    """The moment's day in Shanghai (cached: one moment for a million policies)."""
    return moment.astimezone(SHANGHAI).date()


@dataclass
class Tally:
    """The additive parts of the policy indicators of one unit (or agent): a parent's
    tally is the sum of its children's, and every rate is computed from the sums."""

    policies: int = 0
    premium_fen: int = 0
    commission_fen: int = 0
    callbacks_due: int = 0
    callbacks_first_round: int = 0
    callbacks_succeeded: int = 0
    callbacks_in_time: int = 0
    receipts_due: int = 0
    receipts_collected: int = 0
    receipts_on_time: int = 0
    cohort_premium_fen: int = 0
    cohort_paid_fen: int = 0
    satisfaction_total: int = 0
    satisfaction_answers: int = 0
    agents: int = 0  # active on the period's last day
    cases: int = 0  # counting cases occurring in the period
    points_tenths: int = 0  # their points (rules §7.2; tiered items priced per half-year)
    withheld_fen: int = 0  # at the last cutoff (the 20th) in the period, closed months
    deducted_fen: int = 0  # summed over the closed months whose cutoff is in the period
    forfeited_fen: int = 0
    complaints: int = 0  # customer complaints received in the period (issue 8)
    # issue 8: training done: hours of sessions attended in the period (tenths), and the
    # remedial trainings falling due in it, done by their due day or overdue
    training_hours_tenths: int = 0
    remedial_due: int = 0
    remedial_done_on_time: int = 0
    remedial_overdue: int = 0
    # issue 8: inspection findings falling due for rectification in the period, rectified
    # by their due day, or not rectified and past it
    findings_due: int = 0
    findings_rectified_on_time: int = 0
    findings_overdue: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*map(int.__add__, self.parts(), other.parts()))

    def __iadd__(self, other: "Tally") -> "Tally":
        """In place: the snapshot sums a quarter of a million of them."""
        for name, value in other.__dict__.items():
            self.__dict__[name] += value
        return self

    def parts(self) -> tuple[int, ...]:
        """The fields' values in their order (dataclasses.astuple deep-copies: slow)."""
        return tuple(self.__dict__.values())

    @property
    def callback_first_round_rate(self) -> Decimal | None:
        return rate(self.callbacks_first_round, self.callbacks_due)

    @property
    def callback_success_rate(self) -> Decimal | None:
        return rate(self.callbacks_succeeded, self.callbacks_due)

    @property
    def callback_in_time_rate(self) -> Decimal | None:
        return rate(self.callbacks_in_time, self.callbacks_due)

    @property
    def receipt_collection_rate(self) -> Decimal | None:
        return rate(self.receipts_collected, self.receipts_due)

    @property
    def receipt_on_time_rate(self) -> Decimal | None:
        return rate(self.receipts_on_time, self.receipts_due)

    @property
    def persistency_13m(self) -> Decimal | None:
        return rate(self.cohort_paid_fen, self.cohort_premium_fen)

    @property
    def points(self) -> Decimal:
        return Decimal(self.points_tenths) / 10

    @property
    def points_per_100_agents(self) -> Decimal | None:
        return points_per_100_agents(self.points, self.agents)

    @property
    def complaints_per_1000_policies(self) -> Decimal | None:
        """[reading] Complaints received in the period per 1,000 policies printed in it."""
        if not self.policies:
            return None
        return round_half_up(Decimal(self.complaints) * 1000 / self.policies, 2)

    @property
    def training_hours(self) -> Decimal:
        return Decimal(self.training_hours_tenths) / 10

    @property
    def remedial_on_time_rate(self) -> Decimal | None:
        return rate(self.remedial_done_on_time, self.remedial_due)

    @property
    def rectification_on_time_rate(self) -> Decimal | None:
        return rate(self.findings_rectified_on_time, self.findings_due)

    @property
    def satisfaction(self) -> Decimal | None:
        if not self.satisfaction_answers:
            return None
        return round_half_up(Decimal(self.satisfaction_total) / self.satisfaction_answers, 2)


def tally(policies: Iterable[PolicyFacts], period: Period, as_of: dt.datetime,
          params: receipt_rules.Params = receipt_rules.DEFAULT) -> Tally:
    result = Tally()
    for policy in policies:
        add_policy(result, policy, period, as_of, params)
    return result


def add_policy(t: Tally, p: PolicyFacts, period: Period, as_of: dt.datetime,
               params: receipt_rules.Params = receipt_rules.DEFAULT) -> None:
    """One policy's part of every policy indicator (docs/indicators.md)."""
    today = _day(as_of)
    if p.cancelled_on is not None and p.cancelled_on <= today:
        return  # cancelled in the cooling-off period: in none of them
    if period.holds(p.printed_on):
        t.policies += 1
        t.premium_fen += p.premium_fen
        t.commission_fen += p.commission_fen
        if p.long_term and (p.exempted_on is None or p.exempted_on > today):
            _add_callback(t, p, as_of)
    if p.long_term:
        deadline = receipt_rules.deadline(p.effective_on, params)
        if period.holds(deadline):
            t.receipts_due += 1
            if p.collected_on is not None and p.collected_on <= today:
                t.receipts_collected += 1
                t.receipts_on_time += p.collected_on <= deadline
    if p.regular_premium and cohort(period).holds(p.effective_on):
        t.cohort_premium_fen += p.premium_fen
        paid_on = p.renewal_paid_on
        if paid_on is not None and paid_on <= min(persistency_deadline(p.effective_on), today):
            t.cohort_paid_fen += p.premium_fen


def _add_callback(t: Tally, p: PolicyFacts, as_of: dt.datetime) -> None:
    t.callbacks_due += 1
    if p.success_at is None or p.success_at >= as_of:
        return
    t.callbacks_succeeded += 1
    t.callbacks_first_round += p.first_success_round == "1"
    t.callbacks_in_time += (p.cooling_off_ends_at is not None
                            and p.success_at < p.cooling_off_ends_at)


def add_remedial(t: Tally, state: str) -> None:
    """A remedial training due in the period, in its state as of the moment (the one rule:
    training.rules.state)."""
    t.remedial_due += 1
    t.remedial_done_on_time += state == "done"
    t.remedial_overdue += state == "overdue"


def add_finding(t: Tally, state: str) -> None:
    """An inspection finding due for rectification in the period, in its state as of the
    moment (the one rule: inspections.rules)."""
    t.findings_due += 1
    t.findings_rectified_on_time += state == "rectified"
    t.findings_overdue += state == "overdue"


def add_answer(t: Tally, satisfaction: int) -> None:
    """A 1–5 answer of a successful callback made in the period."""
    t.satisfaction_total += satisfaction
    t.satisfaction_answers += 1


@lru_cache(maxsize=256)
def cohort(period: Period) -> Period:
    """Persistency's cohort: effective in the period shifted 12 months back. [reading]
    The last day shifts as the day after it does, so that a month's cohort is the whole
    month a year before (February 2025's: 1–29 February 2024) and months' cohorts tile."""
    return Period(receipt_rules.add_months(period.first, -12),
                  receipt_rules.add_months(period.last + dt.timedelta(days=1), -12)
                  - dt.timedelta(days=1))


def persistency_deadline(effective_on: dt.date) -> dt.date:
    """The last day of the 13th month after the effective month (effective in January
    2025: 28 February 2026), by which the renewal due 12 months after effect is paid."""
    first_of_13th = receipt_rules.add_months(effective_on.replace(day=1), 13)
    return receipt_rules.add_months(first_of_13th, 1) - dt.timedelta(days=1)


def agent_active_on(hired_on: dt.date, left_on: dt.date | None, day: dt.date) -> bool:
    """`agents`: hired by the day and not yet left (rules §8.1: active on the last day)."""
    return hired_on <= day and (left_on is None or left_on >= day)  # his last day counts


def cutoff_days(period: Period) -> list[dt.date]:
    """The settlement cutoffs (the 20th) that fall in the period, in order."""
    days, month = [], period.first.replace(day=1)
    while month <= period.last:
        if period.holds(month.replace(day=20)):
            days.append(month.replace(day=20))
        month = receipt_rules.add_months(month, 1)
    return days


def points_per_100_agents(points: Decimal, agents: int) -> Decimal | None:
    """`points` × 100 / `agents`, 2 places."""
    if not agents:
        return None
    return round_half_up(Decimal(points) * 100 / agents, 2)


# -- months: the precomputed figures (reports/snapshot.py) are kept per calendar month ---


def month_period(month: dt.date) -> Period:
    """The calendar month that `month` (any day of it) is in."""
    first = month.replace(day=1)
    return Period(first, receipt_rules.add_months(first, 1) - dt.timedelta(days=1))


def months_of(period: Period) -> list[dt.date]:
    """The first days of the months the period touches, in order."""
    months, month = [], period.first.replace(day=1)
    while month <= period.last:
        months.append(month)
        month = receipt_rules.add_months(month, 1)
    return months


def over_months(monthly: list[Tally]) -> Tally:
    """The tally of consecutive whole months from theirs, in month order: every part is a
    sum over the months except the two taken on the period's last day or last cutoff,
    `agents` and `withheld_fen`, which are the last month's."""
    total = Tally()
    for month in monthly:
        total = total + month
    if monthly:
        total.agents, total.withheld_fen = monthly[-1].agents, monthly[-1].withheld_fen
    return total


def concerned_months(p: PolicyFacts, params: receipt_rules.Params = receipt_rules.DEFAULT
                     ) -> set[dt.date]:
    """The months (first days) whose tally a policy can add to: its printed month (new
    business, callbacks), its receipt deadline's and its 12-month renewal's cohort month
    (persistency); `add_policy` adds nothing to any other month's."""
    return {p.printed_on.replace(day=1),
            receipt_rules.deadline(p.effective_on, params).replace(day=1),
            receipt_rules.add_months(p.effective_on.replace(day=1), 12)}
