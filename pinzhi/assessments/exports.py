"""`pinzhi export rank_decisions YYYYHn --out FILE [--as-of DATE]`: one row per agent of
the half-year, the promotion feed's columns (computed from the facts as of the day, as
`pinzhi export promotion` does) and then the rank assessment's: what is recommended, what
was decided, from and to which rank, when and by whom.

[reading] `recommended` is the recommendation the decision was made against when the
agent is decided (kept with it), else the feed's recommendation for his current rank
today; an undecided agent's decided columns are empty.
"""

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date
from pinzhi.org.models import Agent
from pinzhi.quality.scoring import half_year_bounds
from pinzhi.reports.promotion import HEADER, promotion_rows

from .models import RankDecision
from .reading import Ladder, as_feed

COLUMNS = HEADER + ["recommended", "outcome", "from_rank", "to_rank", "decided_on",
                    "decided_by"]


def rank_rows(period: str, as_of):
    period = period.upper()
    decided = {d.agent.code: d for d in RankDecision.objects.filter(period=period)
               .select_related("agent", "by")}
    ranks = dict(Agent.objects.values_list("code", "rank"))
    ladder = Ladder.read()
    for row in promotion_rows(period, as_of):
        code, d = row[1], decided.get(row[1])
        if d is not None:
            yield [*row, d.recommended, d.outcome, d.from_rank, d.to_rank,
                   d.decided_on.isoformat(), d.by.username if d.by else ""]
            continue
        recommended = ladder.recommend(as_feed(dict(zip(HEADER, row, strict=True))),
                                       ranks[code])
        yield [*row, recommended[0] if recommended else "", "", ranks[code], "", "", ""]


def _arguments(parser):
    parser.add_argument("period", help="YYYYH1 or YYYYH2")
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_rank_decisions(options, out):
    """each agent's half-year: the promotion feed, the recommended and decided rank"""
    half_year_bounds(options["period"])
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    return write_table(out, COLUMNS, rank_rows(options["period"], as_of))


register(ExportKind("rank_decisions", _arguments, write_rank_decisions))
