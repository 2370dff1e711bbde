"""`pinzhi unlock USER --by ADMIN`: lift a sign-in lockout before its time is up.

The lock (5 failed sign-ins in a row: 30 minutes, docs/security.md) lifts by itself;
this is for the user on the telephone who cannot wait. Logged as an `auth.unlocked` event.
"""

from django.core.management.base import BaseCommand, CommandError

from pinzhi.accounts.lockout import LockoutRefused, unlock
from pinzhi.accounts.models import User


class Command(BaseCommand):
    help = "Lift the sign-in lockout of a user (and forget his failed attempts)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--by", required=True, help="the administrator who unlocks")

    def handle(self, *args, username, by, **options):
        admin = User.objects.filter(username=by, is_active=True).first()
        if admin is None:
            raise CommandError(f"no active user {by!r}")
        try:
            removed = unlock(username=username, by=admin, via="cli")
        except LockoutRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"{username}: unlocked ({removed} attempt records removed)")
