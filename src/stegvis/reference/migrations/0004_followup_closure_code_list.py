from django.db import migrations, models

from stegvis.reference.codelists_seed import seed_rows


def forwards(apps, schema_editor):
    """Load the new code list ``followup_closure``; codes already present are left as they are."""
    Code = apps.get_model("reference", "Code")
    for row in seed_rows():
        if row["list"] != "followup_closure":
            continue
        row = dict(row)
        Code.objects.get_or_create(list=row.pop("list"), key=row.pop("key"), defaults=row)


class Migration(migrations.Migration):
    dependencies = [("reference", "0003_load_code_lists")]

    operations = [
        migrations.AlterField(
            model_name="code",
            name="list",
            field=models.CharField(
                choices=[
                    ("income_source", "Försörjning"),
                    ("activity", "Sysselsättning"),
                    ("education_level", "Utbildningsnivå"),
                    ("public_support_duration", "Tid i offentlig försörjning"),
                    ("referred_by", "Aktualiserad av"),
                    ("exit_reason", "Avslutsanledning"),
                    ("target_group", "Målgrupp"),
                    ("precise_orientation", "Preciserad inriktning"),
                    ("progression_step", "Stegförflyttning"),
                    ("followup_closure", "Uppföljning avslutad utan mätning"),
                ],
                max_length=40,
                verbose_name="kodlista",
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
