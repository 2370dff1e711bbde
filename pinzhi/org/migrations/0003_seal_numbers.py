"""ID and phone numbers sealed at rest (core/sealing.py): wider columns, then every
stored value sealed in place."""

import pinzhi.core.sealing
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_lean_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='agent',
            name='id_number',
            field=pinzhi.core.sealing.SealedCharField(kind='id_number', max_length=30, verbose_name='ID number'),
        ),
        migrations.AlterField(
            model_name='agent',
            name='phone',
            field=pinzhi.core.sealing.SealedCharField(db_index=True, kind='phone', max_length=20, verbose_name='mobile'),
        ),
        pinzhi.core.sealing.sealing_migration(
            ('org_agent', 'id_number', 'id_number'),
            ('org_agent', 'phone', 'phone')),
    ]
