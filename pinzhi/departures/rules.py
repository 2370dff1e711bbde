"""The two tasks of a departure (issue 8) as pure functions of plain facts and a day.

- `notify`: every long-term policy the agent left behind in force has its policyholder
  told (who services it now) within `departures.notify_days` (30) of the day he left.
- `documents`: every valuable document he still held on that day is returned within
  `departures.documents_days` (30) of it.

The due day is `left_on + days`; finishing on the due day itself is in time, and a task
not finished by the end of it is overdue from the next day. A task with nothing to do is
done. States: open, done, late (finished after its due day), overdue (not finished and
past its due day).
"""

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

OPEN, DONE, LATE, OVERDUE = "open", "done", "late", "overdue"
STATES = (OPEN, DONE, LATE, OVERDUE)
TASKS = ("notify", "documents")


class Task(NamedTuple):
    due_on: dt.date
    state: str
    done: int  # items finished as of the day (n of m)
    total: int
    finished_on: dt.date | None  # the day the last item was finished, if all were

    @property
    def stands_out(self) -> bool:
        return self.state == OVERDUE


def due_on(left_on: dt.date, days: int) -> dt.date:
    """The last day of a task's clock."""
    return left_on + dt.timedelta(days=days)


def task(left_on: dt.date, days: int, finished: Iterable[dt.date | None],
         as_of: dt.date) -> Task:
    """The task as of the end of `as_of`, from the day each item was finished (None: not
    yet); an item finished after `as_of` was not finished then."""
    due = due_on(left_on, days)
    finished = list(finished)
    by_then = [day for day in finished if day is not None and day <= as_of]
    total, done = len(finished), len(by_then)
    if done == total:
        last = max(by_then, default=None)
        return Task(due, LATE if last is not None and last > due else DONE, done, total, last)
    return Task(due, OVERDUE if as_of > due else OPEN, done, total, None)
