"""Notices (rules §7.4) as a pure function of the recorded facts.

A notice (函件: a notice, a problem letter, an endorsement…) has a due date by which the
agent delivers it to the customer and reports back. `notice_state` says where it stood on
a day; `notice_case` says which case it gives then, if any:

- delivered or reported back after the due date, or not at all once the due date has
  passed: `notice_late` (item 4), occurring on the day after the due date;
- reported back untruthfully (`report_false`): `notice_late` too, on the day after the due
  date, or on the day of the report when that report was made in time;
- either of these with a complaint or a loss (`harm`): `notice_harm` (item 5) instead, on
  the same day. Harm alone, on a notice delivered and truthfully reported in time, gives
  no case: the harm must come from the failure.

A fact dated after `as_of` has not happened yet. One case per notice at most.
"""

import datetime as dt
from typing import NamedTuple

NOTICE_LATE = "notice_late"
NOTICE_HARM = "notice_harm"

# States (`notice_state`)
TO_DELIVER = "to_deliver"  # issued, not delivered yet, the due date not passed
DELIVERED = "delivered"  # delivered in time, not reported back yet
REPORTED = "reported"  # delivered and reported back in time, truthfully
LATE = "late"  # the due date passed without delivery and report (or they came after it)
REPORTED_FALSE = "reported_false"  # reported back untruthfully
STATES = (TO_DELIVER, DELIVERED, REPORTED, LATE, REPORTED_FALSE)

DAY = dt.timedelta(days=1)


class Notice(NamedTuple):
    due_on: dt.date
    delivered_on: dt.date | None = None
    reported_on: dt.date | None = None
    report_false: bool = False
    harm: bool = False
    issued_on: dt.date | None = None


def _by(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    """The fact's day, if it has happened by `as_of`."""
    return day if day is not None and day <= as_of else None


def in_time(notice: Notice, as_of: dt.date) -> bool:
    """Delivered and reported back on or before the due date (and by `as_of`)."""
    delivered, reported = _by(notice.delivered_on, as_of), _by(notice.reported_on, as_of)
    return (delivered is not None and reported is not None
            and delivered <= notice.due_on and reported <= notice.due_on)


def is_late(notice: Notice, as_of: dt.date) -> bool:
    """The due date has passed and the notice was not delivered and reported by then."""
    return as_of > notice.due_on and not in_time(notice, as_of)


def is_false(notice: Notice, as_of: dt.date) -> bool:
    return notice.report_false and _by(notice.reported_on, as_of) is not None


def notice_state(notice: Notice, as_of: dt.date) -> str:
    if is_false(notice, as_of):
        return REPORTED_FALSE
    if is_late(notice, as_of):
        return LATE
    if in_time(notice, as_of):
        return REPORTED
    if _by(notice.delivered_on, as_of) is not None:
        return DELIVERED
    return TO_DELIVER


def notice_case(notice: Notice, as_of: dt.date) -> tuple[str, dt.date] | None:
    """(violation code, day it occurred) of the notice's case as of `as_of`, or None."""
    code = NOTICE_HARM if notice.harm else NOTICE_LATE
    if is_late(notice, as_of):
        return code, notice.due_on + DAY
    if is_false(notice, as_of):  # reported untruthfully, in time
        return code, notice.reported_on
    return None


def evidence(notice: Notice, as_of: dt.date) -> str:
    """Why the case: the facts in a line (English, like every rule's evidence)."""
    parts = [f"due {notice.due_on}",
             f"delivered {notice.delivered_on}" if _by(notice.delivered_on, as_of)
             else "not delivered",
             f"reported {notice.reported_on}" if _by(notice.reported_on, as_of)
             else "not reported back"]
    if notice.report_false:
        parts.append("reported untruthfully")
    if notice.harm:
        parts.append("caused a complaint or a loss")
    return "; ".join(parts)
