"""The `departures` feed file: departures recorded elsewhere (HR), keyed by agent code.

The engine writes the rows; every row is first checked by the service's own check
(`services.check_departure`: scope, reason, left_on, an active servicing agent who is not
himself), and every new departure then does what the service does, in the same
transaction (`services.apply_departures`): the agent terminated on his day, his orphaned
policies reassigned. A row for an agent who has left already is refused unless it equals
the departure recorded (then it changes nothing).
"""

from django.utils import timezone

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent

from .models import Departure, Reason
from .services import DepartureRefused, apply_departures, check_departure

COLUMNS = ("agent_code", "left_on", "reason", "servicing_agent_code")


def _check(stage) -> list[tuple[int, str, str, str]]:
    rows = stage.staged(*COLUMNS)  # a departures file is small
    codes = {code for row in rows for code in (row[1], row[4])}
    agents = {a.code: a for a in Agent.objects.filter(code__in=codes)}
    stored = {d.agent.code: d for d in Departure.objects.filter(agent__code__in=codes)
              .select_related("agent", "servicing_agent")}
    leaving = {row[1] for row in rows}
    today = timezone.localdate(stage.now)
    errors = []
    for row_no, code, left_on, reason, servicing_code in rows:
        agent, servicing = agents.get(code), agents.get(servicing_code)
        if agent is None or servicing is None:
            continue  # the engine names the unknown reference
        earlier = stored.get(code)
        if earlier is not None:
            if (earlier.left_on, earlier.reason, earlier.servicing_agent.code) != (
                    left_on, reason, servicing_code):
                errors.append((row_no, "agent_code", code,
                               f"agent {code} has left already, on {earlier.left_on}"))
            continue
        try:
            check_departure(agent=agent, left_on=left_on, reason=reason,
                            servicing_agent=servicing, by=stage.by, today=today)
        except DepartureRefused as refused:
            errors.append((row_no, refused.field, "", str(refused)))
            continue
        if servicing_code in leaving:
            errors.append((row_no, "servicing_agent_code", servicing_code,
                           f"servicing agent {servicing_code} leaves in this file"))
    return errors


def _after_departures(stage) -> list[str]:
    """The new rows (written by this import, at its moment) do what the service does."""
    codes = [row[1] for row in stage.staged("agent_code")]
    new = list(Departure.objects.filter(agent__code__in=codes, created_at=stage.now,
                                        recorded_by__isnull=True)
               .select_related("agent", "servicing_agent"))
    Departure.objects.filter(pk__in=[d.pk for d in new]).update(recorded_by=stage.by)
    apply_departures(new, by=stage.by, now=stage.now)
    return []


DEPARTURES = register(ImportSpec(
    kind="departures",
    model=Departure,
    key=("agent_code",),
    columns=(
        Column("agent_code", p.code(), field="agent"),
        Column("left_on", p.date, not_future=True),
        Column("reason", p.choice(*Reason.values)),
        Column("servicing_agent_code", p.code(), field="servicing_agent"),
        Column("note", p.text(2000), required=False, default=""),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("servicing_agent_code", "servicing_agent", Agent),
    ),
    check_stage=_check,
    after_apply=_after_departures,
    description="agents' departures (issue 8): each terminates the agent and reassigns "
                "his policies in force to the servicing agent",
))
