# ruff: noqa: RUF012
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="ViewCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("checked_at", models.DateTimeField()),
                ("differences", models.IntegerField()),
                ("tables", models.JSONField(default=dict)),
                ("sample", models.JSONField(default=list)),
                ("ledger_upto", models.BigIntegerField(null=True)),
            ],
            options={"ordering": ("-checked_at", "-id")},
        )
    ]
