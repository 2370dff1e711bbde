"""ID and phone numbers sealed at rest (core/sealing.py): wider columns, then every
stored value sealed in place."""

import pinzhi.core.sealing
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('recruitment', '0002_candidate_full_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='candidate',
            name='id_number',
            field=pinzhi.core.sealing.SealedCharField(db_index=True, kind='id_number', max_length=18, verbose_name='ID number'),
        ),
        migrations.AlterField(
            model_name='candidate',
            name='phone',
            field=pinzhi.core.sealing.SealedCharField(kind='phone', max_length=20, verbose_name='mobile'),
        ),
        pinzhi.core.sealing.sealing_migration(
            ('recruitment_candidate', 'id_number', 'id_number'),
            ('recruitment_candidate', 'phone', 'phone')),
    ]
