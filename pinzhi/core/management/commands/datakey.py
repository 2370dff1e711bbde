"""pinzhi datakey: print a new key for PINZHI_DATA_KEY (core/sealing.py)."""

from django.core.management.base import BaseCommand

from pinzhi.core.sealing import new_key


class Command(BaseCommand):
    help = ("Print a new random key for PINZHI_DATA_KEY, the key that seals ID and phone "
            "numbers at rest. Keep it apart from the database's backups.")
    requires_system_checks = []

    def handle(self, **options):
        self.stdout.write(new_key())
