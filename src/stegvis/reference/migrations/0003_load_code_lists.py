from django.db import migrations

from stegvis.reference.codelists_seed import seed_rows


def forwards(apps, schema_editor):
    """Load the code lists of codelists_seed.py; codes already present are left as they are."""
    Code = apps.get_model("reference", "Code")
    for row in seed_rows():
        row = dict(row)
        Code.objects.get_or_create(list=row.pop("list"), key=row.pop("key"), defaults=row)


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_load_geography_and_population")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
