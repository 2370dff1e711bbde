"""The law's bars as pure rules (issue 8), without a database: one row per rule, the
5-year boundary day and leap days included."""

import datetime as dt

import pytest

from pinzhi.recruitment import rules
from pinzhi.recruitment.rules import Check

D = dt.date
ALL_CLEAR = [Check(kind, "clear", D(2024, 1, 1)) for kind in rules.REQUIRED]


def clear_but(*checks: Check) -> list[Check]:
    return ALL_CLEAR + list(checks)


@pytest.mark.parametrize("kind, event_on, ends_on, last_barred_day", [
    # 5 years after the event, its anniversary included (民法典 第201、202、1259条)
    ("criminal_record", D(2021, 3, 10), None, D(2026, 3, 10)),
    ("licence_revoked", D(2021, 3, 10), None, D(2026, 3, 10)),
    ("dismissed_for_cause", D(2021, 12, 31), None, D(2026, 12, 31)),
    ("own_record", D(2022, 1, 1), None, D(2027, 1, 1)),
    # an event on 29 February: the 5th year has no 29 February, its month's last day counts
    ("dismissed_for_cause", D(2020, 2, 29), None, D(2025, 2, 28)),
    # ... and into a leap year the corresponding day is there
    ("licence_revoked", D(2023, 2, 28), None, D(2028, 2, 28)),
    # lists: through their end date; with none, for good
    ("industry_ban", None, D(2027, 6, 30), D(2027, 6, 30)),
    ("credit_blacklist", None, D(2026, 8, 1), D(2026, 8, 1)),
    ("industry_ban", None, None, dt.date.max),
])
def test_barred_until(kind, event_on, ends_on, last_barred_day):
    assert rules.barred_until(kind, event_on, ends_on, 5) == last_barred_day


def test_ban_years_is_a_parameter():
    assert rules.barred_until("criminal_record", D(2021, 3, 10), None, 3) == D(2024, 3, 10)


def test_a_barred_event_needs_its_day():
    with pytest.raises(ValueError):
        rules.barred_until("criminal_record", None, None, 5)


@pytest.mark.parametrize("checks, day, ok, reasons", [
    # every required kind checked and clear
    (ALL_CLEAR, D(2026, 6, 1), True, []),
    # a kind not checked
    (ALL_CLEAR[1:], D(2026, 6, 1), False, ["criminal_record not checked"]),
    # a check recorded after the contract day does not count for it
    (ALL_CLEAR, D(2023, 12, 31), False, [f"{k} not checked" for k in rules.REQUIRED]),
    # dismissed on 2021-03-10: barred on the 5th anniversary itself, free the day after
    (clear_but(Check("dismissed_for_cause", "barred", D(2026, 1, 5), D(2021, 3, 10))),
     D(2026, 3, 10), False, ["dismissed_for_cause: barred through 2026-03-10"]),
    (clear_but(Check("dismissed_for_cause", "barred", D(2026, 1, 5), D(2021, 3, 10))),
     D(2026, 3, 11), True, []),
    # a sentence served on 29 February 2020: barred through 2025-02-28, free on 03-01
    (clear_but(Check("criminal_record", "barred", D(2024, 1, 5), D(2020, 2, 29))),
     D(2025, 2, 28), False, ["criminal_record: barred through 2025-02-28"]),
    (clear_but(Check("criminal_record", "barred", D(2024, 1, 5), D(2020, 2, 29))),
     D(2025, 3, 1), True, []),
    # an event's bar stands after a later clear check of the same kind
    (clear_but(Check("licence_revoked", "barred", D(2026, 1, 5), D(2023, 1, 1)),
               Check("licence_revoked", "clear", D(2026, 5, 20))),
     D(2026, 6, 1), False, ["licence_revoked: barred through 2028-01-01"]),
    # a list's latest check decides: off the blacklist now
    (clear_but(Check("credit_blacklist", "barred", D(2026, 1, 5)),
               Check("credit_blacklist", "clear", D(2026, 5, 20))),
     D(2026, 6, 1), True, []),
    # ... and on it with no end date
    (ALL_CLEAR[:-1] + [Check("credit_blacklist", "barred", D(2026, 5, 2))],
     D(2026, 6, 1), False, ["credit_blacklist: barred with no end date"]),
    # an industry ban through its end date, then free
    (clear_but(Check("industry_ban", "barred", D(2026, 5, 2), ends_on=D(2026, 6, 30))),
     D(2026, 6, 30), False, ["industry_ban: barred through 2026-06-30"]),
    (clear_but(Check("industry_ban", "barred", D(2026, 5, 2), ends_on=D(2026, 6, 30))),
     D(2026, 7, 1), True, []),
    # our own former agent: flagged until a person clears it ...
    (clear_but(Check("own_record", "flagged", D(2026, 6, 1), D(2023, 4, 1))),
     D(2026, 6, 1), False,
     ["own_record: a former agent of ours who left on 2023-04-01: a person must clear it"]),
    (clear_but(Check("own_record", "flagged", D(2026, 6, 1), D(2023, 4, 1)),
               Check("own_record", "clear", D(2026, 5, 30))), D(2026, 6, 1), True, []),
    # ... not once the ban's years have passed since he left
    (clear_but(Check("own_record", "flagged", D(2026, 6, 1), D(2021, 5, 31))),
     D(2026, 6, 1), True, []),
    # a person records it barred: the clear flag does not lift it
    (clear_but(Check("own_record", "barred", D(2026, 5, 2), D(2023, 4, 1)),
               Check("own_record", "clear", D(2026, 5, 3))),
     D(2026, 6, 1), False, ["own_record: barred through 2028-04-01"]),
])
def test_verdict(checks, day, ok, reasons):
    assert rules.verdict(checks, day, 5) == (ok, reasons)


@pytest.mark.parametrize("checks, contracted, state", [
    (ALL_CLEAR[:2], False, "pending"),
    (ALL_CLEAR, False, "cleared"),
    (ALL_CLEAR[:2] + [Check("industry_ban", "barred", D(2026, 5, 2))], False, "barred"),
    (ALL_CLEAR, True, "contracted"),
])
def test_state(checks, contracted, state):
    assert rules.state(checks, D(2026, 6, 1), 5, contracted) == state


@pytest.mark.parametrize("kind, outcome, event_on, ends_on, refusal", [
    ("criminal_record", "clear", None, None, None),
    ("criminal_record", "barred", D(2020, 1, 1), None, None),
    ("industry_ban", "barred", None, D(2030, 1, 1), None),
    ("industry_ban", "barred", None, None, None),
    ("tax_record", "clear", None, None, "kind"),
    ("criminal_record", "maybe", None, None, "outcome"),
    ("dismissed_for_cause", "barred", None, None, "event_on"),
    ("dismissed_for_cause", "barred", D(2026, 7, 1), None, "event_on"),
    ("licence_revoked", "barred", D(2020, 1, 1), D(2025, 1, 1), "ends_on"),
    ("credit_blacklist", "clear", None, D(2027, 1, 1), "ends_on"),
])
def test_check_refusal(kind, outcome, event_on, ends_on, refusal):
    found = rules.check_refusal(kind, outcome, D(2026, 6, 1), event_on, ends_on)
    assert (found[0] if found else None) == refusal
