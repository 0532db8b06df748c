"""No personnummer in clear at rest: lockout rows, sessions, cache and audit rows (issue 9 §2)."""

from __future__ import annotations

import datetime as dt
import importlib
import pickle

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from stegvis.access.models import InterventionAssignment
from stegvis.audit.models import AuditEvent
from stegvis.participants import services
from tests import factories
from tests.participants.conftest import consent, make_intervention, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

PNR = make_pnr(dt.date(1973, 6, 10), serial=74)
DIGITS = PNR.replace("-", "")  # 12 digits
SHAPES = (DIGITS, DIGITS[2:], PNR, PNR[2:])


def _text_at_rest() -> str:
    """Everything Stegvis keeps about sign-ins, sessions, cache and audit, as one text."""
    parts: list[str] = []
    for model in (AccessAttempt, AccessFailureLog, AccessLog, AuditEvent):
        for row in model.objects.all().values():
            parts.append(str(row))
    for session in Session.objects.all():
        parts.append(session.session_data)
        parts.append(str(session.get_decoded()))
    for alias in ("default",):
        store = getattr(caches[alias], "_cache", {})
        for key, value in list(store.items()):
            parts.append(str(key))
            try:
                parts.append(str(pickle.loads(value)))
            except Exception:
                parts.append(repr(value))
    return "\n".join(parts)


def _assert_clean(text: str) -> None:
    found = [shape for shape in SHAPES if shape in text]
    assert not found, f"personnummer stored in clear: {found}"


def test_signing_in_with_a_personnummer_as_user_name_stores_it_nowhere(personas):
    insats = make_intervention(personas.a)
    InterventionAssignment.objects.create(intervention=insats, user=personas.officer_a)
    c = Client()
    for _ in range(3):
        c.post("/konto/login/", {"login": DIGITS, "password": "fel-losenord-123"})
        c.post("/konto/login/", {"login": PNR, "password": "fel-losenord-123"})
    assert AccessAttempt.objects.exists()
    # The same person is registered and searched for by a deltagaransvarig.
    services.participation_start(
        actor=personas.officer_a, intervention=insats, personnummer=PNR,
        consent=consent(dt.date(2024, 2, 1)), protected_identity=False,
        referred_by="kommun", start_date=dt.date(2024, 2, 1), residence="0136",
        measurement=start_measurement(),
    )
    officer = Client()
    officer.force_login(personas.officer_a)
    assert officer.post(reverse("participants:search"), {"personnummer": PNR}).status_code == 200
    officer.post(reverse("participants:search"), {"personnummer": DIGITS[:-1] + "0"})
    _assert_clean(_text_at_rest())


@pytest.mark.parametrize("who", ["reader_a", "officer_a", "admin_b"])
def test_a_personnummer_typed_into_an_address_is_not_kept_by_the_audit(personas, who):
    c = Client()
    c.force_login(getattr(personas, who))
    for url in (f"/deltagare/{DIGITS}/", f"/deltagare/{DIGITS[2:]}/avsluta/",
                f"/deltagare/matning/{DIGITS}/ratta/", f"/deltagare/insats/{DIGITS[2:]}/",
                f"/api/v1/participations/{DIGITS}", f"/deltagare/{'9' * 60}/"):
        assert c.get(url).status_code == 404, url
    refusals = AuditEvent.objects.filter(action="PERMISSION_DENIED")
    assert refusals.count() == 6
    assert all(e.association_id for e in refusals)  # the users' own förbund
    _assert_clean(_text_at_rest())


def test_lockout_rows_never_hold_the_posted_form(client, personas):
    client.post("/konto/login/", {"login": "admin_a", "password": "fel-losenord-123",
                                  "next": f"/?q={DIGITS}"})
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "admin_a"
    assert attempt.post_data == ""
    assert attempt.get_data == ""


@pytest.fixture
def cleanup():
    return importlib.import_module("stegvis.access.migrations.0003_axes_cleanup").clean


def test_data_migration_cleans_rows_stored_before(db, cleanup):
    common = {"user_agent": "ua", "ip_address": "127.0.0.1", "http_accept": "*/*",
              "path_info": "/konto/login/"}
    kept = AccessAttempt.objects.create(
        username="admin_a", get_data=f"next=/{DIGITS}/", post_data=f"login=admin_a\nx={PNR}",
        failures_since_start=2, **common,
    )
    AccessAttempt.objects.create(
        username=DIGITS, get_data="", post_data=f"login={DIGITS}", failures_since_start=1,
        **{**common, "user_agent": "ua2"},
    )
    AccessFailureLog.objects.create(username=PNR, **common)
    AccessLog.objects.create(username=DIGITS[2:], **common)
    AccessLog.objects.create(username="admin_a", **common)

    cleanup(apps, None)

    kept.refresh_from_db()
    assert (kept.post_data, kept.get_data, kept.failures_since_start) == ("", "", 2)
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["admin_a"]
    assert sorted(AccessLog.objects.values_list("username", flat=True)) == ["(dolt)", "admin_a"]
    assert AccessFailureLog.objects.get().username == "(dolt)"
    _assert_clean(_text_at_rest())


def test_scan_would_notice_a_stored_number(db):
    """The scan itself works: a row holding the number is found."""
    factories.UserFactory(username="x")
    AccessAttempt.objects.create(
        username="x", user_agent="ua", ip_address="127.0.0.1", http_accept="*/*",
        path_info="/", get_data="", post_data=f"login={DIGITS}", failures_since_start=1,
    )
    with pytest.raises(AssertionError, match="personnummer stored in clear"):
        _assert_clean(_text_at_rest())
