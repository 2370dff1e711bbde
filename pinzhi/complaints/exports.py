"""`pinzhi export complaints [--from DATE --to DATE] [--as-of DATE] --out FILE` (issue 8):
one row per customer complaint received in the span, with its clock as of the day (state,
deadline, overdue) by the same rules as the pages; voided ones are left out."""

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date

from .clock import with_clocks
from .models import Complaint

HEADER = ["complaint_no", "received_on", "channel", "policy_no", "agent_code", "agent_name",
          "unit_code", "complainant", "state", "due_on", "overdue", "extensions",
          "handler", "decided_on", "decided_late", "upheld", "case_no",
          "review_requested_on", "review_decided_on"]
CHUNK = 2000


def complaint_rows(first=None, last=None, as_of=None):
    as_of = as_of or timezone.localdate()
    complaints = Complaint.objects.live().filter(received_on__lte=as_of)
    if first:
        complaints = complaints.filter(received_on__gte=first)
    if last:
        complaints = complaints.filter(received_on__lte=last)
    ids = list(complaints.order_by("received_on", "complaint_no").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        by_pk = {c.pk: c for c in with_clocks(Complaint.objects.filter(pk__in=chunk), as_of)}
        for pk in chunk:
            yield _row(by_pk[pk])


def _row(c) -> list:
    clock = c.clock
    return [c.complaint_no, c.received_on, c.channel, c.policy.policy_no if c.policy else "",
            c.agent.code, c.agent.name, c.agent.team.code, c.complainant, clock.state,
            clock.due_on or "", _flag(clock.overdue), clock.extensions,
            c.handler.username if c.handler else "", c.decided_on or "",
            _flag(clock.decided_late), "" if c.upheld is None else _flag(c.upheld),
            c.case.case_no if c.case else "", c.review_requested_on or "",
            c.review_decided_on or ""]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def _arguments(parser):
    parser.add_argument("--from", dest="first", help="received on or after YYYY-MM-DD")
    parser.add_argument("--to", dest="last", help="received on or before YYYY-MM-DD")
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")


def write_complaints(options, out):
    """customer complaints with their clocks"""
    try:
        first, last, as_of = (date(options[k]) if options.get(k) else None
                              for k in ("first", "last", "as_of"))
    except ValueError as exc:
        raise ValueError(f"--from/--to/--as-of: {exc}") from None
    return write_table(out, HEADER, complaint_rows(first, last, as_of))


register(ExportKind("complaints", _arguments, write_complaints))
