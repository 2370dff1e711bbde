"""`pinzhi export scores YYYYH1|YYYYH2 --as-of DATE --out FILE` (interfaces.md)."""

import datetime as dt

from pinzhi.core.exporting import ExportKind, register, write_table

from .scores import half_year_scores
from .scoring import half_year_bounds

SCORES_HEADER = ["period", "agent_code", "agent_name", "unit_code", "points", "cases",
                 "standing", "consequences"]


def score_rows(period: str, as_of: dt.date, agents=None):
    for agent, result in half_year_scores(period, as_of=as_of, agents=agents):
        yield [period, agent.code, agent.name, agent.team.code, result.points, result.cases,
               result.standing, ";".join(result.consequences)]


def _arguments(parser):
    parser.add_argument("period", help="e.g. 2026H1")
    parser.add_argument("--as-of", dest="as_of", required=True, type=dt.date.fromisoformat)


def write_scores(options, out) -> int:
    """Quality points per agent for a half-year."""
    period = options["period"].upper()
    half_year_bounds(period)  # ValueError for a bad period
    rows = sorted(score_rows(period, options["as_of"]), key=lambda r: r[1])
    return write_table(out, SCORES_HEADER, rows)


register(ExportKind("scores", _arguments, write_scores))
