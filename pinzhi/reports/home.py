"""What an agent's home page shows of his quality (issue 7, rules §8.2), in one screen:
his half-year standing and points, his indicators of the half-year's months so far (from
the dashboards' precomputed figures, as of their moment) against their objectives, and
his last settled month. Reads only."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from pinzhi.org.models import Agent
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.scoring import half_year_bounds, half_year_of

from . import indicators as ind
from . import snapshot as snapshots
from .targets import Targets, against

SHOWN = ("callback_success_rate", "receipt_on_time_rate", "persistency_13m")


@dataclass
class Figure:
    code: str
    value: object  # None: "—"
    target: object
    met: bool | None


@dataclass
class AgentSummary:
    period: str
    standing: str
    points: object
    cases: int
    figures: list[Figure]
    last_month: object  # a settlement.statements.Statement, or None


def agent_summary(agent: Agent, now: dt.datetime | None = None) -> AgentSummary:
    from pinzhi.settlement import statements
    from pinzhi.settlement.models import LedgerLine

    now = now or timezone.now()
    today = timezone.localdate(now)
    period = half_year_of(today)
    first, _last = half_year_bounds(period)
    _agent, score = next(half_year_scores(period, as_of=today,
                                          agents=Agent.objects.filter(pk=agent.pk)),
                         (None, None))
    # The half-year's months so far, from the dashboards' figures (snapshot.py): one
    # indexed read, as the page is opened by every agent every morning.
    snap = snapshots.current(now)
    months = snapshots.months_so_far(snap, ind.Period(first, today), today)
    tally = snapshots.agent_over(snap, agent.pk, months) if months else ind.Tally()
    objectives = Targets().for_unit(agent.team.path, today)
    figures = []
    for code in SHOWN:
        value = getattr(tally, code)
        figures.append(Figure(code, value, *against(objectives.get(code), value)))
    month = (LedgerLine.objects.filter(agent=agent).order_by("-month")
             .values_list("month", flat=True).first())
    return AgentSummary(period, score.standing if score else "good",
                        score.points if score else 0, score.cases if score else 0, figures,
                        statements.statement(agent, month) if month else None)
