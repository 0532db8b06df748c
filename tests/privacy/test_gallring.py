"""Gallring: identities and measurements go after the deployment's rule, figures stay (ADR 0007)."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, transaction

from stegvis.associations import versions
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from stegvis.indicators import reports
from stegvis.indicators.periods import year_period
from stegvis.indicators.selectors import resolve_query
from stegvis.participants import services as participant_services
from stegvis.participants.facts import rebuild_all_facts
from stegvis.participants.models import (
    Consent,
    Measurement,
    Participation,
    ParticipationFact,
    Person,
)
from stegvis.privacy import retention, services
from stegvis.privacy.models import LegalHold
from tests.privacy.conftest import register

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def report_figures(user, year: int) -> dict:
    """Every table of the standard report for ``year`` (without the generation time)."""
    query = resolve_query(user=user, period=year_period(year))
    data = reports.build("standard", user=user, query=query).as_dict()
    data.pop("generated", None)
    return data


@pytest.fixture
def three(personas, insats, people):
    """One participation long expired, one recent, one expired but under a legal hold."""
    officer = personas.officer_a
    old = register(officer, insats, people["old"], dt.date(2020, 2, 3), dt.date(2021, 3, 31))
    recent = register(
        officer, insats, people["recent"], dt.date(2020, 2, 10), dt.date(2024, 6, 28)
    )
    held = register(officer, insats, people["held"], dt.date(2020, 3, 2), dt.date(2021, 1, 29))
    services.legal_hold_place(
        actor=personas.admin_a, participation=held, reason="Pågående JO-ärende"
    )
    return old, recent, held


def test_the_rule_counts_whole_years():
    assert retention.participation_cutoff(dt.date(2026, 12, 1), 5) == dt.date(2021, 12, 1)
    assert retention.years_before(dt.date(2028, 2, 29), 1) == dt.date(2027, 2, 28)
    cutoff = retention.audit_cutoff(NOW, 7)
    assert cutoff == dt.datetime(2019, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_gallring_erases_identity_and_measurements_and_keeps_past_reports(
    personas, three, settings
):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1  # small numbers shown: every figure compared
    old, recent, held = three
    old_person = old.person_id
    before = {year: report_figures(personas.reader_a, year) for year in (2020, 2021, 2024)}
    fact_before = ParticipationFact.objects.filter(participation=old).values().get()

    result = services.gallra(now=NOW)

    assert (result.participations, result.measurements, result.persons, result.held) == (
        1, 2, 1, 1)
    old.refresh_from_db()
    assert old.person_id is None and old.residence_id is None and old.age_at_start is None
    assert not Person.objects.filter(pk=old_person).exists()
    assert not Measurement.objects.filter(participation=old).exists()
    assert not Consent.objects.filter(participation=old).exists()
    # The recent one and the held one are untouched.
    for p in (recent, held):
        p.refresh_from_db()
        assert p.person_id is not None
        assert Measurement.objects.filter(participation=p).count() == 2
    # The anonymised figure stays: the same fact row, the same reports, also after a rebuild.
    assert ParticipationFact.objects.filter(participation=old).values().get() == fact_before
    assert {y: report_figures(personas.reader_a, y) for y in before} == before
    rebuild_all_facts()
    assert {y: report_figures(personas.reader_a, y) for y in before} == before
    # The comparison is sensitive: without the kept figure the 2021 report would change.
    ParticipationFact.objects.filter(participation=old).delete()
    versions.bump([personas.a.pk])  # a write outside the services bumps itself (ADR 0012)
    assert report_figures(personas.reader_a, 2021) != before[2021]


def test_gallring_is_idempotent_and_every_run_is_audited(three):
    first = services.gallra(now=NOW)
    second = services.gallra(now=NOW)
    assert first.participations == 1
    assert (second.participations, second.measurements, second.persons) == (0, 0, 0)
    runs = AuditEvent.objects.filter(object_type="privacy.gallring").order_by("id")
    assert [e.action for e in runs] == [Action.DELETE, Action.DELETE]
    assert runs[0].details["participations"] == 1 and runs[0].details["failed"] is False
    assert runs[0].details["held"] == 1
    assert runs[1].details["participations"] == 0


def test_released_hold_lets_the_next_run_erase(personas, three):
    _old, _recent, held = three
    hold = LegalHold.objects.get(participation=held, released_at__isnull=True)
    services.legal_hold_release(actor=personas.officer_a, hold=hold)
    result = services.gallra(now=NOW)
    assert result.participations == 2 and result.held == 0
    held.refresh_from_db()
    assert held.person_id is None


def test_a_failing_run_records_what_it_erased_before_failing(three, monkeypatch):
    def broken(cutoff):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_purge_audit", broken)
    with pytest.raises(RuntimeError):
        services.gallra(now=NOW)
    event = AuditEvent.objects.get(object_type="privacy.gallring")
    assert event.details["failed"] is True and event.details["participations"] == 1


def test_dry_run_lists_counts_changes_nothing_and_is_audited(three, people, insats):
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("gallra", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Skulle gallras: 1 deltaganden, 2 mätningar, 1 personer" in text
    assert f"insats {insats.pk} Steg till arbete: 1 deltaganden" in text
    assert "Stoppade av bevarandebeslut: 1" in text
    for number in people.values():
        assert number not in text and number[2:] not in text
    assert Participation.objects.filter(person__isnull=False).count() == 3
    assert Measurement.objects.count() == 6
    event = AuditEvent.objects.get(object_type="privacy.gallring")
    assert event.action == Action.READ and event.details["dry_run"] is True


def test_erased_participation_cannot_be_withdrawn_or_marked_again(personas, three, client_for):
    old, _recent, _held = three
    services.gallra(now=NOW)
    page = client_for(personas.officer_a).get(f"/deltagare/{old.pk}/").content.decode()
    assert "Deltagandet gallrades" in page and "Inga mätningar." in page
    old = Participation.objects.get(pk=old.pk)
    with pytest.raises(ValidationError, match="gallrat"):
        participant_services.consent_withdraw(actor=personas.officer_a, participation=old)
    with pytest.raises(ValidationError, match="gallrat"):
        participant_services.participation_mark_error(
            actor=personas.officer_a, participation=old, reason="Fel insats"
        )


def test_old_audit_events_go_through_the_window_only(personas, settings):
    with time_machine.travel(dt.datetime(2018, 5, 1, tzinfo=dt.UTC), tick=False):
        ancient = record_event(actor=personas.admin_a, action=Action.READ, details={"n": 1})
    recent = record_event(actor=personas.admin_a, action=Action.READ, details={"n": 2})
    # Outside a gallring run the old event is as protected as any other.
    for statement in (
        lambda: AuditEvent.objects.filter(pk=ancient.pk).delete(),
        lambda: AuditEvent.objects.filter(pk=ancient.pk).update(reason="x"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            statement()
    result = services.gallra(now=NOW)
    assert result.audit_events == 1
    assert not AuditEvent.objects.filter(pk=ancient.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    # The window is closed again: the recent event cannot be deleted or changed.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=recent.pk).update(reason="x")


def test_the_rule_comes_from_the_deployment(personas, insats, people, settings):
    old = register(
        personas.officer_a, insats, people["old"], dt.date(2020, 2, 3), dt.date(2023, 3, 31)
    )
    assert services.gallra(now=NOW, dry_run=True).participations == 0  # default 5 years
    settings.STEGVIS_RETENTION_PARTICIPATION_YEARS = 3
    assert services.gallra(now=NOW).participations == 1
    old.refresh_from_db()
    assert old.person_id is None


def test_legal_hold_only_by_its_officer_or_the_forbund_administrator(personas, three):
    old, _recent, _held = three
    for outsider in (personas.officer_b, personas.admin_b, personas.reader_a):
        with pytest.raises(PermissionDenied):
            services.legal_hold_place(actor=outsider, participation=old, reason="Vill bevara")
    assert AuditEvent.objects.filter(
        action=Action.PERMISSION_DENIED, actor=personas.officer_b
    ).exists()
    hold = services.legal_hold_place(
        actor=personas.officer_a, participation=old, reason="Begäran om överprövning"
    )
    event = AuditEvent.objects.get(object_type="privacy.legalhold", object_id=str(hold.pk))
    assert event.details == {"participation": old.pk, "legal_hold": "placed"}
    with pytest.raises(ValidationError, match="redan ett gällande"):
        services.legal_hold_place(
            actor=personas.admin_a, participation=old, reason="En gång till"
        )
    with pytest.raises(ValidationError, match="utan personnummer"):
        services.legal_hold_place(
            actor=personas.admin_a, participation=old, reason="Gäller 19800517-1234"
        )
    assert services.gallra(now=NOW).participations == 0


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"STEGVIS_RETENTION_PARTICIPATION_YEARS": "fem"}, "must be a whole number of years"),
        ({"STEGVIS_RETENTION_PARTICIPATION_YEARS": "1"}, "must be at least 2"),
        ({"STEGVIS_RETENTION_AUDIT_YEARS": "4"}, "must be at least 5"),
        (
            {"STEGVIS_RETENTION_PARTICIPATION_YEARS": "8", "STEGVIS_RETENTION_AUDIT_YEARS": "6"},
            "must not be shorter than",
        ),
    ],
)
def test_settings_refuse_a_bad_rule(variables, message):
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "stegvis.settings", **variables},
        capture_output=True, text=True, check=False,
    )
    assert done.returncode != 0
    assert message in done.stderr
