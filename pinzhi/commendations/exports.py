"""`pinzhi export commendations --out FILE [--from DATE --to DATE]`: the commendations
(not voided) awarded in the period (default: all)."""

from collections.abc import Iterator

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date

from .models import Commendation

HEADER = ["commendation_no", "awarded_on", "agent_code", "agent_name", "unit_code", "kind",
          "title", "reason", "awarded_by_unit"]


def commendation_rows(start=None, end=None) -> Iterator[list]:
    rows = Commendation.objects.live().select_related("agent__team", "awarded_by_unit")
    if start:
        rows = rows.filter(awarded_on__gte=start)
    if end:
        rows = rows.filter(awarded_on__lte=end)
    for c in rows.order_by("awarded_on", "commendation_no").iterator(chunk_size=2000):
        yield [c.commendation_no, c.awarded_on.isoformat(), c.agent.code, c.agent.name,
               c.agent.team.code, c.kind, c.title, c.reason, c.awarded_by_unit.code]


def _arguments(parser):
    parser.add_argument("--from", dest="start", help="YYYY-MM-DD (awarded on or after)")
    parser.add_argument("--to", dest="end", help="YYYY-MM-DD (awarded on or before)")


def write_commendations(options, out):
    """commendations awarded to agents in a period"""
    start = date(options["start"]) if options.get("start") else None
    end = date(options["end"]) if options.get("end") else None
    if start and end and start > end:
        raise ValueError("--from is after --to")
    return write_table(out, HEADER, commendation_rows(start, end))


register(ExportKind("commendations", _arguments, write_commendations))
