"""Remedial training assigned by the schedule (issue 8): the first `pinzhi evaluate` of
a day scores the current and the previous half-year (quality.scores, the one rule of
standings) and assigns remedial training, once per agent and half-year, to every agent
whose standing calls for it (rules §7.6); written in one bulk insert. A unit's run
(`pinzhi evaluate --unit`) does it for its subtree's agents, once a day unless a run of
the unit, of an ancestor or of the company did it already."""

import datetime as dt

from django.db import transaction

from pinzhi.core import parameters
from pinzhi.core.calendar import local_day
from pinzhi.core.evaluating import in_subtree
from pinzhi.core.models import Event
from pinzhi.core.versions import path_prefixes
from pinzhi.org.models import Agent
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.scoring import half_year_bounds, half_year_of

from . import rules
from .models import RemedialAssignment

ACTION = "training.remedial_assigned"


def half_years_to_assign(day: dt.date) -> list[str]:
    """The day's half-year and the one before (late cases still move its standings)."""
    current = half_year_of(day)
    previous = half_year_of(half_year_bounds(current)[0] - dt.timedelta(days=1))
    return [previous, current]


def done_key(day: dt.date, unit_path: str = "") -> str:
    """The event key of a day's assignment: the day, and the unit's path for a unit."""
    return day.isoformat() + unit_path


def remedial_assign(as_of: dt.datetime, *, full: bool = False, unit_path: str = "") -> str:
    day = local_day(as_of)
    covering = [done_key(day)] + [done_key(day, p) for p in path_prefixes(unit_path)]
    if not full and Event.objects.filter(action=ACTION, key__in=covering).exists():
        return f"remedial trainings assigned already on {day}"
    agents = in_subtree(Agent.objects.all(), "team__path", unit_path)
    due_days = int(parameters.value("training.remedial_due_days", on=day))
    made = 0
    with transaction.atomic():
        for half in half_years_to_assign(day):
            through = min(half_year_bounds(half)[1], day)
            owed = {agent.pk: score.standing for agent, score in
                    half_year_scores(half, as_of=through, known_at=as_of, agents=agents)
                    if rules.needs_remedial(score.consequences)}
            have = set(RemedialAssignment.objects.filter(half_year=half, agent_id__in=owed)
                       .values_list("agent_id", flat=True))
            new = [RemedialAssignment(agent_id=pk, half_year=half, standing=standing,
                                      assigned_on=day,
                                      due_on=day + dt.timedelta(days=due_days))
                   for pk, standing in owed.items() if pk not in have]
            RemedialAssignment.objects.bulk_create(new, batch_size=2000)
            made += len(new)
        Event.objects.create(action=ACTION, kind="training", key=done_key(day, unit_path),
                             data={"assigned": made})
    return f"{made} remedial trainings assigned on {day}"
