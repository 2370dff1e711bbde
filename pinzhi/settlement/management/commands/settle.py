"""pinzhi settle YYYY-MM [--unit CODE] [--by USER] [--wait SECONDS] [--close] [--discard]:
rules §6. Branches' months are computed side by side (`--unit`, one process each); a run
whose scope overlaps one in progress is refused, or with `--wait` waits for it."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pinzhi.org.models import Unit
from pinzhi.settlement import rules
from pinzhi.settlement.models import Settlement
from pinzhi.settlement.services import (
    SettlementRefused,
    settlement_close,
    settlement_compute,
    settlement_discard,
)


class Command(BaseCommand):
    help = ("Compute a month's draft settlement (evaluating the rules as of its cutoff "
            "first), or close it (--close, by a second person), or discard a draft.")

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--unit", help="settle only this unit's subtree")
        parser.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                            help="computing: wait this long for a run of an overlapping "
                                 "scope to finish instead of being refused at once")
        parser.add_argument("--by", help="the user who computes, closes or discards "
                                         "(checked); computing without it: the system")
        what = parser.add_mutually_exclusive_group()
        what.add_argument("--close", action="store_true", help="close the draft")
        what.add_argument("--discard", action="store_true", help="drop the draft")

    def handle(self, month, unit=None, by=None, close=False, discard=False, wait=0,
               **options):
        try:
            first = rules.parse_month(month)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        unit_obj = None
        if unit:
            unit_obj = Unit.objects.filter(code=unit).first()
            if unit_obj is None:
                raise CommandError(f"--unit: no unit {unit!r}", returncode=1)
        user = None
        if by:
            user = get_user_model().objects.filter(username=by, is_active=True).first()
            if user is None:
                raise CommandError(f"--by: no active user {by!r}", returncode=1)
        elif close or discard:
            raise CommandError("--close and --discard need --by USER", returncode=1)
        try:
            if close or discard:
                settlement = Settlement.objects.filter(
                    month=first, scope_path=unit_obj.path if unit_obj else "").first()
                if settlement is None:
                    raise SettlementRefused(f"{month} has no draft for {unit or '*'}: "
                                            f"compute it first")
                if discard:
                    settlement_discard(settlement=settlement, by=user)
                    self.stdout.write(f"settlement {month} of {unit or '*'}: draft discarded")
                    return
                settlement = settlement_close(settlement=settlement, by=user)
                self.stdout.write(f"settlement {settlement.label} of {settlement.scope_name}: "
                                  f"closed by {user.get_username()}, {settlement.lines} "
                                  f"lines in the ledger, net {settlement.total('net')}")
                return
            computed = settlement_compute(month=first, unit=unit_obj, by=user, wait=wait)
        except SettlementRefused as exc:
            raise CommandError(str(exc), returncode=1) from None
        for line in computed.evaluated:
            self.stdout.write(f"evaluated as of the cutoff: {line}")
        self.stdout.write(computed.summary())
