"""The training file and remedial training as files (issue 8):
`pinzhi export training --from DATE --to DATE --out FILE`, one row per attendance (the
training file the law asks for, per agent and session), and
`pinzhi export remedial [--as-of DATE] --out FILE`, one row per remedial training with
its state as of the day (training.rules)."""

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date

from .models import Attendance, RemedialAssignment
from .reading import remedial_rows

TRAINING_HEADER = ["agent_code", "agent_name", "unit_code", "session_no", "course_code",
                   "course_name", "remedial", "held_on", "hours", "held_by", "trainer"]
REMEDIAL_HEADER = ["agent_code", "agent_name", "unit_code", "half_year", "standing",
                   "assigned_on", "due_on", "done_on", "state"]


def training_rows(first, last):
    rows = (Attendance.objects.filter(voided_at__isnull=True, session__voided_at__isnull=True,
                                      session__held_on__gte=first, session__held_on__lte=last)
            .order_by("agent__code", "session__held_on", "session__session_no")
            .values_list("agent__code", "agent__name", "agent__team__code",
                         "session__session_no", "session__course__code",
                         "session__course__name", "session__course__remedial",
                         "session__held_on", "session__course__hours", "session__unit__code",
                         "session__trainer"))
    for row in rows.iterator(chunk_size=5000):
        yield [*row[:6], "true" if row[6] else "false", *row[7:]]


def remedial_export_rows(as_of):
    for a in remedial_rows(RemedialAssignment.objects.filter(assigned_on__lte=as_of)
                           .order_by("due_on", "agent__code"), as_of):
        yield [a.agent.code, a.agent.name, a.agent.team.code, a.half_year, a.standing,
               a.assigned_on, a.due_on, a.done_on or "", a.state]


def _span(parser):
    parser.add_argument("--from", dest="first", required=True, help="YYYY-MM-DD")
    parser.add_argument("--to", dest="last", required=True, help="YYYY-MM-DD")


def _as_of(parser):
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_training(options, out):
    """the training file: every attendance of sessions held in the span"""
    try:
        first, last = date(options["first"]), date(options["last"])
    except ValueError as exc:
        raise ValueError(f"--from/--to: {exc}") from None
    if first > last:
        raise ValueError("--from is after --to")
    return write_table(out, TRAINING_HEADER, training_rows(first, last))


def write_remedial(options, out):
    """remedial trainings with their state as of a day"""
    try:
        as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    except ValueError as exc:
        raise ValueError(f"--as-of: {exc}") from None
    return write_table(out, REMEDIAL_HEADER, remedial_export_rows(as_of))


register(ExportKind("training", _span, write_training))
register(ExportKind("remedial", _as_of, write_remedial))
