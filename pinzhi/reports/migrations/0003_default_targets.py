"""Head office's default quality objectives (issue 7's examples): callback success at
least 95 %, receipts on time at least 98 %, 13-month persistency at least 85 %. A company
adds its own versions; these are only where it starts."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

DEFAULTS = [("callback_success_rate", "0.95"), ("receipt_on_time_rate", "0.98"),
            ("persistency_13m", "0.85")]


def forwards(apps, schema_editor):
    Target = apps.get_model("reports", "Target")
    for indicator, value in DEFAULTS:
        Target.objects.get_or_create(
            indicator=indicator, unit=None, valid_from=dt.date(2020, 1, 1),
            defaults={"value": Decimal(value), "direction": "at_least",
                      "note": "head office's default objective"})


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_targets")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
