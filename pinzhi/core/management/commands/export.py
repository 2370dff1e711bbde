"""pinzhi export KIND ... --out FILE: the contract's exports (interfaces.md)."""

from django.core.management.base import BaseCommand, CommandError

from pinzhi.core.audit import audit
from pinzhi.core.exporting import EXPORTS

# What an export's audit row keeps of its arguments (Django's own options left out).
_NOT_LOGGED = {"verbosity", "settings", "pythonpath", "traceback", "no_color",
               "force_color", "skip_checks", "out"}


class Command(BaseCommand):
    help = "Write an export (CSV with BOM, or XLSX when FILE ends in .xlsx)."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, title="kinds")
        for name, kind in sorted(EXPORTS.items()):
            sub = kinds.add_parser(name, help=kind.write.__doc__)
            kind.add_arguments(sub)
            sub.add_argument("--out", required=True)

    def handle(self, kind, **options):
        try:
            count = EXPORTS[kind].write(options, options["out"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=1) from None
        audit(action="export.written", kind="export", key=kind,
              data={"file": str(options["out"]), "rows": count,
                    **{k: str(v) for k, v in options.items()
                       if k not in _NOT_LOGGED and v not in (None, False)}})
        self.stdout.write(f"{kind}: {count} rows written to {options['out']}")
