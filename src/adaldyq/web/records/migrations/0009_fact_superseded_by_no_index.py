# ruff: noqa: RUF012
"""The facts' `superseded_by` loses its index.

Almost every fact holds NULL there (only a corrected fact points at its correction) and nothing looks a
fact up by it. SQLite's planner nevertheless read the whole table through that index for
`superseded_by_id IS NULL AND person_id IN (...)`, the reading of many files at once
(`records.selectors.case_facts`): 24 s instead of 1.5 s for the national demo's 1.9 million facts.
The index is dropped by name (the one Django gave it on both databases), without rebuilding the table.
"""

from django.db import migrations, models

_INDEX = "records_fact_superseded_by_id_9866b5c9"


class Migration(migrations.Migration):
    dependencies = [("records", "0008_person_release")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="fact",
                    name="superseded_by",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.DO_NOTHING,
                        related_name="+",
                        to="records.fact",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{_INDEX}"',
                    f'CREATE INDEX "{_INDEX}" ON "records_fact" ("superseded_by_id")',
                ),
            ],
        ),
    ]
