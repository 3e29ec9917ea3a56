# ruff: noqa: RUF012
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Submission",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=64, unique=True)),
                ("user", models.CharField(blank=True, max_length=150)),
                ("path", models.CharField(max_length=400)),
                ("entry_seq", models.BigIntegerField(null=True)),
                ("result_url", models.CharField(blank=True, max_length=1000)),
                ("at", models.DateTimeField()),
            ],
        )
    ]
