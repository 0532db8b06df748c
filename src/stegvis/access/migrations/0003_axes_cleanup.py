"""Remove what django-axes stored in clear before Stegvis stopped it (issue 9 §2).

Axes kept the posted sign-in form in ``axes_accessattempt.post_data`` (for example
``login=197306107405``) and the query string in ``get_data``. Both are blanked on every row;
rows of the access logs whose user name looks like a personnummer get the hidden name, and such
lockout rows are deleted (no account can have such a name, so no lock is lost). New rows hold
neither (``stegvis.access.lockout``).
"""

from __future__ import annotations

import re

from django.db import migrations

# Frozen copy of stegvis.audit.redaction's pattern as of this migration: 10 or 12 digits,
# optionally with - or + before the last four.
_IDENTIFIER = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+]?\d{4}(?!\d)")
HIDDEN_USERNAME = "(dolt)"


def _looks_like_identifier(value: str | None) -> bool:
    return bool(value) and bool(_IDENTIFIER.search(value))


def clean(apps, schema_editor):
    attempts = apps.get_model("axes", "AccessAttempt")
    attempts.objects.exclude(post_data="", get_data="").update(post_data="", get_data="")
    doomed = [a.pk for a in attempts.objects.only("pk", "username")
              if _looks_like_identifier(a.username)]
    attempts.objects.filter(pk__in=doomed).delete()
    for name in ("AccessLog", "AccessFailureLog"):
        model = apps.get_model("axes", name)
        hidden = [row.pk for row in model.objects.only("pk", "username")
                  if _looks_like_identifier(row.username)]
        model.objects.filter(pk__in=hidden).update(username=HIDDEN_USERNAME)


class Migration(migrations.Migration):
    dependencies = [
        ("access", "0002_apitoken"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
