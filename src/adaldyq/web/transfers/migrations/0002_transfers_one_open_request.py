"""One open transfer request per person (issue 13; rules.yaml requests.one_open_per_person)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("transfers", "0001_initial")]

    operations = [
        migrations.AddConstraint(
            model_name="request",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "open")),
                fields=("person",),
                name="transfers_one_open_request",
            ),
        ),
    ]
