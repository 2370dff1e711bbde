"""The quality evaluation report (质量评估报告, issue 7) of a unit for a half-year or a
year: its indicators against their objectives, its children's, the trend by month, the
most frequent violations and the agents at each standing. The figures come from the
same rules as everywhere else (`snapshot.monthly_tallies`, one pass over the period's
facts, as of the moment of the report); `evaluation_pdf` prints it.
"""

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from pinzhi.org.models import Agent, Unit
from pinzhi.quality.models import Case, ViolationVersion
from pinzhi.quality.scores import case_facts, half_year_scores
from pinzhi.quality.scoring import counts_at, half_year_bounds

from . import indicators as ind
from .dashboard import figures_of
from .exports import SHOWN
from .snapshot import monthly_tallies
from .targets import Targets, against

STANDINGS = ("good", "warned", "restricted", "failed", "termination")
TOP_VIOLATIONS = 10
LISTED_AGENTS = 100  # of those not in good standing, by points; the rest are counted


def report_period(text: str) -> tuple[str, ind.Period, list[str]]:
    """'2026H1' or '2026' → (label, period, its half-years); ValueError otherwise."""
    text = text.strip().upper()
    if re.fullmatch(r"\d{4}H[12]", text):
        return text, ind.Period(*half_year_bounds(text)), [text]
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return text, ind.Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), [
            f"{year}H1", f"{year}H2"]
    raise ValueError(f"not a half-year or a year (e.g. 2026H1, 2026): {text!r}")


@dataclass
class Standings:
    half_year: str
    counts: dict[str, int]
    listed: list[tuple[str, str, str, str, object]]  # code, name, team, standing, points
    more: int = 0  # not in good standing and not listed


@dataclass
class EvaluationReport:
    unit: Unit
    label: str
    period: ind.Period
    as_of: dt.datetime
    figures: list[tuple[str, object, object, bool | None]]  # code, value, target, met
    children: list[tuple[Unit, dict[str, object]]]
    trend: list[tuple[dt.date, dict[str, object]]]
    violations: list[tuple[str, str, int, int]]  # code, Chinese name, cases, agents
    standings: list[Standings] = field(default_factory=list)


def evaluation_report(unit: Unit, period_text: str, as_of: dt.datetime | None = None
                      ) -> EvaluationReport:
    as_of = as_of or timezone.now()
    label, period, halves = report_period(period_text)
    months = ind.months_of(period)
    children = list(Unit.objects.live().filter(parent=unit).order_by("code"))
    monthly: dict[str, dict[dt.date, ind.Tally]] = defaultdict(lambda: defaultdict(ind.Tally))
    for (month, _agent, path), tally in monthly_tallies(months, as_of).items():
        path = path or ""
        for owner in [unit, *children]:
            if path.startswith(owner.path):
                monthly[owner.path][month] += tally

    def over(owner: Unit) -> ind.Tally:
        return ind.over_months([monthly[owner.path][m] for m in months])

    own = figures_of(over(unit))
    objectives = Targets().for_unit(unit.path, period.last)
    figures = [(code, own[code], *against(objectives.get(code), own[code]))
               for code in SHOWN]
    return EvaluationReport(
        unit, label, period, as_of, figures,
        [(child, figures_of(over(child))) for child in children],
        [(m, figures_of(monthly[unit.path][m])) for m in months],
        frequent_violations(unit, period, as_of),
        [standings(unit, half, as_of) for half in halves
         if half_year_bounds(half)[0] <= timezone.localdate(as_of)])


def subtree_agents(unit: Unit):
    return Agent.objects.filter(team__path__startswith=unit.path)


def frequent_violations(unit: Unit, period: ind.Period, as_of: dt.datetime
                        ) -> list[tuple[str, str, int, int]]:
    """The violations of the counting cases that occurred in the period, most cases
    first: (code, Chinese name, cases, agents)."""
    cases = Case.objects.filter(agent__in=subtree_agents(unit).values("id"),
                                occurred_on__gte=period.first, occurred_on__lte=period.last)
    counted, agents = Counter(), defaultdict(set)
    for case in case_facts(cases):
        if counts_at(case, as_of):
            counted[case.type_code] += 1
            agents[case.type_code].add(case.agent_id)
    names = violation_names(list(counted), period.last)
    top = sorted(counted.items(), key=lambda item: (-item[1], item[0]))[:TOP_VIOLATIONS]
    return [(code, names.get(code, code), n, len(agents[code])) for code, n in top]


def violation_names(codes: list[str], day: dt.date) -> dict[str, str]:
    """Each violation's Chinese name in its latest version by the day (company-wide first)."""
    names = {}
    versions = (ViolationVersion.objects.filter(type__code__in=codes, valid_from__lte=day)
                .order_by("valid_from").values_list("type__code", "name_zh", "unit_id"))
    for code, name, unit_id in versions:
        if unit_id is None or code not in names:
            names[code] = name
    return names


def standings(unit: Unit, half: str, as_of: dt.datetime) -> Standings:
    """How many agents of the subtree stand where in the half-year, as of the moment,
    and those not in good standing, most points first."""
    day = min(half_year_bounds(half)[1], timezone.localdate(as_of))
    counts = dict.fromkeys(STANDINGS, 0)
    below: list[tuple] = []
    for agent, score in half_year_scores(half, as_of=day, agents=subtree_agents(unit),
                                         known_at=as_of):
        counts[score.standing] = counts.get(score.standing, 0) + 1
        if score.standing != "good":
            below.append((-score.points_tenths, agent.code, agent.name, agent.team.name,
                          score.standing, score.points))
    below.sort()
    listed = [row[1:] for row in below[:LISTED_AGENTS]]
    return Standings(half, counts, listed, max(0, len(below) - LISTED_AGENTS))
