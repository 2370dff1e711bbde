"""A complaint's clock as the pages and the API show it: its state, the deadline it runs
against and whether it is overdue, by the pure `rules` with the parameters in force on the
day it was received for the agent's unit (core.parameters `complaints.*`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from pinzhi.core.parameters import ParameterTable

from . import rules

KEYS = tuple(f"complaints.{name}" for name in rules.Params._fields)


def params_for(complaint, table: ParameterTable | None = None) -> rules.Params:
    table = table or ParameterTable(KEYS)
    return rules.Params(*(int(table.value(key, on=complaint.received_on,
                                          unit_path=complaint.agent.team.path))
                          for key in KEYS))


@dataclass(frozen=True)
class Clock:
    state: str
    due_on: dt.date | None
    overdue: bool
    extensions: int
    decided_late: bool


def clock_of(complaint, today: dt.date, table: ParameterTable | None = None) -> Clock:
    extensions = getattr(complaint, "extension_count", None)
    facts = complaint.facts(extensions)
    p = params_for(complaint, table)
    return Clock(rules.state(facts), rules.due_on(facts, p), rules.overdue(facts, today, p),
                 facts.extensions, rules.decided_late(facts, p))


def with_clocks(complaints, today: dt.date) -> list:
    """The complaints (a queryset) with `.clock` set, in one pass."""
    table = ParameterTable(KEYS)
    rows = list(complaints.select_related("agent__team", "policy", "handler", "case")
                .annotate(extension_count=Count("extensions")))
    for complaint in rows:
        complaint.clock = clock_of(complaint, today, table)
    return rows
