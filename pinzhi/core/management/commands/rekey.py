"""pinzhi rekey: move every sealed number to the current PINZHI_DATA_KEY (docs/security.md).

Run with the new key as PINZHI_DATA_KEY and the old one as PINZHI_DATA_KEY_PREVIOUS, with
the web servers stopped (a lookup by number made meanwhile would seal it with the new key
and miss rows still under the old one); then drop PINZHI_DATA_KEY_PREVIOUS.
"""

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from pinzhi.core.models import Event
from pinzhi.core.sealing import key_ids, reseal_column, sealed_fields


class Command(BaseCommand):
    help = "Seal every stored ID and phone number again with the current PINZHI_DATA_KEY."

    def handle(self, **options):
        current, ring = key_ids()
        counts = {}
        with transaction.atomic():
            for model, field in sealed_fields():
                name = f"{model._meta.label_lower}.{field.name}"
                counts[name] = reseal_column(connection, model._meta.db_table, field.column,
                                             field.kind, model._meta.pk.column)
                self.stdout.write(f"{name}: {counts[name]} resealed")
            Event.objects.create(action="data.rekeyed", kind="system", key=current,
                                 data={"keys": ring, "resealed": counts})
        self.stdout.write(f"every number is sealed with key {current}")

