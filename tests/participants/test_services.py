"""The participant services: every bad input of the issue, reuse by blind index, withdrawal."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.access.models import InterventionAssignment
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions.models import AnonymousCount
from stegvis.participants import services
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Participation,
    Person,
)
from stegvis.reference.models import Code, CodeList
from tests.participants.conftest import (
    consent,
    end_measurement,
    make_intervention,
    make_pnr,
    start_measurement,
)

pytestmark = pytest.mark.django_db

START = dt.date(2024, 3, 4)
PNR = make_pnr(dt.date(1985, 1, 1), serial=55)


def start(personas, insats, **overrides):
    values = {
        "actor": personas.officer_a,
        "intervention": insats,
        "personnummer": PNR,
        "consent": consent(START),
        "protected_identity": False,
        "referred_by": "forsakringskassan",
        "start_date": START,
        "residence": "0180",
        "measurement": start_measurement(),
    }
    values.update(overrides)
    return services.participation_start(**values)


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def nothing_saved() -> bool:
    return not (
        Person.objects.exists()
        or Participation.objects.exists()
        or Measurement.objects.exists()
        or Consent.objects.exists()
    )


def test_start_creates_person_participation_consent_and_measurement(personas, insats):
    p = start(personas, insats)
    assert p.person is not None and p.sex == "K" and p.start_year == 2024
    assert p.age_at_start == 39
    assert p.person.birth_month == dt.date(1985, 1, 1)
    m = Measurement.objects.get(participation=p)
    assert m.occasion == "start" and m.date == START
    assert [c.key for c in m.income_sources.all()] == ["sjukpenning"]
    assert MeasurementActivity.objects.get(measurement=m).extent_pct == 50
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(p.pk))
    assert event.association_id == personas.a.pk
    assert event.details["measurement"]["income_sources"] == ["sjukpenning"]
    assert "8501" not in str(event.details)


def test_existing_person_is_reused_by_blind_index(personas, insats):
    first = start(personas, insats)
    services.participation_end(
        actor=personas.officer_a, participation=first, end_date=dt.date(2024, 6, 1),
        exit_reason="arbete", measurement=end_measurement(),
    )
    other = make_intervention(personas.a, name="Annan insats")
    InterventionAssignment.objects.create(intervention=other, user=personas.officer_a)
    # the 10-digit form of the same number finds the same person
    ten_digit = PNR[2:]
    second = start(personas, other, personnummer=ten_digit)
    assert Person.objects.count() == 1
    assert second.person_id == first.person_id
    again = start(
        personas, insats, start_date=dt.date(2024, 7, 1), consent=consent(dt.date(2024, 7, 1))
    )
    assert again.person_id == first.person_id


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("19850101-0000", "kontrollsiffra"),
        ("abc", "format"),
        ("19851301-1234", "datum"),
        ("", "Ange personnummer"),
    ],
)
def test_invalid_personnummer(personas, insats, value, fragment, caplog):
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, personnummer=value)
    messages = errors_of(exc)["personnummer"]
    assert fragment in " ".join(messages)
    assert all(m.startswith("Personnummer") for m in messages)
    assert nothing_saved()
    if value:
        assert value not in caplog.text and value not in str(exc.value)


def test_future_dated_personnummer(personas, insats):
    future = dt.date.today() + dt.timedelta(days=40)
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, personnummer=make_pnr(future))
    assert "framtiden" in errors_of(exc)["personnummer"][0]
    assert nothing_saved()


def test_under_16_needs_confirmation(personas, insats):
    young = make_pnr(dt.date(2009, 6, 1), woman=False)
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, personnummer=young)
    assert "under 16" in errors_of(exc)["confirm_young"][0]
    assert nothing_saved()
    p = start(personas, insats, personnummer=young, confirm_young=True)
    assert p.sex == "M" and p.age_at_start == 14


def test_over_67_is_refused(personas, insats):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, personnummer=make_pnr(dt.date(1950, 1, 1)))
    assert "över 67" in errors_of(exc)["personnummer"][0]
    assert nothing_saved()


def test_start_before_insats_began_or_after_it_ended(personas, insats):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, start_date=dt.date(2019, 12, 31),
              consent=consent(dt.date(2019, 12, 1)))
    assert "före" in errors_of(exc)["start_date"][0]
    insats.end_date = dt.date(2023, 12, 31)
    insats.save()
    with pytest.raises(ValidationError) as exc:
        start(personas, insats)
    assert "efter" in errors_of(exc)["start_date"][0]
    assert nothing_saved()


def test_consent_after_start(personas, insats):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, consent=consent(START + dt.timedelta(days=1)))
    assert "senast på startdatumet" in errors_of(exc)["consent_date"][0]
    assert nothing_saved()


def test_second_open_participation_is_refused(personas, insats):
    start(personas, insats)
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, start_date=START + dt.timedelta(days=5),
              measurement=start_measurement())
    assert "pågående deltagande" in errors_of(exc)["personnummer"][0]
    assert Participation.objects.count() == 1


@pytest.mark.parametrize("pct", [-1, 101, 250])
def test_extent_outside_0_100(personas, insats, pct):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, measurement=start_measurement(activities=[("studier", pct)]))
    assert "mellan 0 och 100" in errors_of(exc)["activities"][0]
    assert nothing_saved()


def test_unknown_and_retired_codes(personas, insats):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, referred_by="finns_inte",
              measurement=start_measurement(income_sources=["hittepa"]))
    assert "okänd kod" in errors_of(exc)["referred_by"][0]
    assert "okänd kod" in errors_of(exc)["income_sources"][0]
    Code.objects.filter(list=CodeList.EDUCATION_LEVEL, key="gymnasial").update(
        valid_to=dt.date(2023, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        start(personas, insats)
    assert "gäller inte" in errors_of(exc)["education_level"][0]
    assert nothing_saved()


def test_protected_identity_is_refused_and_points_to_anonymous_count(personas, insats):
    with pytest.raises(ValidationError) as exc:
        start(personas, insats, protected_identity=True)
    assert "anonyma räkning" in errors_of(exc)["protected_identity"][0]
    assert nothing_saved()


def test_double_submit_with_same_key_creates_one_record(personas, insats):
    a = start(personas, insats, idempotency_key="form-token-1")
    b = start(personas, insats, idempotency_key="form-token-1")
    assert a.pk == b.pk
    assert Participation.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == 1


def test_outsider_cannot_start(personas, insats):
    for user in (personas.officer_b, personas.admin_a, personas.manager_a):
        with pytest.raises(PermissionDenied):
            start(personas, insats, actor=user)
    assert nothing_saved()


def test_end_before_start_and_measurement_occasion_twice(personas, insats):
    p = start(personas, insats)
    with pytest.raises(ValidationError) as exc:
        services.participation_end(
            actor=personas.officer_a, participation=p, end_date=START - dt.timedelta(days=1),
            exit_reason="arbete", measurement=end_measurement(),
        )
    assert "före startdatum" in errors_of(exc)["end_date"][0]
    p.refresh_from_db()
    assert p.end_date is None and not Measurement.objects.filter(occasion="end").exists()
    end = dt.date(2024, 5, 31)
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=end, exit_reason="arbete",
        measurement=end_measurement(),
    )
    services.measurement_record(
        actor=personas.officer_a, participation=p, occasion="followup_3m",
        measurement=end_measurement(date=dt.date(2024, 8, 31), education_level=None, step=None),
    )
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="followup_3m",
            measurement=end_measurement(date=dt.date(2024, 9, 5)),
        )
    assert "redan registrerat" in errors_of(exc)["occasion"][0]
    assert Measurement.objects.filter(occasion="followup_3m").count() == 1


def test_follow_up_needs_consent_and_time(personas, insats):
    p = start(personas, insats, consent=consent(START, follow_up=False))
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=dt.date(2024, 5, 31),
        exit_reason="arbete", measurement=end_measurement(),
    )
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="followup_6m",
            measurement=end_measurement(date=dt.date(2024, 12, 1)),
        )
    assert "omfattar inte uppföljning" in errors_of(exc)["occasion"][0]


def test_follow_up_outside_its_window(personas, insats):
    """A follow-up is recorded from 14 days before its due date to 2 months after it."""
    p = start(personas, insats)
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=dt.date(2024, 5, 31),
        exit_reason="arbete", measurement=end_measurement(),
    )
    for too_early_or_late in (dt.date(2024, 8, 16), dt.date(2024, 11, 1)):
        with pytest.raises(ValidationError) as exc:
            services.measurement_record(
                actor=personas.officer_a, participation=p, occasion="followup_3m",
                measurement=end_measurement(date=too_early_or_late),
            )
        assert "från 2024-08-17 till 2024-10-31" in errors_of(exc)["measurement_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="followup_12m",
            measurement=end_measurement(date=dt.date(2024, 9, 1)),
        )
    assert "från 2025-05-17 till 2025-07-31" in errors_of(exc)["measurement_date"][0]
    for first_or_last in (dt.date(2024, 8, 17), dt.date(2024, 10, 31)):
        Measurement.objects.filter(participation=p, occasion="followup_3m").delete()
        services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="followup_3m",
            measurement=end_measurement(date=first_or_last),
        )


def test_interim_measurements_can_repeat(personas, insats):
    p = start(personas, insats)
    for day in (dt.date(2024, 4, 1), dt.date(2024, 5, 1)):
        services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="interim",
            measurement=end_measurement(date=day, education_level=None, step="steg_2"),
        )
    assert Measurement.objects.filter(occasion="interim").count() == 2


def test_correction_keeps_old_values_in_audit(personas, insats):
    p = start(personas, insats)
    m = Measurement.objects.get(participation=p)
    services.measurement_correct(
        actor=personas.officer_a, measurement=m,
        values=start_measurement(income_sources=["forsorjningsstod"], step="steg_2"),
    )
    m.refresh_from_db()
    assert [c.key for c in m.income_sources.all()] == ["forsorjningsstod"]
    event = AuditEvent.objects.get(
        action=Action.UPDATE, object_id=str(m.pk), object_type="participants.measurement"
    )
    assert event.details["before"]["income_sources"] == ["sjukpenning"]
    assert event.details["before"]["step"] == "steg_1"
    assert event.details["after"]["step"] == "steg_2"


def test_mark_error(personas, insats):
    p = start(personas, insats)
    services.participation_mark_error(
        actor=personas.officer_a, participation=p, reason="Fel person"
    )
    p.refresh_from_db()
    assert p.is_error and p.exit_reason.key == "felregistrering"
    assert AuditEvent.objects.filter(action=Action.UPDATE, details__is_error=True).exists()
    # the person may be registered again in the insats
    again = start(personas, insats, start_date=START + dt.timedelta(days=1),
                  measurement=start_measurement())
    assert again.person_id == p.person_id


def test_end_refuses_felregistrering_as_reason(personas, insats):
    p = start(personas, insats)
    with pytest.raises(ValidationError) as exc:
        services.participation_end(
            actor=personas.officer_a, participation=p, end_date=dt.date(2024, 5, 1),
            exit_reason="felregistrering", measurement=end_measurement(),
        )
    assert "felregistrering" in errors_of(exc)["exit_reason"][0].lower()


def test_consent_withdrawal_leaves_anonymous_count_and_no_identity(personas, insats):
    p = start(personas, insats)
    services.consent_withdraw(actor=personas.officer_a, participation=p)
    p.refresh_from_db()
    assert p.person_id is None and p.start_date is None and p.residence_id is None
    assert p.consent_withdrawn_at is not None
    assert not Person.objects.exists()
    assert not Measurement.objects.exists()
    count = AnonymousCount.objects.get(intervention=insats, start_year=2024)
    assert (count.women, count.men) == (1, 0)
    event = AuditEvent.objects.get(action=Action.DELETE, object_id=str(p.pk))
    assert event.details["person_deleted"] is True
    assert event.details["measurements_erased"] == 1


def test_consent_withdrawal_keeps_person_with_other_participation(personas, insats):
    other = make_intervention(personas.a, name="Annan")
    InterventionAssignment.objects.create(intervention=other, user=personas.officer_a)
    p1 = start(personas, insats)
    p2 = start(personas, other)
    services.consent_withdraw(actor=personas.officer_a, participation=p1)
    assert Person.objects.filter(pk=p2.person_id).exists()
    assert Measurement.objects.filter(participation=p2).count() == 1


def test_reveal_needs_reason_and_writes_read_with_reason(personas, insats):
    p = start(personas, insats)
    with pytest.raises(ValidationError):
        services.person_reveal(actor=personas.officer_a, participation=p, reason="")
    with pytest.raises(ValidationError) as exc:
        services.person_reveal(actor=personas.officer_a, participation=p, reason=f"kolla {PNR}")
    assert PNR not in str(exc.value)
    full = services.person_reveal(
        actor=personas.officer_a, participation=p, reason="Kontakt med Försäkringskassan"
    )
    assert full.replace("-", "") == PNR.replace("-", "")
    event = AuditEvent.objects.get(action=Action.READ, reason="Kontakt med Försäkringskassan")
    assert event.details["revealed"] == "personnummer"
    with pytest.raises(PermissionDenied):
        services.person_reveal(actor=personas.officer_b, participation=p, reason="nyfiken ok")


def test_audit_details_never_hold_the_number(personas, insats):
    p = start(personas, insats)
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=dt.date(2024, 5, 31),
        exit_reason="arbete", measurement=end_measurement(),
    )
    services.consent_withdraw(actor=personas.officer_a, participation=p)
    digits = PNR.replace("-", "")
    for event in AuditEvent.objects.all():
        text = f"{event.details} {event.reason}"
        assert digits not in text and digits[2:] not in text and PNR not in text


def test_only_identified_insatser_take_identified_participants(personas, insats):
    insats.follow_up_method = "anonymous"
    insats.save()
    with pytest.raises(ValidationError) as exc:
        start(personas, insats)
    assert "anonym" in errors_of(exc)["intervention"][0]
    assert nothing_saved()
