"""What the indicators dashboard shows for a unit (issue 7): its figures over whole months
against their objectives and beside the previous period of as many months, its trend by
month, each child's figures (the drill-down), and for a team its agents ranked.

Read from the latest precomputed snapshot (snapshot.py): two small queries whatever the
size of the company; the page says as of when."""

import datetime as dt
from dataclasses import dataclass

from pinzhi.org.models import Agent, Level, Unit
from pinzhi.receipts.rules import add_months

from . import indicators as ind
from . import snapshot as snapshots
from .exports import SHOWN, figures
from .models import FigureSnapshot
from .targets import Targets, against

CHART = ("callback_success_rate", "receipt_on_time_rate", "persistency_13m")
TREND_MONTHS = 12


@dataclass
class Row:
    code: str
    name: str
    url: str
    figures: dict[str, object]


@dataclass
class Figure:
    code: str
    value: object
    target: object
    met: bool | None
    previous: object  # the same figure over the previous period of as many months


@dataclass
class Dashboard:
    unit: Unit
    months: list[dt.date]
    snapshot: FigureSnapshot
    figures: list[Figure]
    children: list[Row]
    agents: list[Row]
    trend: list[tuple[dt.date, dict[str, object]]]  # month, figures

    @property
    def period(self) -> ind.Period:
        return ind.Period(self.months[0], ind.month_period(self.months[-1]).last)


def figures_of(tally: ind.Tally) -> dict[str, object]:
    return figures(tally)


def months_within(snap: FigureSnapshot, first: dt.date | None, last: dt.date | None
                  ) -> list[dt.date]:
    """The months asked for, kept within the snapshot's (default: its last month)."""
    last = min(max((last or snap.last_month).replace(day=1), snap.first_month), snap.last_month)
    first = min(max((first or last).replace(day=1), snap.first_month), last)
    return ind.months_of(ind.Period(first, last))


def previous_months(months: list[dt.date]) -> list[dt.date]:
    return [add_months(m, -len(months)) for m in months]


def dashboard(unit: Unit, months: list[dt.date], user, snap: FigureSnapshot) -> Dashboard:
    before = previous_months(months)
    trend_months = [add_months(months[-1], -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    trend_months = [m for m in trend_months if m >= snap.first_month]
    children = list(Unit.objects.restrict(user).live().filter(parent=unit).order_by("code"))
    stored = snapshots.month_figures(snap, sorted(set(months + before + trend_months)),
                                     units=[unit.pk] + [c.pk for c in children])
    own = figures_of(snapshots.over(stored, unit.pk, months))
    last = (figures_of(snapshots.over(stored, unit.pk, before))
            if before[0] >= snap.first_month else dict.fromkeys(SHOWN))
    objectives = Targets().for_unit(unit.path, ind.month_period(months[-1]).last)
    figures = [Figure(code, own[code], *against(objectives.get(code), own[code]), last[code])
               for code in SHOWN]
    rows = [Row(c.code, c.name, f"?unit={c.code}",
                figures_of(snapshots.over(stored, c.pk, months))) for c in children]
    trend = [(m, figures_of(snapshots.over(stored, unit.pk, [m]))) for m in trend_months]
    agents = team_agents(unit, months, user, snap) if unit.level == Level.TEAM else []
    return Dashboard(unit, months, snap, figures, rows, agents, trend)


def team_agents(team: Unit, months: list[dt.date], user, snap: FigureSnapshot) -> list[Row]:
    """The team's agents in the user's scope, ranked (`_rank`)."""
    stored = snapshots.month_figures(snap, months, team=team.pk)
    agents = [Row(agent.code, agent.name, agent.get_absolute_url(),
                  figures_of(snapshots.over(stored, agent.pk, months)))
              for agent in Agent.objects.restrict(user).live().filter(team=team)]
    return sorted(agents, key=_rank)


def _rank(row: Row):
    """Best callback success first; a rate of 0 before an agent with nothing due."""
    rate = row.figures["callback_success_rate"]
    return (rate is None, -(rate or 0), row.code)
