"""Remedial training with its state as of a day (rules.py), for the pages and the API:
the remedial sessions each agent attended are read once, and the rule decides."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from . import rules
from .models import Attendance, RemedialAssignment


def remedial_days(agent_ids: list[int], today: dt.date) -> dict[int, list[dt.date]]:
    """Each agent's days of remedial sessions attended, up to today."""
    days: dict[int, list[dt.date]] = defaultdict(list)
    rows = (Attendance.objects.filter(agent_id__in=agent_ids, voided_at__isnull=True,
                                      session__voided_at__isnull=True,
                                      session__course__remedial=True,
                                      session__held_on__lte=today)
            .values_list("agent_id", "session__held_on"))
    for agent_id, held_on in rows:
        days[agent_id].append(held_on)
    return days


def remedial_rows(assignments, today: dt.date) -> list:
    """The assignments (a queryset) with `.done_on` and `.state` set."""
    rows = list(assignments.select_related("agent__team"))
    days = remedial_days([a.agent_id for a in rows], today)
    for a in rows:
        a.done_on = rules.done_on(a.assigned_on, days.get(a.agent_id, []))
        a.state = rules.state(a.due_on, a.done_on, today)
    return rows


def remedial_facts(first: dt.date, last: dt.date, today: dt.date,
                   agent_id: int | None = None) -> Iterator[tuple]:
    """(agent id, his team's path now, due day, state as of today) of the remedial
    trainings falling due from `first` to `last`: the indicators' training figures."""
    rows = RemedialAssignment.objects.filter(due_on__gte=first, due_on__lte=last)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    rows = list(rows.values_list("agent_id", "agent__team__path", "assigned_on", "due_on"))
    days = remedial_days(sorted({r[0] for r in rows}), today)
    for pk, path, assigned_on, due_on in rows:
        done = rules.done_on(assigned_on, days.get(pk, []))
        yield pk, path, due_on, rules.state(due_on, done, today)


def attendance_facts(first: dt.date, last: dt.date,
                     agent_id: int | None = None) -> Iterator[tuple]:
    """(agent id, his team's path now, day held, hours in tenths) of the live attendances
    of sessions held from `first` to `last`."""
    rows = Attendance.objects.filter(voided_at__isnull=True, session__voided_at__isnull=True,
                                     session__held_on__gte=first, session__held_on__lte=last)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    for pk, path, held_on, hours in rows.values_list(
            "agent_id", "agent__team__path", "session__held_on",
            "session__course__hours").iterator(chunk_size=5000):
        yield pk, path, held_on, int(hours * 10)
