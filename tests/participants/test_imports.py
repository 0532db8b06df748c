"""Bulk import of participant histories: all or nothing, every row's problems listed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from stegvis.participants.imports import ImportRejected, ImportRow, participations_import
from stegvis.participants.models import Measurement, Participation, ParticipationFact, Person
from tests.participants.conftest import consent, end_measurement, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 24)


def row(pnr: str, start: dt.date, **extra) -> ImportRow:
    return ImportRow(personnummer=pnr, referred_by="kommun", start_date=start, residence="0180",
                     consent=consent(start), start=start_measurement(), **extra)


def test_import_writes_every_row_with_measurements_and_facts(personas, insats):
    ended = row(make_pnr(dt.date(1990, 1, 1)), dt.date(2024, 1, 10),
                end_date=dt.date(2024, 6, 1), exit_reason="arbete", end=end_measurement(),
                follow_ups={"followup_3m": end_measurement(date=dt.date(2024, 9, 1))})
    still_open = row(make_pnr(dt.date(1995, 5, 5), woman=False), dt.date(2025, 2, 1))
    ids = participations_import(actor=personas.officer_a, intervention=insats,
                                rows=[ended, still_open], today=TODAY)
    assert Participation.objects.filter(pk__in=ids).count() == 2
    assert Measurement.objects.filter(participation_id__in=ids).count() == 4
    assert ParticipationFact.objects.filter(participation_id__in=ids).count() == 2
    # The number is stored only encrypted.
    assert not Person.objects.filter(identity_ciphertext__contains="19900101").exists()


def test_one_bad_row_rejects_the_whole_import_and_lists_every_problem(personas, insats):
    good = row(make_pnr(dt.date(1990, 1, 1)), dt.date(2024, 1, 10))
    bad_number = row("19900101-0000", dt.date(2024, 1, 10))
    too_early = row(make_pnr(dt.date(1991, 2, 2)), dt.date(2019, 1, 1))
    with pytest.raises(ImportRejected) as caught:
        participations_import(actor=personas.officer_a, intervention=insats,
                              rows=[good, bad_number, too_early], today=TODAY)
    problems = {(p.row, p.field) for p in caught.value.problems}
    assert (2, "personnummer") in problems and (3, "start_date") in problems
    assert all("19900101" not in p.message for p in caught.value.problems)
    assert not Participation.objects.exists()


def test_only_an_assigned_officer_may_import(personas, insats):
    with pytest.raises(PermissionDenied):
        participations_import(actor=personas.officer_b, intervention=insats,
                              rows=[row(make_pnr(dt.date(1990, 1, 1)), dt.date(2024, 1, 10))],
                              today=TODAY)
    assert not Participation.objects.exists()


def test_the_preview_lists_every_row_problem_and_writes_nothing(personas, insats):
    from stegvis.participants.imports import participations_import_check

    first = row(make_pnr(dt.date(1990, 1, 1)), dt.date(2024, 1, 10))
    first.start.rating_work = 99
    first.consent.scope_registration = False
    second = row(make_pnr(dt.date(1991, 1, 1)), dt.date(2024, 1, 10),
                 end_date=dt.date(2024, 6, 1), exit_reason="arbete", end=end_measurement(),
                 follow_ups={"followup_6m": end_measurement(date=dt.date(2024, 5, 1)),
                             "followup_99m": end_measurement(date=dt.date(2025, 1, 1))})
    third = row(make_pnr(dt.date(1992, 1, 1)), dt.date(2024, 1, 10), exit_reason="arbete")
    _checked, problems = participations_import_check(
        intervention=insats, rows=[first, second, third], today=TODAY
    )
    found = {(p.row, p.field, p.message) for p in problems}
    assert (1, "start.rating_work", "Självskattning: ange ett värde från 1 till 10.") in found
    assert (1, "consent_scope_registration", "Samtycke: utan samtycke till registrering kan "
            "personen bara räknas anonymt.") in found
    assert (2, "followup_6m.measurement_date",
            "Mätdatum: uppföljningen registreras med ett datum från 2024-11-17 till "
            "2025-02-01.") in found
    assert (2, "followup_99m.occasion",
            "Mättillfälle: välj delmätning eller en uppföljning.") in found
    assert (3, "end_date", "Slutdatum: ange ett datum.") in found
    assert not Participation.objects.exists()


def test_import_writes_consent_sharing_and_answers_like_a_registration(personas, insats):
    from stegvis.associations.models import Organisation
    from stegvis.participants.models import Consent, SupplementaryAnswer, SupplementaryQuestion

    member = Organisation.objects.filter(memberships__association=personas.a).first()
    question = SupplementaryQuestion.objects.create(
        association=personas.a, text="Har du körkort?", answer_type="yes_no", occasion="start",
        valid_from=dt.date(2020, 1, 1),
    )
    first = row(make_pnr(dt.date(1990, 1, 1)), dt.date(2024, 1, 10))
    first.consent.sharing_parties = [member.pk]
    first.start.answers = {question.pk: "ja"}
    ids = participations_import(actor=personas.officer_a, intervention=insats, rows=[first],
                                today=TODAY)
    consent = Consent.objects.get(participation_id=ids[0])
    assert list(consent.sharing_parties.all()) == [member]
    assert SupplementaryAnswer.objects.get(question=question).value == "ja"
