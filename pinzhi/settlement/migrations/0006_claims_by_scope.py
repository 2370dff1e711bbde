"""Claims by scope instead of by month (issue 9: branches in parallel): a month no longer
has one claim, and an evaluation claims too, without a month."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('settlement', '0005_computing_status'),
    ]

    operations = [
        migrations.AlterField(
            model_name='runclaim',
            name='month',
            field=models.DateField(blank=True, null=True),
        ),
    ]
