"""A grievance's clock as the pages, the API and the export show it: its state and its
due day as of a day, by the pure `rules` with the number of days in force on the day it
was received for the agent's unit (core.parameters `grievances.reply_days`)."""

import datetime as dt
from dataclasses import dataclass

from pinzhi.core.parameters import ParameterTable

from . import rules

KEY = "grievances.reply_days"


def reply_days(grievance, table: ParameterTable | None = None) -> int:
    table = table or ParameterTable([KEY])
    return int(table.value(KEY, on=grievance.received_on,
                           unit_path=grievance.agent.team.path))


@dataclass(frozen=True)
class Clock:
    state: str
    due_on: dt.date

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def waiting(self) -> bool:
        return self.state in rules.WAITING


def clock_of(grievance, as_of: dt.date, table: ParameterTable | None = None) -> Clock:
    days = reply_days(grievance, table)
    return Clock(rules.state(grievance.facts(), as_of, days),
                 rules.due_on(grievance.received_on, days))


def with_clocks(grievances, as_of: dt.date) -> list:
    """The grievances (a queryset) with `.clock` set, in one pass."""
    table = ParameterTable([KEY])
    rows = list(grievances.select_related("agent__team", "against_agent", "handler"))
    for grievance in rows:
        grievance.clock = clock_of(grievance, as_of, table)
    return rows
