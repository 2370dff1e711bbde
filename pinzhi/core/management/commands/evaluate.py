"""pinzhi evaluate --as-of TIMESTAMP [--unit CODE]: move every time-dependent rule to that
moment, over the company or one unit's subtree, then make the dashboards' figures as of it
when they are older than PINZHI_FIGURES_EVERY minutes (reports/snapshot.py; `--figures`
makes them anyway, `--no-figures` skips them).

A run claims its scope (settlement/locking.py): one whose scope overlaps a run in progress
is refused (exit 1, naming who holds it), or with `--wait SECONDS` waits for it. The
figures are the company's (every unit's tally), so a `--unit` run leaves them unless told
`--figures`: making them would read the whole company, the work `--unit` divides, and
would mix the branch's new moment with the others' older ones."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pinzhi.core.evaluating import evaluate_claimed
from pinzhi.core.importing.parsers import timestamp
from pinzhi.core.refusals import Refused


class Command(BaseCommand):
    help = ("Move every time-dependent rule (callback rounds, deadlines, automatic cases) "
            "to a moment; running it twice for the same moment changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="ISO timestamp (no offset: +08:00); default now")
        parser.add_argument("--unit", help="only this unit's subtree (a branch); runs of "
                                           "disjoint units may go on at once")
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                            help="wait this long for a run of an overlapping scope to "
                                 "finish instead of being refused at once")
        parser.add_argument("--full", action="store_true",
                            help="recompute every policy, not only those that may have "
                                 "changed since the last run")
        parser.add_argument("--no-figures", action="store_true",
                            help="leave the dashboards' precomputed figures as they are")
        parser.add_argument("--figures", action="store_true",
                            help="make the figures even if they are more recent than "
                                 "PINZHI_FIGURES_EVERY minutes (with --unit: make them "
                                 "at all)")

    def handle(self, as_of=None, unit=None, wait=0, full=False, no_figures=False,
               figures=False, **options):
        moment = self._moment(as_of)
        unit_obj = None
        if unit:
            from pinzhi.org.models import Unit

            unit_obj = Unit.objects.filter(code=unit).first()
            if unit_obj is None:
                raise CommandError(f"--unit: no unit {unit!r}", returncode=1)
            self.stdout.write(f"evaluating {unit} ({unit_obj.path}) only")
        try:
            lines = evaluate_claimed(moment, unit=unit_obj, full=full, wait=wait)
        except Refused as exc:
            raise CommandError(str(exc), returncode=1) from None
        for line in lines:
            self.stdout.write(line)
        if not no_figures and (unit_obj is None or figures):
            from pinzhi.reports.snapshot import refresh_line

            self.stdout.write(refresh_line(moment, force=figures))

    def _moment(self, as_of):
        if as_of:
            try:
                moment = timestamp(as_of)
            except ValueError as exc:
                raise CommandError(f"--as-of {as_of!r}: {exc}", returncode=2) from None
        else:
            moment = timezone.now()
        if moment > timezone.now():
            raise CommandError(f"--as-of {as_of} is in the future", returncode=1)
        return moment
