from django.db import migrations

from stegvis.reference.loading import load_geography, load_population


def forwards(apps, schema_editor):
    load_geography(apps.get_model("reference", "County"), apps.get_model("reference", "Municipality"))
    load_population(apps.get_model("reference", "PopulationByAge"))


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
