"""Every consent form version already stored with a consent becomes a code of the managed list
``consent_form_version`` (issue 11), so existing data stays valid and can be chosen again.
The systemadministratör retires those no longer in use on the Kodlistor page."""

import re

from django.db import migrations


def forwards(apps, schema_editor):
    Code = apps.get_model("reference", "Code")
    Consent = apps.get_model("participants", "Consent")
    listed = set(
        Code.objects.filter(list="consent_form_version").values_list("label", flat=True)
    )
    keys = set(Code.objects.filter(list="consent_form_version").values_list("key", flat=True))
    versions = sorted(
        {v.strip() for v in Consent.objects.values_list("form_version", flat=True) if v.strip()}
    )
    order = 100
    for version in versions:
        if version in listed:
            continue
        base = "v" + (re.sub(r"[^a-z0-9]+", "_", version.lower()).strip("_") or "x")
        key, n = base[:55], 1
        while key in keys:
            n += 1
            key = f"{base[:55]}_{n}"
        keys.add(key)
        order += 10
        Code.objects.create(
            list="consent_form_version", key=key, label=version[:200], sort_order=order
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_participation_coach_and_own_reference"),
        ("reference", "0005_consent_form_version_code_list"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
