"""The promotion and maintenance feed (晋升/维持考核, rules §7.5; issue 7): per agent and
half-year, whether he passed the quality assessment, whether he met the receipt, callback
and persistency objectives, and what he is therefore eligible for. Read by HR (export
`promotion`, /api/v1/promotion/).

[reading] Passing the quality assessment is a standing of `good` or `warned` (no
consequence beyond a letter and training). Falling short of an objective loses promotion
and the club (rules §7.5); a figure with nothing to measure (no receipts due) falls short
of nothing. Maintenance follows the standing alone (`no_maintenance`).
"""

import datetime as dt
from collections.abc import Iterator
from typing import NamedTuple

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.scoring import half_year_bounds

from . import indicators as ind
from .reading import tallies
from .targets import Objective, Targets, against

PASSING = frozenset({"good", "warned"})
OBJECTIVES = (("receipt", "receipt_on_time_rate"), ("callback", "callback_success_rate"),
              ("persistency", "persistency_13m"))
HEADER = ["period", "agent_code", "agent_name", "unit_code", "points", "standing",
          "quality_passed", "receipt_target_met", "callback_target_met",
          "persistency_target_met", "promotion_eligible", "maintenance_passed",
          "club_eligible"]


class Assessment(NamedTuple):
    quality_passed: bool
    receipt_target_met: bool
    callback_target_met: bool
    persistency_target_met: bool
    promotion_eligible: bool
    maintenance_passed: bool
    club_eligible: bool


def assess(standing: str, consequences: list[str], tally: ind.Tally,
           objectives: dict[str, Objective]) -> Assessment:
    """One agent's half-year (pure)."""
    met = []
    for _name, code in OBJECTIVES:
        met.append(against(objectives.get(code), getattr(tally, code))[1] is not False)
    targets = all(met)
    return Assessment(standing in PASSING, *met,
                      "no_promotion" not in consequences and targets,
                      "no_maintenance" not in consequences,
                      "no_club" not in consequences and targets)


def promotion_rows(period: str, as_of: dt.date, agents=None,
                   figures: dict[int, ind.Tally] | None = None) -> Iterator[list]:
    """The feed's rows (HEADER) for every agent of the half-year (`agents` narrows);
    `figures`: the agents' tallies of the half-year if already at hand (the page's, from
    the precomputed figures), else computed from the facts as of the day's end."""
    first, last = half_year_bounds(period)
    half = ind.Period(first, min(last, as_of))
    if figures is None:
        moment = timezone.make_aware(dt.datetime.combine(as_of, dt.time.max))
        figures = tallies(half, moment, by="agent")
    targets = Targets()
    for agent, score in half_year_scores(period, as_of=as_of, agents=agents):
        verdict = assess(score.standing, score.consequences,
                         figures.get(agent.pk, ind.Tally()),
                         targets.for_unit(agent.team.path, half.last))
        yield [period.upper(), agent.code, agent.name, agent.team.code, score.points,
               score.standing, *("true" if v else "false" for v in verdict)]


def _arguments(parser):
    parser.add_argument("period", help="YYYYH1 or YYYYH2")
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_promotion(options, out):
    """the promotion and maintenance feed per agent for a half-year"""
    half_year_bounds(options["period"])
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    return write_table(out, HEADER, promotion_rows(options["period"], as_of))


register(ExportKind("promotion", _arguments, write_promotion))
