"""The release that ended a person's placement (issue 19): its day, the institution it was from and
the region it names, projected from the `released` fact.

Added with plain `ALTER TABLE ... ADD COLUMN` on both backends, as 0004: Django's SQLite schema
editor would otherwise rebuild `records_person`, and with it drop the search index's triggers (0003).
"""

from __future__ import annotations

from django.db import migrations, models

_COLUMNS = (
    ("released_on", models.DateField(null=True), "date NULL"),
    ("released_from", models.CharField(blank=True, max_length=40, default=""),
     "varchar(40) NOT NULL DEFAULT ''"),
    ("released_to", models.CharField(blank=True, max_length=40, default=""),
     "varchar(40) NOT NULL DEFAULT ''"),
)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("records", "0007_proposals")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(model_name="person", name=name, field=field)
                for name, field, _sql in _COLUMNS
            ],
            database_operations=[
                migrations.RunSQL(
                    f"ALTER TABLE records_person ADD COLUMN {name} {sql}",
                    reverse_sql=f"ALTER TABLE records_person DROP COLUMN {name}",
                )
                for name, _field, sql in _COLUMNS
            ],
        )
    ]
