"""pinzhi report quality PERIOD --unit CODE --out FILE.pdf: the quality evaluation report
(质量评估报告) of a unit's subtree for a half-year (2026H1) or a year (2026)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pinzhi.core.importing.parsers import timestamp


class Command(BaseCommand):
    help = "Print a report as a PDF: `quality`, the quality evaluation report of a unit."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["quality"])
        parser.add_argument("period", help="a half-year (2026H1) or a year (2026)")
        parser.add_argument("--unit", help="unit code (default: the head office)")
        parser.add_argument("--out", required=True, help="the PDF file to write")
        parser.add_argument("--as-of", dest="as_of", help="ISO timestamp (default now)")

    def handle(self, kind, period, unit=None, out=None, as_of=None, **options):
        from pinzhi.org.models import Unit
        from pinzhi.reports.evaluation import evaluation_report, report_period
        from pinzhi.reports.evaluation_pdf import evaluation_pdf

        try:
            report_period(period)
            moment = timestamp(as_of) if as_of else timezone.now()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        units = Unit.objects.live()
        found = (units.filter(code=unit) if unit else units.order_by("path")).first()
        if found is None:
            raise CommandError(f"--unit {unit}: no such unit" if unit else "no units yet",
                               returncode=1)
        pdf = evaluation_pdf(evaluation_report(found, period, moment))
        Path(out).write_bytes(pdf)
        self.stdout.write(f"wrote {out}: {found.code} {period.upper()}, {len(pdf)} bytes")
