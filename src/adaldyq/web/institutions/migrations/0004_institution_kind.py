# ruff: noqa: RUF012
"""Pre-trial detention centres in the register as their own kind (issue 20).

An institution of the mixed-security type is the mixed-security unit of a pre-trial centre (LAW.md,
types of institutions): it becomes a remand centre; every other one stays a correctional institution.
SQLite rebuilds the table to add the column, which drops its triggers: 0003's function makes them again.
"""

from importlib import import_module
from typing import Any

from django.db import migrations, models

_CODE_LOCAL = import_module("adaldyq.web.institutions.migrations.0003_institution_code_local")


def remand_centres(apps: Any, schema_editor: Any) -> None:
    institution = apps.get_model("institutions", "Institution")
    institution.objects.filter(type="mixed").update(kind="remand")


class Migration(migrations.Migration):
    dependencies = [("institutions", "0003_institution_code_local")]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="kind",
            field=models.CharField(
                choices=[
                    ("colony", "correctional institution"),
                    ("remand", "pre-trial detention centre"),
                ],
                default="colony",
                max_length=10,
            ),
        ),
        migrations.RunPython(_CODE_LOCAL.institution_triggers, migrations.RunPython.noop),
        migrations.RunPython(remand_centres, migrations.RunPython.noop),
    ]
