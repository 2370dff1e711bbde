"""pinzhi void KIND KEY --reason TEXT [--by USER]: void one recorded fact (rules §3)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pinzhi.core.voiding import VoidRefused, void_fact


class Command(BaseCommand):
    help = "Void one recorded fact with a reason; what was derived from it follows."

    def add_arguments(self, parser):
        parser.add_argument("kind", help="unit, agent, product, policy (or the plural)")
        parser.add_argument("key", help="the fact's natural key, e.g. a policy number")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--by", help="the user who voids it (checked); else the system")

    def handle(self, kind, key, reason, by=None, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"no such user: {by}", returncode=1)
        try:
            void_fact(kind=kind, key=key, reason=reason, by=user)
        except VoidRefused as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(f"voided {kind} {key}")
