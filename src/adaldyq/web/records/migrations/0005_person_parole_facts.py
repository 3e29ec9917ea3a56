"""The facts the parole rules read, as the file says them (issue 17): whether the crime is a
corruption crime, the damage is fully compensated, there is a procedural agreement; NULL where the
file does not say.

Added with plain `ALTER TABLE ... ADD COLUMN` on both backends, as 0004: Django's SQLite schema
editor would otherwise rebuild `records_person` and drop the search index's triggers (0003).
"""

from __future__ import annotations

from django.db import migrations, models

FIELDS = ("corruption", "damage_compensated", "procedural_agreement")


class Migration(migrations.Migration):
    dependencies = [("records", "0004_person_sentence_type")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="person", name=name, field=models.BooleanField(null=True)
                )
                for name in FIELDS
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE records_person ADD COLUMN {name} boolean NULL",
                    reverse_sql=f"ALTER TABLE records_person DROP COLUMN {name}",
                )
                for name in FIELDS
            ],
        )
    ]
