"""What the indicators dashboard shows for a unit (issue 7): its figures against their
objectives, each child's beside it (the drill-down), and for a team its agents ranked.
Computed from the facts on each request ([reading]: not precomputed yet; fine for a
branch, slow for a whole large company — see docs/indicators.md)."""

import datetime as dt
from dataclasses import dataclass

from pinzhi.org.models import Agent, Level, Unit

from . import indicators as ind
from .exports import INDICATORS, values
from .reading import tallies, unit_tally
from .targets import Targets

CHART = ("callback_success_rate", "receipt_on_time_rate", "persistency_13m")


@dataclass
class Row:
    code: str
    name: str
    url: str
    figures: dict[str, object]


@dataclass
class Dashboard:
    unit: Unit
    period: ind.Period
    figures: list[tuple[str, object, object, bool | None]]  # code, value, target, met
    children: list[Row]
    agents: list[Row]


def dashboard(unit: Unit, period: ind.Period, as_of: dt.datetime, user) -> Dashboard:
    teams = tallies(period, as_of)
    objectives = Targets().for_unit(unit.path, period.last)
    own = dict(zip(INDICATORS, values(unit_tally(unit.path, teams)), strict=True))
    figures = [(code, own[code], objectives[code].value if code in objectives else None,
                objectives[code].met_by(own[code]) if code in objectives else None)
               for code in INDICATORS]
    children = [Row(c.code, c.name, f"?unit={c.code}",
                    dict(zip(INDICATORS, values(unit_tally(c.path, teams)), strict=True)))
                for c in Unit.objects.restrict(user).live().filter(parent=unit)
                .order_by("code")]
    agents = []
    if unit.level == Level.TEAM:
        by_agent = tallies(period, as_of, by="agent")
        for agent in Agent.objects.restrict(user).live().filter(team=unit):
            agents.append(Row(agent.code, agent.name, agent.get_absolute_url(),
                              dict(zip(INDICATORS, values(by_agent.get(agent.pk,
                                                                       ind.Tally())),
                                       strict=True))))
        agents.sort(key=_rank)
    return Dashboard(unit, period, figures, children, agents)


def _rank(row: Row):
    """Best callback success first; a rate of 0 before an agent with nothing due."""
    rate = row.figures["callback_success_rate"]
    return (rate is None, -(rate or 0), row.code)
