"""`pinzhi token create|list|revoke`: API tokens for systems (HR, payroll).

Only a token's hash is stored, so `create` prints the raw value once; after that a token
is named by its prefix (its first 8 characters), which `list` shows and `revoke` takes.
Issuing and revoking are logged as events.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from pinzhi.accounts.models import ApiToken
from pinzhi.core.models import Event


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else "-"


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="issue a token; prints it once")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for")
        listing = sub.add_parser("list", help="tokens, of one user or of all")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="refuse a token from now on")
        revoke.add_argument("prefix", help="the token's first 8 characters, as listed")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_create(self, username, name, **_):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        if not user.is_active:
            raise CommandError(f"user {username!r} is not active")
        token, raw = ApiToken.issue(user=user, name=name)
        Event.objects.create(action="token_create", kind="user", key=username,
                             data={"name": name, "prefix": token.prefix, "via": "cli"})
        # The raw value alone on stdout, so that a script can capture it.
        self.stdout.write(raw)
        self.stderr.write("Store it now: it cannot be shown again.")

    def do_list(self, username=None, **_):
        tokens = ApiToken.objects.select_related("user").order_by("created_at", "id")
        if username:
            tokens = tokens.filter(user__username=username)
        self.stdout.write("prefix\tuser\tname\tcreated\tlast_used\trevoked")
        for t in tokens:
            self.stdout.write("\t".join([
                t.prefix, t.user.username, t.name, _when(t.created_at),
                _when(t.last_used_at), _when(t.revoked_at),
            ]))

    def do_revoke(self, prefix, **_):
        live = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True)
        matches = list(live.select_related("user")[:2])
        if not matches:
            raise CommandError(f"no active token with prefix {prefix!r}")
        if len(matches) > 1:
            # Prefixes are short; never revoke a token the operator did not mean.
            raise CommandError(f"prefix {prefix!r} names several active tokens")
        token = matches[0]
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        Event.objects.create(action="token_revoke", kind="user", key=token.user.username,
                             data={"name": token.name, "prefix": prefix, "via": "cli"})
        self.stdout.write(f"revoked {token}")
