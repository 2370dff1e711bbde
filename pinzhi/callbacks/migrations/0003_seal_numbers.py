"""ID and phone numbers sealed at rest (core/sealing.py): wider columns, then every
stored value sealed in place."""

import pinzhi.core.sealing
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('callbacks', '0002_status_digest'),
    ]

    operations = [
        migrations.AlterField(
            model_name='callbackstatus',
            name='phone',
            field=pinzhi.core.sealing.SealedCharField(blank=True, kind='phone', max_length=20, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='contactupdate',
            name='phone',
            field=pinzhi.core.sealing.SealedCharField(db_index=True, kind='phone', max_length=20, verbose_name='phone'),
        ),
        pinzhi.core.sealing.sealing_migration(
            ('callbacks_contactupdate', 'phone', 'phone'),
            ('callbacks_callbackstatus', 'phone', 'phone', 'policy_id')),
    ]
