"""Working days (rules §4.8) and which version of a rule is in force (rules §7.1)."""

import datetime as dt

import pytest

from pinzhi.core.calendar import WorkCalendar
from pinzhi.core.versions import in_force

D = dt.date
# 2026's National Day: 1–7 October off, Sunday 20 September and Saturday 10 October worked.
NATIONAL_DAY_2026 = WorkCalendar(
    {**{D(2026, 10, d): False for d in range(1, 8)}, D(2026, 9, 20): True,
     D(2026, 10, 10): True},
    frozenset({2026}),
)


@pytest.mark.parametrize("start, days, due", [
    (D(2026, 9, 25), 5, D(2026, 10, 9)),  # Fri + 5: the holiday week is skipped
    (D(2026, 9, 30), 1, D(2026, 10, 8)),
    (D(2026, 10, 8), 2, D(2026, 10, 10)),  # the make-up Saturday is a working day
    (D(2026, 9, 18), 1, D(2026, 9, 20)),  # ... and so is the make-up Sunday
    (D(2026, 9, 23), 15, D(2026, 10, 20)),  # a misleading-sales case's 15 working days
    (D(2026, 11, 6), 1, D(2026, 11, 9)),  # an ordinary weekend
])
def test_add_working_days(start, days, due):
    assert NATIONAL_DAY_2026.add_working_days(start, days) == due


def test_a_year_not_in_the_table_counts_weekends_only_and_says_so():
    assert not NATIONAL_DAY_2026.knows(D(2027, 10, 1))
    assert NATIONAL_DAY_2026.is_workday(D(2027, 10, 1))  # a Friday, holiday unknown
    assert NATIONAL_DAY_2026.working_days_between(D(2026, 9, 30), D(2026, 10, 9)) == 2


def test_the_seeded_table_has_2026_national_day(db):
    from pinzhi.core.calendar import load_calendar

    calendar = load_calendar()
    assert calendar.knows(D(2026, 10, 1))
    assert calendar.add_working_days(D(2026, 9, 25), 5) == D(2026, 10, 9)
    assert calendar.is_workday(D(2026, 10, 10))


VERSIONS = [
    (None, D(2010, 1, 1), "hq-2010"),
    (None, D(2026, 3, 1), "hq-2026"),
    ("GD", D(2020, 1, 1), "gd-2020"),
    ("SZ", D(2026, 6, 1), "sz-2026"),
]


@pytest.mark.parametrize("on, path, expected", [
    (D(2015, 1, 1), ["HQ", "JS"], "hq-2010"),
    (D(2026, 2, 28), ["HQ", "JS"], "hq-2010"),  # the day before the new version
    (D(2026, 3, 1), ["HQ", "JS"], "hq-2026"),
    (D(2026, 3, 1), ["HQ", "GD", "GZ"], "gd-2020"),  # the branch overrides for its subtree
    (D(2026, 5, 31), ["HQ", "GD", "SZ"], "gd-2020"),
    (D(2026, 6, 1), ["HQ", "GD", "SZ"], "sz-2026"),  # the deepest unit wins
    (D(2009, 12, 31), ["HQ"], None),
])
def test_in_force(on, path, expected):
    assert in_force(VERSIONS, on=on, path=path) == expected
