"""The five ranks of the agency channel (职级), lowest first; the two managing ranks lead
a team (业务经理) or an office (高级业务经理)."""

from django.db import migrations

RANKS = [
    ("AG", "业务员", 1, False),
    ("SUP", "业务主任", 2, False),
    ("SSUP", "高级业务主任", 3, False),
    ("MGR", "业务经理", 4, True),
    ("SMGR", "高级业务经理", 5, True),
]


def seed(apps, schema_editor):
    Rank = apps.get_model("assessments", "Rank")
    for code, name, order, manages in RANKS:
        Rank.objects.get_or_create(code=code, defaults={"name": name, "order": order,
                                                        "manages_team": manages})


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
