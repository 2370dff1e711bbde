"""`pinzhi export kpis --from DATE --to DATE --level LEVEL [--as-of TIMESTAMP] --out FILE`
(interfaces.md): one row per unit of the level (each its whole subtree), or per agent
(`--level agent`, the unit columns naming the agent), then one column per indicator of
rules §8.1 in its table's order; an empty cell where a rate has no denominator."""

from django.db.models import Q
from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date, timestamp
from pinzhi.core.money import yuan
from pinzhi.org.models import Agent, Level, Unit

from . import indicators as ind
from .reading import tallies, unit_tally

INDICATORS = (
    "policies", "premium", "commission", "callbacks_due", "callback_first_round_rate",
    "callback_success_rate", "callback_in_time_rate", "receipts_due",
    "receipt_collection_rate", "receipt_on_time_rate", "persistency_13m", "agents", "cases",
    "points", "points_per_100_agents", "withheld", "deducted", "forfeited", "satisfaction",
)
HEADER = ["unit_code", "unit_name", "level", "from", "to", *INDICATORS]
# Figures of later issues, shown on the pages and in the API; the export keeps the
# contract's columns (interfaces.md: rules §8.1's table).
MORE = ("complaints", "complaints_per_1000_policies", "training_hours", "remedial_due",
        "remedial_on_time_rate", "remedial_overdue", "findings_due",
        "rectification_on_time_rate", "findings_overdue")
SHOWN = (*INDICATORS, *MORE)
LEVELS = (*Level.values, "agent")


def values(t: ind.Tally) -> list:
    """The indicator columns of a tally, in INDICATORS order (None: an empty cell)."""
    return [t.policies, yuan(t.premium_fen), yuan(t.commission_fen), t.callbacks_due,
            t.callback_first_round_rate, t.callback_success_rate, t.callback_in_time_rate,
            t.receipts_due, t.receipt_collection_rate, t.receipt_on_time_rate,
            t.persistency_13m, t.agents, t.cases, t.points, t.points_per_100_agents,
            yuan(t.withheld_fen), yuan(t.deducted_fen), yuan(t.forfeited_fen),
            t.satisfaction]


def figures(t: ind.Tally) -> dict[str, object]:
    """Every figure the pages and the API show, by code (None: "—")."""
    return {**dict(zip(INDICATORS, values(t), strict=True)),
            **{code: getattr(t, code) for code in MORE}}


def kpi_rows(period: ind.Period, as_of, level: str):
    span = [period.first.isoformat(), period.last.isoformat()]
    if level == "agent":
        figures = tallies(period, as_of, by="agent")
        agents = (Agent.objects.live().filter(hired_on__lte=period.last)
                  .filter(Q(left_on__isnull=True) | Q(left_on__gte=period.first))
                  | Agent.objects.filter(pk__in=[k for k in figures if k is not None]))
        for agent in agents.distinct().order_by("code").iterator(chunk_size=5000):
            yield [agent.code, agent.name, "agent", *span,
                   *values(figures.get(agent.pk, ind.Tally()))]
        return
    teams = tallies(period, as_of)
    for unit in Unit.objects.live().filter(level=level).order_by("path"):
        yield [unit.code, unit.name, level, *span, *values(unit_tally(unit.path, teams))]


def _arguments(parser):
    parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")
    parser.add_argument("--level", required=True, choices=LEVELS)
    parser.add_argument("--as-of", dest="as_of", help="ISO timestamp (default now)")


def write_kpis(options, out):
    """indicators of rules §8.1 per unit of a level, or per agent"""
    try:
        period = ind.Period(date(options["first"]), date(options["last"]))
        as_of = timestamp(options["as_of"]) if options.get("as_of") else timezone.now()
    except ValueError as exc:
        raise ValueError(f"--from/--to/--as-of: {exc}") from None
    if period.first > period.last:
        raise ValueError("--from is after --to")
    return write_table(out, HEADER, kpi_rows(period, as_of, options["level"]))


register(ExportKind("kpis", _arguments, write_kpis))
