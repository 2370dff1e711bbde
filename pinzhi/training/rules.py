"""Remedial training as pure functions (issue 8; rules §7.6: a standing of `warned` or
worse brings `remedial_training`)."""

import datetime as dt

REMEDIAL = "remedial_training"
STATES = ("owed", "overdue", "done", "done_late")


def needs_remedial(consequences: list[str]) -> bool:
    return REMEDIAL in consequences


def done_on(assigned_on: dt.date, remedial_days: list[dt.date]) -> dt.date | None:
    """The first remedial session he attended on or after the assignment."""
    days = [d for d in remedial_days if d >= assigned_on]
    return min(days) if days else None


def state(due_on: dt.date, done: dt.date | None, today: dt.date) -> str:
    if done is not None and done <= today:
        return "done" if done <= due_on else "done_late"
    return "overdue" if today > due_on else "owed"
