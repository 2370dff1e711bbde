"""Remedial training with its state as of a day (rules.py), for the pages and the API:
the remedial sessions each agent attended are read once, and the rule decides."""

import datetime as dt
from collections import defaultdict

from . import rules
from .models import Attendance


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
