"""No personnummer at rest in clear text: a raw dump of every participants table shows none."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.apps import apps
from django.db import connection

from stegvis.participants import services
from tests.participants.conftest import consent, end_measurement, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

PNR = make_pnr(dt.date(1979, 11, 30), serial=31)
DIGITS = PNR.replace("-", "")


def dump_tables(labels: tuple[str, ...]) -> str:
    """Every column of every row of every table of the apps, as text."""
    chunks: list[str] = []
    tables = {
        m._meta.db_table for label in labels for m in apps.get_app_config(label).get_models()
    }
    for model in (m for label in labels for m in apps.get_app_config(label).get_models()):
        for f in model._meta.many_to_many:
            tables.add(f.remote_field.through._meta.db_table)
    with connection.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


def test_raw_dump_holds_no_personnummer(personas, insats, caplog):
    caplog.set_level(logging.DEBUG)
    p = services.participation_start(
        actor=personas.officer_a, intervention=insats, personnummer=PNR, consent=consent(
            dt.date(2024, 1, 10)), protected_identity=False, referred_by="egen_anmalan",
        start_date=dt.date(2024, 1, 10), residence="0180", measurement=start_measurement(),
    )
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=dt.date(2024, 3, 1),
        exit_reason="studier", measurement=end_measurement(),
    )
    services.person_reveal(actor=personas.officer_a, participation=p, reason="Kontroll av uppgift")
    dump = dump_tables(("participants", "audit", "interventions"))
    assert "1979" in dump or "197911" in dump  # the dump is real (birth month is stored)
    for needle in (DIGITS, DIGITS[2:], PNR, PNR[2:], f"{DIGITS[:8]}-{DIGITS[8:]}"):
        assert needle not in dump
    assert DIGITS not in caplog.text and DIGITS[2:] not in caplog.text
