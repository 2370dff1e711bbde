"""`pinzhi export grievances --out FILE [--as-of DATE]`: every grievance (not voided) with
its state and due day as of the day (default today). Confidential: the file is for the
grievance handlers; it carries no summary and no reply text."""

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date
from pinzhi.core.parameters import ParameterTable

from .clock import KEY, clock_of
from .models import Grievance

HEADER = ["grievance_no", "received_on", "agent_code", "agent_name", "unit_code", "about",
          "against_agent_code", "channel", "handler", "due_on", "state", "replied_on",
          "outcome"]


def grievance_rows(as_of: dt.date) -> Iterator[list]:
    table = ParameterTable([KEY])
    rows = (Grievance.objects.live().filter(received_on__lte=as_of)
            .select_related("agent__team", "against_agent", "handler")
            .order_by("received_on", "grievance_no"))
    for g in rows.iterator(chunk_size=2000):
        clock = clock_of(g, as_of, table)
        replied = g.replied_on if g.replied_on and g.replied_on <= as_of else None
        yield [g.grievance_no, g.received_on.isoformat(), g.agent.code, g.agent.name,
               g.agent.team.code, g.about, g.against_agent.code if g.against_agent else "",
               g.channel, g.handler.username if g.handler else "", clock.due_on.isoformat(),
               clock.state, replied.isoformat() if replied else "",
               g.outcome if replied else ""]


def _arguments(parser):
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_grievances(options, out):
    """agents' grievances with their state and due day as of a day"""
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    return write_table(out, HEADER, grievance_rows(as_of))


register(ExportKind("grievances", _arguments, write_grievances))
