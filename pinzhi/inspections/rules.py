"""A finding's rectification clock and a plan's progress, as pure functions (issue 8).

- A finding is rectified by its deadline: the one the finding gives, else the day it was
  found plus `inspections.rectification_days` (a parameter, 30 by default).
- The deadline's own day is in time; the next day an unrectified finding is overdue.
- [reading] A rectification counts from the day it is recorded as done (`rectified_on`);
  the inspector's verification is recorded beside it and does not move the state.
"""

import datetime as dt
from typing import NamedTuple

STATES = ("open", "overdue", "rectified", "rectified_late")
WAITING = frozenset({"open", "overdue"})


def default_due(found_on: dt.date, rectification_days: int) -> dt.date:
    return found_on + dt.timedelta(days=rectification_days)


def state(due_on: dt.date, rectified_on: dt.date | None, day: dt.date) -> str:
    """The finding's state as of `day` (a rectification after `day` is not known yet)."""
    if rectified_on is not None and rectified_on <= day:
        return "rectified" if rectified_on <= due_on else "rectified_late"
    return "overdue" if day > due_on else "open"


class Progress(NamedTuple):
    items: int
    checked: int
    findings: int
    open: int
    overdue: int

    @property
    def checked_text(self) -> str:
        return f"{self.checked}/{self.items}"


def progress(results: list[str], findings: list[tuple[dt.date, dt.date | None]],
             day: dt.date) -> Progress:
    """A plan's progress as of `day`: its items' results ('' while unchecked) and its
    findings' (due_on, rectified_on)."""
    states = [state(due, done, day) for due, done in findings]
    return Progress(len(results), sum(1 for r in results if r), len(states),
                    states.count("open"), states.count("overdue"))
