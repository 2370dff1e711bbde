"""The promotion and maintenance feed: the standing and the objectives decide, one row per
agent of the half-year (rules §7.5)."""

import csv
from decimal import Decimal

import pytest
from django.core.management import call_command

from pinzhi.reports import indicators as ind
from pinzhi.reports.promotion import HEADER, assess
from pinzhi.reports.targets import Objective

OBJECTIVES = {"callback_success_rate": Objective(Decimal("0.95"), "at_least"),
              "receipt_on_time_rate": Objective(Decimal("0.98"), "at_least"),
              "persistency_13m": Objective(Decimal("0.85"), "at_least")}


def tally(callbacks_due=0, succeeded=0, receipts_due=0, on_time=0):
    return ind.Tally(callbacks_due=callbacks_due, callbacks_succeeded=succeeded,
                     receipts_due=receipts_due, receipts_on_time=on_time)


@pytest.mark.parametrize("standing, consequences, t, expected", [
    # good, every objective met (or nothing to measure): eligible for everything
    ("good", [], tally(20, 20, 10, 10), (True, True, True, True, True, True, True)),
    ("good", [], tally(), (True, True, True, True, True, True, True)),
    # warned: still passes; a callback rate of 0.90 < 0.95 loses promotion and the club
    ("warned", ["warning_letter", "remedial_training"], tally(10, 9, 10, 10),
     (True, True, False, True, False, True, False)),
    # restricted: no promotion, no club, maintenance kept
    ("restricted", ["warning_letter", "remedial_training", "no_promotion", "no_club"],
     tally(10, 10), (False, True, True, True, False, True, False)),
    # failed: maintenance lost too
    ("failed", ["warning_letter", "remedial_training", "no_promotion", "no_club",
                "no_maintenance"], tally(), (False, True, True, True, False, False, False)),
])
def test_the_assessment(standing, consequences, t, expected):
    assert tuple(assess(standing, consequences, t, OBJECTIVES)) == expected


def test_the_feed_has_a_row_per_agent_of_the_half_year(january, tmp_path):
    out = tmp_path / "p.csv"
    call_command("export", "promotion", "2026H1", "--as-of", "2026-06-01", "--out", str(out))
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = {r["agent_code"]: r for r in csv.DictReader(f)}
    assert list(rows) == ["A001", "A002", "A003", "A004"]
    assert list(rows["A001"]) == HEADER
    # A001: one of his two January callbacks succeeded (0.5 < 0.95): no promotion, no club
    a001 = rows["A001"]
    assert (a001["standing"], a001["quality_passed"], a001["callback_target_met"],
            a001["promotion_eligible"], a001["club_eligible"],
            a001["maintenance_passed"]) == ("good", "true", "false", "false", "false", "true")
    assert rows["A004"]["promotion_eligible"] == "true"  # nothing fell short


@pytest.mark.parametrize(("objective", "figure", "expected"), [
    (Objective(Decimal("0.95"), "at_least"), Decimal("0.95"), (Decimal("0.95"), True)),
    (Objective(Decimal("0.95"), "at_least"), Decimal("0.9499"), (Decimal("0.95"), False)),
    (Objective(Decimal("5"), "at_most"), Decimal("6"), (Decimal("5"), False)),
    (Objective(Decimal("0.95"), "at_least"), None, (Decimal("0.95"), None)),  # "—"
    (None, Decimal("0.5"), (None, None)),  # no objective set
])
def test_a_figure_against_its_objective(objective, figure, expected):
    from pinzhi.reports.targets import against

    assert against(objective, figure) == expected
