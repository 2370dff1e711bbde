"""The two 30-day clocks of a departure (issue 8), pure: the due day is left_on + days;
done on the due day is in time; not done by its end is overdue the day after."""

import datetime as dt

import pytest

from pinzhi.departures import rules

LEFT = dt.date(2026, 5, 10)
DUE = dt.date(2026, 6, 9)  # left_on + 30


def day(n):
    """The day n days after he left."""
    return LEFT + dt.timedelta(days=n)


def test_the_due_day_is_left_on_plus_the_days():
    assert rules.due_on(LEFT, 30) == DUE
    assert rules.due_on(LEFT, 10) == dt.date(2026, 5, 20)


# (finished days as offsets from left_on, None: not yet), as_of offset, state, n, m
CLOCK = [
    ([], 0, "done", 0, 0),  # nothing to do: done
    ([None, None], 0, "open", 0, 2),
    ([5, None], 29, "open", 1, 2),
    ([5, None], 30, "open", 1, 2),  # the due day itself: still in time
    ([5, None], 31, "overdue", 1, 2),  # not done by its end: overdue the day after
    ([5, 30], 30, "done", 2, 2),  # finished on the due day: in time
    ([5, 31], 31, "late", 2, 2),  # finished the day after: late
    ([5, 31], 30, "open", 1, 2),  # as of the due day, the late one was not done yet
    ([5, 40], 35, "overdue", 1, 2),  # finished after as_of: not finished then
    ([0, 1], 100, "done", 2, 2),
]


@pytest.mark.parametrize(("finished", "as_of", "state", "n", "m"), CLOCK)
def test_the_30_day_clock(finished, as_of, state, n, m):
    """Both tasks (policyholders told, documents returned) run this clock; each is also
    tested on its own facts in test_tasks.py."""
    task = rules.task(LEFT, 30, [None if f is None else day(f) for f in finished], day(as_of))
    assert (task.due_on, task.state, task.done, task.total) == (DUE, state, n, m)
    assert task.stands_out == (state == "overdue")


def test_finished_on_is_the_last_item_when_all_are_done():
    assert rules.task(LEFT, 30, [day(3), day(7)], day(10)).finished_on == day(7)
    assert rules.task(LEFT, 30, [day(3), None], day(10)).finished_on is None
    assert rules.task(LEFT, 30, [], day(10)).finished_on is None


def test_a_shorter_clock_from_the_parameter():
    assert rules.task(LEFT, 10, [None], day(11)).state == "overdue"
    assert rules.task(LEFT, 10, [None], day(10)).state == "open"
