"""ID and phone numbers sealed at rest (core/sealing.py): wider columns, then every
stored value sealed in place."""

import pinzhi.core.sealing
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0002_lean_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='policy',
            name='applicant_id_number',
            field=pinzhi.core.sealing.SealedCharField(kind='id_number', max_length=30, verbose_name='applicant ID number'),
        ),
        migrations.AlterField(
            model_name='policy',
            name='applicant_phone',
            field=pinzhi.core.sealing.SealedCharField(kind='phone', max_length=20, verbose_name='applicant phone'),
        ),
        migrations.AlterField(
            model_name='policy',
            name='insured_id_number',
            field=pinzhi.core.sealing.SealedCharField(blank=True, kind='id_number', max_length=30, verbose_name='insured ID number'),
        ),
        pinzhi.core.sealing.sealing_migration(
            ('policies_policy', 'applicant_id_number', 'id_number'),
            ('policies_policy', 'applicant_phone', 'phone'),
            ('policies_policy', 'insured_id_number', 'id_number')),
    ]
