from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("records", "0012_fact_kind_on")]

    operations = [migrations.AddIndex(model_name="person", index=models.Index(fields=["institution", "released_on"], name="records_per_awaiting_idx"))]
