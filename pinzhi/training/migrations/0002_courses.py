"""The courses every branch starts with: the remedial course that completes remedial
training (rules §7.6), and the sales-conduct course of the training file."""

from django.db import migrations

COURSES = [
    ("REMEDIAL", "品质补训：违规行为与销售行为规范", True, 4),
    ("CONDUCT", "个险销售行为规范与新保回访、回执回收", False, 2),
]


def seed(apps, schema_editor):
    Course = apps.get_model("training", "Course")
    for code, name, remedial, hours in COURSES:
        Course.objects.get_or_create(code=code, defaults={"name": name, "remedial": remedial,
                                                          "hours": hours})


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
