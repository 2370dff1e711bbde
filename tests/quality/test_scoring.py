"""Half-year scores and standing (rules §7), without a database: one row per rule."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from pinzhi.quality.scoring import (
    ALL_AFTER_TIER,
    DEFAULT_SCHEME,
    MARGINAL,
    CaseFact,
    counts_at,
    half_year_bounds,
    half_year_of,
    price_cases,
    score,
    standing,
)

SH = ZoneInfo("Asia/Shanghai")
CONFIRMED_AT = dt.datetime(2026, 1, 1, 9, tzinfo=SH)
AS_OF = dt.datetime(2026, 12, 31, 23, 59, tzinfo=SH)


def doc(n, day=dt.date(2026, 3, 1), **kw):
    """An overdue valuable document (items 16/17: 1 point each to 10, then 2)."""
    return CaseFact(f"D{n:03}", 1, "documents_overdue", day, 10, tier_after=10,
                    tier_points_tenths=20, order_key=f"{n:05}", decided_at=CONFIRMED_AT, **kw)


def year_end(agent_id, cases, period):
    """The score with every case known as it stands at the end of 2026."""
    return score(agent_id, cases, period=period, through=AS_OF.date(), known_at=AS_OF)


def case(no, code, day, tenths, **kw):
    kw.setdefault("decided_at", CONFIRMED_AT)
    return CaseFact(no, 1, code, day, tenths, **kw)


@pytest.mark.parametrize("overdue, tenths_marginal, tenths_all", [
    (0, 0, 0),
    (10, 100, 100),  # ten at 1 point
    (11, 120, 220),  # the 11th costs 2 (marginal); all at 2 once over 10 (the other reading)
    (25, 400, 500),  # 10 × 1 + 15 × 2
])
def test_tiered_documents(overdue, tenths_marginal, tenths_all):
    docs = [doc(n) for n in range(1, overdue + 1)]
    assert sum(price_cases(docs, MARGINAL).values()) == tenths_marginal
    assert sum(price_cases(docs, ALL_AFTER_TIER).values()) == tenths_all


def test_tier_order_is_by_day_then_document_number():
    docs = [doc(1, dt.date(2026, 3, 5)), *[doc(n, dt.date(2026, 3, 1)) for n in range(2, 12)]]
    priced = price_cases(docs)
    assert priced["D001"] == 20  # fell overdue last: the 11th
    assert priced["D011"] == 10


@pytest.mark.parametrize("day, period", [
    (dt.date(2026, 6, 30), "2026H1"), (dt.date(2026, 7, 1), "2026H2"),
    (dt.date(2026, 1, 1), "2026H1"), (dt.date(2026, 12, 31), "2026H2"),
])
def test_half_year_of(day, period):
    assert half_year_of(day) == period
    start, end = half_year_bounds(period)
    assert start <= day <= end


def test_a_case_on_30_june_and_one_on_1_july_count_in_different_half_years():
    cases = [case("A", "claim_noncooperation", dt.date(2026, 6, 30), 5),
             case("B", "benefit_promised", dt.date(2026, 7, 1), 200)]
    assert year_end(1, cases, "2026H1").points_tenths == 5
    assert year_end(1, cases, "2026H2").points_tenths == 200


@pytest.mark.parametrize("total, largest, expected", [  # rules §7.6, each line's edge
    (0, 0, ("good", [])),
    (45, 10, ("good", [])),
    (50, 10, ("warned", ["warning_letter", "remedial_training"])),
    (75, 10, ("warned", ["warning_letter", "remedial_training"])),
    (80, 10, ("restricted", ["warning_letter", "remedial_training", "no_promotion", "no_club"])),
    (115, 10, ("restricted", ["warning_letter", "remedial_training", "no_promotion",
                              "no_club"])),
    (120, 10, ("failed", ["warning_letter", "remedial_training", "no_promotion", "no_club",
                          "no_maintenance"])),
    (235, 10, ("failed", ["warning_letter", "remedial_training", "no_promotion", "no_club",
                          "no_maintenance"])),
    (240, 10, ("termination", ["warning_letter", "remedial_training", "no_promotion",
                               "no_club", "no_maintenance", "termination_review"])),
    (200, 200, ("termination", ["warning_letter", "remedial_training", "no_promotion",
                                "no_club", "no_maintenance", "termination_review"])),
    (190, 190, ("failed", ["warning_letter", "remedial_training", "no_promotion", "no_club",
                           "no_maintenance"])),
])
def test_standing_thresholds(total, largest, expected):
    assert standing(total, largest, DEFAULT_SCHEME) == expected


class TestCountingAtAMoment:
    t0 = dt.datetime(2026, 3, 1, 10, tzinfo=SH)

    def at(self, days):
        return self.t0 + dt.timedelta(days=days)

    @pytest.mark.parametrize("kw, moment_days, counts", [
        ({"status": "draft", "decided_at": None}, 30, False),  # a draft costs nothing
        ({"status": "confirmed"}, 1, True),
        ({"status": "confirmed"}, -1, False),  # not yet confirmed then
        ({"status": "appealed"}, 5, True),  # under appeal: counts until overturned
        ({"status": "upheld", "reviewed_at": t0 + dt.timedelta(days=8)}, 9, True),
        ({"status": "overturned", "reviewed_at": t0 + dt.timedelta(days=8)}, 9, False),
        ({"status": "overturned", "reviewed_at": t0 + dt.timedelta(days=8)}, 7, True),
        ({"status": "dismissed"}, 3, False),
        ({"status": "confirmed", "voided_at": t0 + dt.timedelta(days=2)}, 3, False),
        ({"status": "confirmed", "voided_at": t0 + dt.timedelta(days=2)}, 1, True),
    ])
    def test_counts_at(self, kw, moment_days, counts):
        kw.setdefault("decided_at", self.t0)
        fact = CaseFact("X", 1, "notice_late", dt.date(2026, 2, 1), 10, **kw)
        assert counts_at(fact, self.at(moment_days)) is counts


def test_an_overturned_appeal_stops_counting():
    confirmed = case("A", "misleading_sales", dt.date(2026, 2, 1), 100)
    overturned = case("A", "misleading_sales", dt.date(2026, 2, 1), 100, status="overturned",
                      reviewed_at=dt.datetime(2026, 3, 1, tzinfo=SH))
    assert year_end(1, [confirmed], "2026H1").standing == "restricted"
    assert year_end(1, [overturned], "2026H1").points_tenths == 0


def test_a_catalogue_change_mid_half_year_keeps_old_prices():
    """Each case carries the price of the version in force on its day (looked up when it
    was recorded): the half-year sums them as they are."""
    old = case("A", "notice_late", dt.date(2026, 2, 1), 10)  # 1 point until March
    new = case("B", "notice_late", dt.date(2026, 4, 1), 20)  # 2 points from March
    assert year_end(1, [old, new], "2026H1").points_tenths == 30


def test_cases_after_the_as_of_day_are_left_out():
    cases = [case("A", "notice_late", dt.date(2026, 5, 11), 10)]
    assert score(1, cases, period="2026H1", through=dt.date(2026, 5, 10),
                 known_at=AS_OF).cases == 0


def test_examples_md_agent_a001():
    """../shared/spec/examples.md, "Quality points", agent A001 in 2026."""
    due = [dt.date(2026, 2, 1) + dt.timedelta(days=7 * i) for i in range(12)]  # to 04-19
    cases = [doc(n + 1, day + dt.timedelta(days=1)) for n, day in enumerate(due)]
    cases += [
        case("N1", "notice_late", dt.date(2026, 5, 11), 10),
        case("C1", "claim_noncooperation", dt.date(2026, 6, 30), 5),
        case("B1", "benefit_promised", dt.date(2026, 7, 1), 200),
        case("F1", "forged_signature", dt.date(2026, 3, 20), 100, status="draft",
             decided_at=None),
    ]
    h1 = year_end(1, cases, "2026H1")
    assert (h1.points, h1.cases, h1.standing) == (pytest.approx(15.5), 14, "failed")
    assert str(h1.points) == "15.5"
    assert h1.consequences == ["warning_letter", "remedial_training", "no_promotion",
                               "no_club", "no_maintenance"]
    h2 = year_end(1, cases, "2026H2")
    assert (str(h2.points), h2.cases, h2.standing) == ("20.0", 1, "termination")
    assert h2.consequences[-1] == "termination_review" and len(h2.consequences) == 6


def test_examples_md_agent_a002():
    cases = [CaseFact("R1", 2, "receipt_not_returned", dt.date(2026, 5, 1), 10,
                      decided_at=dt.datetime(2026, 5, 1, tzinfo=SH))]
    result = year_end(2, cases, "2026H1")
    assert (str(result.points), result.cases, result.standing, result.consequences) == \
        ("1.0", 1, "good", [])
