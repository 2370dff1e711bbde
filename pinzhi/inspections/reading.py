"""Findings as plain facts for the indicators (issue 8: overdue rectifications stand out),
and with their state as of a day for the pages, the API and the export.

`finding_facts(first, last, today)` streams one tuple per live finding of a live plan due
in the span: (agent id or None, path, due day, state by the pure `rules.state`). The path
is the agent's team's when the finding names an agent (it counts for him and his team),
else the inspected unit's.
"""

import datetime as dt
from collections.abc import Iterator

from django.db.models.functions import Coalesce

from . import rules
from .models import Finding


def finding_facts(first: dt.date, last: dt.date, today: dt.date,
                  agent_id: int | None = None) -> Iterator[tuple]:
    """(agent id or None, path, due day, state as of today) of the live findings of live
    plans found by today whose rectification is due from `first` to `last`: the
    indicators' rectification figures. The path is the agent's team's (now) when the
    finding names one, else the inspected unit's."""
    rows = Finding.objects.filter(voided_at__isnull=True, plan__voided_at__isnull=True,
                                  found_on__lte=today, due_on__gte=first, due_on__lte=last)
    if agent_id is not None:
        rows = rows.filter(agent_id=agent_id)
    rows = (rows.annotate(unit_path=Coalesce("agent__team__path", "plan__unit__path"))
            .order_by().values_list("agent_id", "unit_path", "due_on", "rectified_on"))
    for pk, path, due_on, rectified_on in rows.iterator(chunk_size=5000):
        yield pk, path, due_on, rules.state(due_on, rectified_on, today)


def with_states(findings, day: dt.date) -> list:
    """The findings (a queryset) with `.state` as of `day`, in one query."""
    rows = list(findings.select_related("plan__unit", "agent__team", "owner", "item",
                                        "violation_type", "case"))
    for finding in rows:
        finding.state = finding.state_on(day)
    return rows


def progress_of(plans, day: dt.date) -> dict[int, rules.Progress]:
    """Each plan's progress as of `day` (plans: a list), in two queries."""
    from .models import ChecklistItem

    ids = [p.pk for p in plans]
    results: dict[int, list[str]] = {pk: [] for pk in ids}
    for plan_id, result in ChecklistItem.objects.filter(plan_id__in=ids).values_list(
            "plan_id", "result"):
        results[plan_id].append(result)
    findings: dict[int, list] = {pk: [] for pk in ids}
    for plan_id, due, done in Finding.objects.live().filter(plan_id__in=ids).values_list(
            "plan_id", "due_on", "rectified_on"):
        findings[plan_id].append((due, done))
    return {pk: rules.progress(results[pk], findings[pk], day) for pk in ids}
