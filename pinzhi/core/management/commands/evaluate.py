"""pinzhi evaluate --as-of TIMESTAMP: move every time-dependent rule to that moment, then
make the dashboards' figures as of it when they are older than PINZHI_FIGURES_EVERY minutes
(reports/snapshot.py; `--figures` makes them anyway, `--no-figures` skips them)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pinzhi.core.evaluating import evaluate_all
from pinzhi.core.importing.parsers import timestamp


class Command(BaseCommand):
    help = ("Move every time-dependent rule (callback rounds, deadlines, automatic cases) "
            "to a moment; running it twice for the same moment changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="ISO timestamp (no offset: +08:00); default now")
        parser.add_argument("--full", action="store_true",
                            help="recompute every policy, not only those that may have "
                                 "changed since the last run")
        parser.add_argument("--no-figures", action="store_true",
                            help="leave the dashboards' precomputed figures as they are")
        parser.add_argument("--figures", action="store_true",
                            help="make the figures even if they are more recent than "
                                 "PINZHI_FIGURES_EVERY minutes")

    def handle(self, as_of=None, full=False, no_figures=False, figures=False,
               **options):
        if as_of:
            try:
                moment = timestamp(as_of)
            except ValueError as exc:
                raise CommandError(f"--as-of {as_of!r}: {exc}", returncode=2) from None
        else:
            moment = timezone.now()
        if moment > timezone.now():
            raise CommandError(f"--as-of {as_of} is in the future", returncode=1)
        for line in evaluate_all(moment, full=full):
            self.stdout.write(line)
        if not no_figures:
            from pinzhi.reports.snapshot import refresh_line

            self.stdout.write(refresh_line(moment, force=figures))
