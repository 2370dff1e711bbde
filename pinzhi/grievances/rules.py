"""The clock of an agent's grievance (issue 8), as pure functions of its facts and a day.

- [reading] A reply is due `grievances.reply_days` (15) calendar days after the grievance
  was received; the due day itself is in time.
- As of a day, a grievance is `open` (not replied, not past due), `overdue` (not replied,
  past due), `replied` (replied by the due day) or `replied_late` (after it). A reply
  recorded after the day asked about does not count yet.
"""

import datetime as dt
from typing import NamedTuple

STATES = ("open", "overdue", "replied", "replied_late")
WAITING = ("open", "overdue")


class Facts(NamedTuple):
    received_on: dt.date
    replied_on: dt.date | None = None


def due_on(received_on: dt.date, reply_days: int) -> dt.date:
    return received_on + dt.timedelta(days=reply_days)


def state(f: Facts, as_of: dt.date, reply_days: int) -> str:
    due = due_on(f.received_on, reply_days)
    if f.replied_on is not None and f.replied_on <= as_of:
        return "replied" if f.replied_on <= due else "replied_late"
    return "open" if as_of <= due else "overdue"
