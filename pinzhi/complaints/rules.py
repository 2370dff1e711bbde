"""The clocks of a customer complaint (客户投诉, issue 8; 保险消费投诉处理管理办法), as pure
functions of its facts and a day.

- A decision is due 15 days after the complaint was received; the handler may extend that
  once to 30 days, and once more by 30 days with a senior approval. The customer is told
  of each extension, and an extension is recorded by the deadline it extends.
- The customer may ask for a review within 30 days of the decision; the review is decided
  within 30 days of the request.
- Days are calendar days ([reading]: the measures count 日, not 工作日); the last day of a
  clock counts as in time. The numbers are parameters (core.parameters `complaints.*`).
"""

import datetime as dt
from typing import NamedTuple

STATES = ("open", "decided", "under_review", "reviewed")


class Params(NamedTuple):
    decision_days: int = 15
    extended_days: int = 30  # the decision's deadline after the first extension
    approved_extra_days: int = 30  # added by the second, approved extension
    review_request_days: int = 30
    review_days: int = 30


DEFAULT = Params()


class Facts(NamedTuple):
    received_on: dt.date
    extensions: int = 0
    decided_on: dt.date | None = None
    review_requested_on: dt.date | None = None
    review_decided_on: dt.date | None = None


def days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def decision_due(received_on: dt.date, extensions: int, p: Params = DEFAULT) -> dt.date:
    """The last day for the decision after `extensions` extensions (0, 1 or 2)."""
    if extensions == 0:
        return days(received_on, p.decision_days)
    if extensions == 1:
        return days(received_on, p.extended_days)
    return days(received_on, p.extended_days + p.approved_extra_days)


def review_request_until(decided_on: dt.date, p: Params = DEFAULT) -> dt.date:
    return days(decided_on, p.review_request_days)


def review_due(requested_on: dt.date, p: Params = DEFAULT) -> dt.date:
    return days(requested_on, p.review_days)


def state(f: Facts) -> str:
    if f.decided_on is None:
        return "open"
    if f.review_requested_on is None:
        return "decided"
    return "under_review" if f.review_decided_on is None else "reviewed"


def due_on(f: Facts, p: Params = DEFAULT) -> dt.date | None:
    """The deadline the complaint runs against now: the decision's, or the review's."""
    current = state(f)
    if current == "open":
        return decision_due(f.received_on, f.extensions, p)
    if current == "under_review":
        return review_due(f.review_requested_on, p)
    return None


def overdue(f: Facts, today: dt.date, p: Params = DEFAULT) -> bool:
    """Past its running deadline, still undecided (the deadline's own day is in time)."""
    due = due_on(f, p)
    return due is not None and today > due


def decided_late(f: Facts, p: Params = DEFAULT) -> bool:
    """The decision (or the review's) came after its deadline."""
    late = f.decided_on is not None and f.decided_on > decision_due(
        f.received_on, f.extensions, p)
    return late or (f.review_decided_on is not None
                    and f.review_decided_on > review_due(f.review_requested_on, p))


def extension_refusal(f: Facts, on: dt.date, *, approved: bool,
                      p: Params = DEFAULT) -> str | None:
    """Why an extension on `on` may not be recorded (None: it may)."""
    if f.decided_on is not None:
        return "decided already"
    if f.extensions >= 2:
        return "extended twice already"
    if f.extensions == 1 and not approved:
        return "a second extension needs a senior approval"
    if on > decision_due(f.received_on, f.extensions, p):
        return "the deadline it would extend has passed"
    return None


def review_refusal(f: Facts, on: dt.date, p: Params = DEFAULT) -> str | None:
    """Why a review requested on `on` may not be recorded (None: it may)."""
    if f.decided_on is None:
        return "not decided yet"
    if f.review_requested_on is not None:
        return "a review was requested already"
    if on < f.decided_on:
        return "before the decision"
    if on > review_request_until(f.decided_on, p):
        return "more than the allowed days after the decision"
    return None
