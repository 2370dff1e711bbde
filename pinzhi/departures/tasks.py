"""A departure's two tasks as the pages, the API and the export show them: the facts read
from the database (the reassigned long-term policies and their notices; the documents he
held and their returns) and judged by the pure `rules`, with the parameters in force on
the day he left for his unit (core.parameters `departures.*`)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from pinzhi.core.parameters import ParameterTable
from pinzhi.documents.models import ValuableDocument
from pinzhi.policies.models import Policy

from . import rules
from .models import PolicyholderNotice

KEYS = {"notify": "departures.notify_days", "documents": "departures.documents_days"}


@dataclass(frozen=True)
class Tasks:
    notify: rules.Task
    documents: rules.Task

    @property
    def overdue(self) -> bool:
        return rules.OVERDUE in (self.notify.state, self.documents.state)

    def items(self):
        return (("notify", self.notify), ("documents", self.documents))


def days_for(departure, table: ParameterTable | None = None) -> dict[str, int]:
    table = table or ParameterTable(tuple(KEYS.values()))
    return {name: int(table.value(key, on=departure.left_on,
                                  unit_path=departure.agent.team.path))
            for name, key in KEYS.items()}


def to_notify(departure) -> QuerySet:
    """The long-term policies reassigned by the departure: their policyholders are told."""
    return (Policy.objects.filter(servicing_assignments__departure=departure,
                                  product__long_term=True).distinct())


def told_days(departure) -> dict[int, dt.date]:
    """{policy id: the day its policyholder was told}."""
    return dict(PolicyholderNotice.objects.live().filter(departure=departure)
                .values_list("policy_id", "told_on"))


def documents_held(departure) -> QuerySet:
    """The valuable documents issued to him and still out on the day he left."""
    return (ValuableDocument.objects.live()
            .filter(agent_id=departure.agent_id, issued_on__lte=departure.left_on)
            .filter(Q(returned_on__isnull=True) | Q(returned_on__gt=departure.left_on)))


def tasks_of(departure, as_of: dt.date, table: ParameterTable | None = None) -> Tasks:
    days = days_for(departure, table)
    told = told_days(departure)
    policy_ids = to_notify(departure).values_list("pk", flat=True)
    returns = documents_held(departure).values_list("returned_on", flat=True)
    return Tasks(
        rules.task(departure.left_on, days["notify"], [told.get(pk) for pk in policy_ids],
                   as_of),
        rules.task(departure.left_on, days["documents"], list(returns), as_of))


def with_tasks(departures, as_of: dt.date) -> list:
    """The departures (a queryset) with `.tasks` set."""
    table = ParameterTable(tuple(KEYS.values()))
    rows = list(departures.select_related("agent__team", "servicing_agent", "recorded_by"))
    for departure in rows:
        departure.tasks = tasks_of(departure, as_of, table)
    return rows
