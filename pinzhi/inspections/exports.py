"""`pinzhi export inspection_findings --out FILE [--as-of DATE] [--unit CODE]`: one row
per live finding with its state as of the day (issue 8), for the branch's rectification
ledger (整改台账)."""

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date
from pinzhi.org.models import Unit

from .models import Finding

HEADER = ["finding_no", "plan_no", "plan_kind", "unit_code", "item_seq", "agent_code",
          "description", "found_on", "owner_username", "due_on", "state", "rectified_on",
          "rectification", "verified_on", "violation_code", "case_no"]


def finding_rows(findings, as_of):
    for f in findings.iterator(chunk_size=2000):
        yield [f.finding_no, f.plan.plan_no, f.plan.kind, f.plan.unit.code,
               f.item.seq if f.item else "", f.agent.code if f.agent else "", f.description,
               f.found_on.isoformat(), f.owner.username, f.due_on.isoformat(),
               f.state_on(as_of), f.rectified_on.isoformat() if f.rectified_on else "",
               f.rectification, f.verified_on.isoformat() if f.verified_on else "",
               f.violation_type.code if f.violation_type else "",
               f.case.case_no if f.case else ""]


def _arguments(parser):
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")
    parser.add_argument("--unit", help="a unit's code: its subtree's plans only")


def write_findings(options, out):
    """inspection findings with their rectification state as of a day"""
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    findings = Finding.objects.live().filter(plan__voided_at__isnull=True)
    if options.get("unit"):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise ValueError(f"no such unit: {options['unit']}")
        findings = findings.filter(plan__unit__path__startswith=unit.path)
    findings = (findings.filter(found_on__lte=as_of)
                .select_related("plan__unit", "item", "agent", "owner", "violation_type",
                                "case").order_by("plan__plan_no", "finding_no"))
    return write_table(out, HEADER, finding_rows(findings, as_of))


register(ExportKind("inspection_findings", _arguments, write_findings))
