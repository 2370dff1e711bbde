"""`pinzhi demo`: write a fictional company's feed files, import them, move every area
(callbacks, receipts, valuable documents, notices) to the demo's moment (`pinzhi
evaluate`), create demo logins, settle the recent months (demo/settlement.py)."""

import argparse
import datetime as dt
import time
from importlib import import_module
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from pinzhi.demo.callbacks import moment
from pinzhi.demo.data import SIZES
from pinzhi.demo.generator import FILES, default_out_dir, generate

SHOWN_WARNINGS = 5  # of each file; the import run keeps them all
# The agent's lifecycle, inspections, his voice and merits (pinzhi/demo/<area>.py, each
# with `seed(today) -> str`), before the dashboards' figures are made; the rank decisions
# (demo/assessments.py) after them, as they read them.
LIFECYCLE = ("recruitment", "departures", "inspections", "grievances", "commendations")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text}") from None


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic fictional company (the same for the same seed): "
        "writes units, agents, products, policies, callbacks, receipts, valuable documents, "
        "notices and cases files, imports them, evaluates every area as of the start of "
        "--until, and creates one demo login per role."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--until", type=_date, help="last day of the year of policies "
                            "(default: today)")
        parser.add_argument("--if-empty", action="store_true",
                            help="only print the logins if the database already has units")
        parser.add_argument("--out", help="directory of the files (default: "
                            "<var>/demo/<size>-<seed>/)")
        parser.add_argument("--files-only", action="store_true",
                            help="write the files, do not load them")
        # For the tests: a tiny company instead of the size's targets.
        parser.add_argument("--agents", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--policies", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--cases", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if not options["files_only"]:
            self._migrate_if_needed()
        if options["if_empty"] and not options["files_only"] and self._has_units():
            self.stdout.write("The database already has units: nothing loaded.")
            self._print_logins()
            return
        today = timezone.localdate()
        until = options["until"] or today
        if isinstance(until, str):  # call_command(until="…") skips the argument's type
            until = _date(until)
        if until > today and not options["files_only"]:
            raise CommandError(f"--until {until} is in the future: imports refuse future dates")
        size, seed = options["size"], options["seed"]
        out = Path(options["out"]) if options["out"] else default_out_dir(size, seed)
        started = time.monotonic()
        result = generate(out, size=size, seed=seed, until=until,
                          agents=options["agents"], policies=options["policies"],
                          cases=options["cases"])
        counts = ", ".join(f"{result.counts[k]} {k}" for k in FILES)
        self.stdout.write(f"Wrote {counts} to {out} in {time.monotonic() - started:.1f}s")
        if options["files_only"]:
            return
        for kind in FILES:
            self.stdout.write(f"Importing {kind}…")
            self._import(kind, result.path(kind), options["verbosity"])
        from pinzhi.core.evaluating import evaluate_all

        as_of = moment(until)
        self.stdout.write(f"Evaluating as of {as_of.isoformat()}…")
        for line in evaluate_all(as_of):
            self.stdout.write(line)
        self.stdout.write(callback_summary(as_of))
        self.stdout.write(paper_summary(as_of))
        from pinzhi.demo.users import ensure_demo_users, login_table

        users = ensure_demo_users()  # the settlement is computed and closed by two of them
        self._settle(as_of)
        from pinzhi.demo import casework

        self.stdout.write(casework.seed(until))
        self.stdout.write(casework.seed_training())
        for area in LIFECYCLE:  # issue 8: each area's demo, through its services
            self.stdout.write(import_module(f"pinzhi.demo.{area}").seed(until))
        from pinzhi.reports.snapshot import refresh_line

        self.stdout.write(refresh_line(as_of))  # the dashboards' figures, as the schedule makes
        from pinzhi.demo import assessments  # they read those figures (the promotion feed)

        self.stdout.write(assessments.seed(until))
        self.stdout.write(login_table(users))

    def _settle(self, as_of) -> None:
        """The recent months settled (demo/settlement.py), one line each; a refusal (a
        database someone settled by hand) is told, not raised: the rest is loaded."""
        from pinzhi.demo.settlement import settle, summary
        from pinzhi.settlement.services import SettlementRefused

        try:
            for settlement in settle(as_of):
                self.stdout.write(summary(settlement))
        except SettlementRefused as exc:
            self.stdout.write(f"settlement: stopped, {exc}")

    def _import(self, kind: str, path: Path, verbosity: int) -> None:
        """One file through the import engine, like `pinzhi import`, its warnings cut
        short (the call centre's non-compliant attempts are hundreds)."""
        from pinzhi.core.importing import run_import

        result = run_import(kind, path, progress=verbosity > 0)
        for warning in result.warnings[:SHOWN_WARNINGS]:
            self.stdout.write(f"warning: {warning}")
        if len(result.warnings) > SHOWN_WARNINGS:
            self.stdout.write(f"… {len(result.warnings) - SHOWN_WARNINGS} more warnings "
                              f"(import run {result.run_id})")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"the demo's {kind} file was refused: {len(result.errors)} "
                               f"problem(s), nothing written", returncode=1)
        self.stdout.write(result.summary())

    def _has_units(self) -> bool:
        from pinzhi.org.models import Unit

        return Unit.objects.exists()

    def _print_logins(self):
        from pinzhi.demo.settlement import existing
        from pinzhi.demo.users import existing_demo_users, login_table

        for line in existing():
            self.stdout.write(line)
        users = existing_demo_users()
        if users:
            self.stdout.write(login_table(users))
        else:
            self.stdout.write("No demo logins here (the data was not loaded by `pinzhi demo`).")

    def _migrate_if_needed(self):
        """A fresh install has no tables yet: `pinzhi demo` should work as the first step."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", verbosity=0)


def callback_summary(as_of) -> str:
    """The callbacks as the demo left them: states, attempts, tasks, cases, the queue."""
    from django.db.models import Count, Q

    from pinzhi.callbacks import rules
    from pinzhi.callbacks.models import (
        CallbackAttempt,
        CallbackStatus,
        ContactUpdate,
        ManualCallback,
    )
    from pinzhi.quality.models import Case, CaseSource

    states = dict(CallbackStatus.objects.values_list("status").annotate(n=Count("pk")))
    attempts = CallbackAttempt.objects.live().aggregate(
        all=Count("pk"), flagged=Count("pk", filter=~Q(flag="")))
    queue = CallbackStatus.objects.filter(status__in=[rules.WAITING, rules.ROUND_1,
                                                      rules.ROUND_2],
                                          next_call_at__lte=as_of + dt.timedelta(hours=21),
                                          phone_false=False).count()
    findings = Case.objects.filter(source=CaseSource.CALLBACK).count()
    false_info = Case.objects.filter(type__code="false_customer_info").count()
    return (
        "Callbacks: " + ", ".join(f"{states.get(s, 0)} {s}" for s in rules.STATUSES) + "\n"
        f"  {attempts['all']} attempts ({attempts['flagged']} flagged, not counted), "
        f"{ContactUpdate.objects.live().count()} contact updates, "
        f"{ManualCallback.objects.count()} manual callbacks "
        f"({ManualCallback.objects.filter(closed_at__isnull=True).count()} open), "
        f"{findings} cases drafted from findings, {false_info} false-contact cases, "
        f"{queue} policies to call on {as_of.date()}")


def paper_summary(as_of) -> str:
    """The receipts, valuable documents and notices as the demo left them, with the live
    cases their rules recorded (rules §5, §7.3, §7.4). The imports evaluate their files as
    of the time they run: with an --until in the past, cases whose day came after the
    demo's moment are there too, counted apart."""
    from django.db.models import Count, Q

    from pinzhi.documents import reading
    from pinzhi.documents.models import ValuableDocument
    from pinzhi.notices.models import Notice
    from pinzhi.quality.models import Case
    from pinzhi.receipts.models import Receipt

    day = timezone.localdate(as_of)
    rows = (Case.objects.filter(voided_at__isnull=True, rule_key__isnull=False)
            .values_list("type__code").order_by()
            .annotate(n=Count("pk", filter=Q(occurred_on__lte=day)),
                      later=Count("pk", filter=Q(occurred_on__gt=day))))
    by_type = {code: (n, later) for code, n, later in rows}

    def cases(code: str) -> str:
        n, later = by_type.get(code, (0, 0))
        return f"{n} {code} cases" + (f" (+{later} after {day})" if later else "")

    receipts = Receipt.objects.live()
    owed_out = Case.objects.filter(voided_at__isnull=True, type__code="receipt_not_returned",
                                   rule_key__isnull=False, occurred_on__lte=day,
                                   policy__receipt__isnull=True).count()
    documents = ValuableDocument.objects.live()
    overdue = reading.in_state(documents, "overdue", day)
    return (
        f"Receipts: {receipts.count()} collected, {owed_out} overdue and not collected; "
        f"{cases('receipt_not_returned')}\n"
        f"Valuable documents: {documents.count()} issued, {overdue.count()} overdue on {day} "
        f"({reading.of_leavers(overdue).count()} with agents who left); "
        f"{cases('documents_overdue')}\n"
        f"Notices: {Notice.objects.live().count()} issued; {cases('notice_late')}, "
        f"{cases('notice_harm')}")
