"""Half-year scores and standing (rules §7.2, §7.3, §7.5, §7.6): pure functions.

Points are integer tenths throughout (0.5-point items exist); `points()` turns them into
a Decimal with one place for pages and files.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

MARGINAL, ALL_AFTER_TIER = "marginal", "all"


@dataclass(frozen=True)
class CaseFact:
    """A case as scoring sees it: its price and the moments its state changed."""

    case_no: str
    agent_id: int
    type_code: str
    occurred_on: dt.date
    points_tenths: int
    tier_after: int | None = None
    tier_points_tenths: int | None = None
    order_key: str = ""  # ties on the same day (a document's number)
    status: str = "confirmed"
    decided_at: dt.datetime | None = None  # confirmed (or dismissed) at
    reviewed_at: dt.datetime | None = None  # appeal decided at
    voided_at: dt.datetime | None = None


@dataclass(frozen=True)
class Scheme:
    """Thresholds (rules §7.6): [(from_tenths, standing, consequences)], rising."""

    lines: tuple[tuple[int, str, tuple[str, ...]], ...]
    single_case_termination_tenths: int

    @classmethod
    def from_json(cls, lines, single_case_termination_tenths):
        return cls(tuple((int(a), s, tuple(c)) for a, s, c in lines),
                   int(single_case_termination_tenths))


DEFAULT_SCHEME = Scheme.from_json([
    [0, "good", []],
    [50, "warned", ["warning_letter", "remedial_training"]],
    [80, "restricted", ["no_promotion", "no_club"]],
    [120, "failed", ["no_maintenance"]],
    [240, "termination", ["termination_review"]],
], 200)


@dataclass
class Score:
    agent_id: int
    points_tenths: int = 0
    cases: int = 0
    standing: str = "good"
    consequences: list[str] = field(default_factory=list)
    case_points: dict[str, int] = field(default_factory=dict)  # case_no -> tenths
    managed_tenths: int = 0  # a manager's share of his agents' points, in points_tenths

    @property
    def points(self) -> Decimal:
        return points(self.points_tenths)


def points(tenths: int) -> Decimal:
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"))


def half_year_of(day: dt.date) -> str:
    """H1 = 1 Jan–30 Jun, H2 = 1 Jul–31 Dec (rules §7.2)."""
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def half_year_bounds(period: str) -> tuple[dt.date, dt.date]:
    year, half = int(period[:4]), period[4:].upper()
    if half == "H1":
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if half == "H2":
        return dt.date(year, 7, 1), dt.date(year, 12, 31)
    raise ValueError(f"not a half-year: {period} (e.g. 2026H1)")


def counts_at(case: CaseFact, moment: dt.datetime) -> bool:
    """Did the case count at `moment`? Confirmed and not (yet) overturned, dismissed or
    voided; a case under appeal counts until it is overturned (rules §7.2)."""
    if case.voided_at is not None and case.voided_at <= moment:
        return False
    if case.decided_at is None or case.decided_at > moment:
        return False  # still a draft then
    if case.status == "dismissed":
        return False
    if case.status == "overturned" and case.reviewed_at is not None:
        return case.reviewed_at > moment
    return case.status in ("confirmed", "appealed", "upheld", "overturned")


def price_cases(cases: list[CaseFact], tier_mode: str = MARGINAL) -> dict[str, int]:
    """Points of each counting case of one agent's half-year (items 16/17 tiered).

    Marginal reading (default): a tiered type's first `tier_after` cases, in order of the
    day they occurred then `order_key`, cost the base points, each later one the tier
    points. The other reading: all cost the tier points once there are more.
    """
    priced = {}
    by_type = defaultdict(list)
    for case in cases:
        by_type[case.type_code].append(case)
    for group in by_type.values():
        group.sort(key=lambda c: (c.occurred_on, c.order_key, c.case_no))
        over = len(group) > (group[0].tier_after or 0)
        for rank, case in enumerate(group, start=1):
            tiered = case.tier_after is not None and case.tier_points_tenths is not None
            if tiered and (rank > case.tier_after if tier_mode == MARGINAL else over):
                priced[case.case_no] = case.tier_points_tenths
            else:
                priced[case.case_no] = case.points_tenths
    return priced


def standing(total_tenths: int, largest_case_tenths: int,
             scheme: Scheme = DEFAULT_SCHEME) -> tuple[str, list[str]]:
    """The standing and its consequences, those of the lines below included (§7.6).

    The last line (termination) is also reached by any single case of at least
    `single_case_termination_tenths` points.
    """
    reached = max(i for i, (from_tenths, _, _) in enumerate(scheme.lines)
                  if total_tenths >= from_tenths)
    if largest_case_tenths >= scheme.single_case_termination_tenths:
        reached = len(scheme.lines) - 1
    consequences = [c for _, _, line in scheme.lines[:reached + 1] for c in line]
    return scheme.lines[reached][1], consequences


def with_managed_share(own: Score, agents_tenths: int, share_percent: int,
                       largest_case_tenths: int, scheme: Scheme = DEFAULT_SCHEME) -> Score:
    """A manager's score with `share_percent` of his agents' points added (issue 8: a
    setting, off at 0), rounded half-up to a tenth; the standing follows the new total."""
    extra = (agents_tenths * share_percent * 2 + 100) // 200  # half-up, in tenths
    if not extra:
        return own
    total = own.points_tenths + extra
    name, consequences = standing(total, largest_case_tenths, scheme)
    return Score(own.agent_id, total, own.cases, name, consequences, own.case_points, extra)


def score(agent_id: int, cases: Iterable[CaseFact], *, period: str, through: dt.date,
          known_at: dt.datetime, scheme: Scheme = DEFAULT_SCHEME,
          tier_mode: str = MARGINAL) -> Score:
    """One agent's score for a half-year: the cases that occurred in it up to `through`
    (the export's as-of day), in the state they were in at `known_at` (now, or when the
    half-year was handed to HR)."""
    start, end = half_year_bounds(period)
    last_day = min(end, through)
    counting = [c for c in cases
                if start <= c.occurred_on <= last_day and counts_at(c, known_at)]
    priced = price_cases(counting, tier_mode)
    total = sum(priced.values())
    name, consequences = standing(total, max(priced.values(), default=0), scheme)
    return Score(agent_id, total, len(counting), name, consequences, priced)
