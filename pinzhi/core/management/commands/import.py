"""pinzhi import KIND FILE [--dry-run] [--by USER]: one feed file, all rows or none."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pinzhi.core.importing import REGISTRY, run_import


class Command(BaseCommand):
    help = "Import one CSV or XLSX file of a kind: every row is applied, or none."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(REGISTRY))
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true",
                            help="check and count, write nothing")
        parser.add_argument("--by", help="the user the import is recorded for (checked)")

    def handle(self, kind, file, dry_run=False, by=None, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"no such user: {by}", returncode=1)
            if not user.may_import(kind):
                raise CommandError(f"{by} may not import {kind}", returncode=1)
        try:
            result = run_import(kind, file, by=user, dry_run=dry_run,
                                progress=options.get("verbosity", 1) > 0)
        except FileNotFoundError:
            raise CommandError(f"no such file: {file}", returncode=1) from None
        for warning in result.warnings:
            self.stdout.write(f"warning: {warning}")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            self.stderr.write(f"{kind}: {len(result.errors)} problem(s) in "
                              f"{len({e.row for e in result.errors})} row(s); nothing written")
            sys.exit(1)
        self.stdout.write(result.summary())
        if options.get("verbosity", 1) > 1:
            self.stdout.write("timings (s): " + ", ".join(
                f"{phase} {seconds}" for phase, seconds in result.timings.items()))
