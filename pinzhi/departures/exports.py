"""`pinzhi export departures --out FILE [--as-of DATE]`: one row per departure with each
task's deadline, state and counts as of the day's end."""

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date

from .models import Departure
from .tasks import with_tasks

HEADER = ["agent_code", "agent_name", "unit_code", "left_on", "reason",
          "servicing_agent_code", "policies_reassigned",
          "notify_due_on", "notify_state", "notify_done", "notify_total",
          "documents_due_on", "documents_state", "documents_done", "documents_total"]


def departure_rows(as_of, departures=None):
    departures = departures if departures is not None else Departure.objects.live()
    for dep in with_tasks(departures.order_by("left_on", "agent__code"), as_of):
        row = [dep.agent.code, dep.agent.name, dep.agent.team.code, dep.left_on.isoformat(),
               dep.reason, dep.servicing_agent.code, dep.assignments.count()]
        for _name, task in dep.tasks.items():
            row += [task.due_on.isoformat(), task.state, task.done, task.total]
        yield row


def _arguments(parser):
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_departures(options, out):
    """every departure with its two tasks' deadlines, states and counts"""
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    return write_table(out, HEADER, departure_rows(as_of))


register(ExportKind("departures", _arguments, write_departures))
