"""Remedial training, one row per rule (pinzhi/training/rules.py)."""

import datetime as dt

import pytest

from pinzhi.training import rules as r

D = dt.date


@pytest.mark.parametrize(("consequences", "needed"), [
    ([], False), (["warning_letter", "remedial_training"], True),
    (["warning_letter", "remedial_training", "no_promotion", "no_club"], True),
])
def test_the_standing_calls_for_it(consequences, needed):
    assert r.needs_remedial(consequences) is needed


@pytest.mark.parametrize(("days", "done"), [
    ([], None),
    ([D(2026, 7, 1)], None),  # attended before it was assigned: not this one
    ([D(2026, 7, 1), D(2026, 7, 20), D(2026, 7, 10)], D(2026, 7, 10)),
    ([D(2026, 7, 5)], D(2026, 7, 5)),  # on the day it was assigned
])
def test_done_by_the_first_remedial_session_after_the_assignment(days, done):
    assert r.done_on(D(2026, 7, 5), days) == done


@pytest.mark.parametrize(("done", "today", "state"), [
    (None, D(2026, 9, 3), "owed"),  # the due day itself
    (None, D(2026, 9, 4), "overdue"),
    (D(2026, 8, 1), D(2026, 9, 10), "done"),
    (D(2026, 9, 5), D(2026, 9, 10), "done_late"),
    (D(2026, 9, 12), D(2026, 9, 10), "overdue"),  # a later session is not yet a fact
])
def test_its_state(done, today, state):
    assert r.state(D(2026, 9, 3), done, today) == state
