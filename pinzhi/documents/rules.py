"""Valuable documents (rules §7.3) as pure functions of the recorded facts.

A document issued to an agent is due back (回销) by its due date. One not returned by
then is overdue on the next day: one `documents_overdue` case, occurring that day,
counted in that day's half-year and tiered by the scoring (items 16/17). A document
returned on its due date is on time; one returned later still had its case.

An agent who has left must return what he still holds within 30 days of the end of
his agency (the law's term); `leaver_deadline` says until when.
"""

import datetime as dt
from typing import NamedTuple

OUT, OVERDUE, RETURNED = "out", "overdue", "returned"
STATES = (OUT, OVERDUE, RETURNED)
VIOLATION = "documents_overdue"
RULE_PREFIX = "documents.overdue:"
LEAVER_DAYS = 30


class Document(NamedTuple):
    doc_no: str
    due_on: dt.date
    returned_on: dt.date | None = None


def rule_key(doc_no: str) -> str:
    """The case's key; the scoring orders cases of one day by it, i.e. by doc number."""
    return f"{RULE_PREFIX}{doc_no}"


def doc_no_of(key: str) -> str:
    return key.removeprefix(RULE_PREFIX).split("#", 1)[0]


def overdue_on(due_on: dt.date) -> dt.date:
    """The day a document not returned by `due_on` falls overdue: the next day."""
    return due_on + dt.timedelta(days=1)


def returned_in_time(doc: Document) -> bool:
    return doc.returned_on is not None and doc.returned_on <= doc.due_on


def state(doc: Document, today: dt.date) -> str:
    """Where the document stood on `today`: back, still out within its term, or overdue."""
    if doc.returned_on is not None and doc.returned_on <= today:
        return RETURNED
    return OVERDUE if today >= overdue_on(doc.due_on) else OUT


def case_day(doc: Document, today: dt.date) -> dt.date | None:
    """The day of the document's overdue case as known on `today`, or None (no case):
    not returned by its due date, and that date has passed."""
    if returned_in_time(doc) or today < overdue_on(doc.due_on):
        return None
    return overdue_on(doc.due_on)


def returned_late(doc: Document) -> bool:
    return doc.returned_on is not None and doc.returned_on > doc.due_on


def leaver_deadline(left_on: dt.date, days: int = LEAVER_DAYS) -> dt.date:
    """The last day an agent who left on `left_on` may return what he still holds."""
    return left_on + dt.timedelta(days=days)


def leaver_deadline_passed(left_on: dt.date, today: dt.date, days: int = LEAVER_DAYS) -> bool:
    return today > leaver_deadline(left_on, days)
