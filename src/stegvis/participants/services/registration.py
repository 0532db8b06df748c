"""Writes of participations, consents and measurements. Each one transactional and audited.

The rules of registration live in :mod:`stegvis.participants.domain` (pure, and shared with the
bulk import and the API, so they cannot drift apart). This module gathers from the database
what those rules need, turns their problems into a ``ValidationError`` keyed by field with the
Swedish message that names the field, and writes; nothing is saved when one is raised. No
message, log line or audit detail holds a personnummer: audit details carry ids and code keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from stegvis.access import scope
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.followup.selectors import closure_exists
from stegvis.followup.services import erase_for_participation
from stegvis.indicators.facts import refresh_new_participation_fact, refresh_participation_facts
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.lib import dates, freetext
from stegvis.participants import domain, followup, identity
from stegvis.participants.domain import (
    EXIT_REASON_ERROR,
    MIN_AGE,
    MSG_SECOND_OPEN,
    RATINGS,
    ConsentInput,
    MeasurementInput,
)
from stegvis.participants.models import (
    AnswerType,
    Consent,
    Measurement,
    MeasurementActivity,
    Occasion,
    Participation,
    Person,
    SupplementaryAnswer,
    SupplementaryQuestion,
)
from stegvis.reference.models import Code, CodeList, Municipality


@dataclass
class _ResolvedMeasurement:
    date: dt.date
    income_sources: list[Code]
    activities: list[tuple[Code, int]]
    education_level: Code | None
    public_support_duration: Code | None
    step: Code | None
    ratings: dict[str, int | None]
    answers: list[tuple[int, str]]  # (SupplementaryQuestion id, answer)

    def codes(self) -> dict[str, Any]:
        """Code keys and values for audit details (no identity)."""
        return {
            "date": self.date.isoformat(),
            "income_sources": sorted(c.key for c in self.income_sources),
            "activities": sorted([c.key, pct] for c, pct in self.activities),
            "education_level": getattr(self.education_level, "key", None),
            "public_support_duration": getattr(self.public_support_duration, "key", None),
            "step": getattr(self.step, "key", None),
            **self.ratings,
            "answers": {str(qid): v for qid, v in self.answers},
        }


def measurement_snapshot(m: Measurement) -> dict[str, Any]:
    """The stored values of a measurement as codes, for audit details."""
    return {
        "date": m.date.isoformat(),
        "income_sources": sorted(c.key for c in m.income_sources.all()),
        "activities": sorted([a.activity.key, a.extent_pct] for a in m.activities.all()),
        "education_level": getattr(m.education_level, "key", None),
        "public_support_duration": getattr(m.public_support_duration, "key", None),
        "step": getattr(m.step, "key", None),
        **{name: getattr(m, name) for name in RATINGS},
        "answers": {str(a.question_id): a.value for a in m.supplementary_answers.all()},
    }


# --- helpers -------------------------------------------------------------------------------


def require_assigned(actor: Any, intervention: Intervention) -> None:
    """Only a deltagaransvarig assigned to the insats may touch its participants."""
    if intervention.pk not in scope.assigned_intervention_ids(actor):
        raise PermissionDenied


def _today() -> dt.date:
    return timezone.localdate()


def raise_problems(problems: Sequence[domain.Problem]) -> None:
    """The domain's problems as one ``ValidationError`` keyed by field."""
    if problems:
        grouped: dict[str, list[str]] = {}
        for p in problems:
            grouped.setdefault(p.field, []).append(p.message)
        raise ValidationError(grouped)


def intervention_facts(intervention: Intervention) -> domain.InterventionFacts:
    return domain.InterventionFacts(
        start_date=intervention.start_date,
        end_date=intervention.end_date,
        identified=(
            intervention.follow_up_method == FollowUpMethod.IDENTIFIED
            and intervention.orientation == Orientation.INDIVIDUAL
        ),
    )


def question_catalogue(association_id: int) -> dict[int, domain.Question]:
    return {
        q.pk: domain.Question(
            occasion=q.occasion,
            answer_type=q.answer_type,
            validity=domain.Validity(q.valid_from, q.valid_to),
        )
        for q in SupplementaryQuestion.objects.filter(association_id=association_id)
    }


def _measurement_codes(m: MeasurementInput) -> set[tuple[str, str]]:
    wanted = {(CodeList.INCOME_SOURCE.value, k) for k in m.income_sources}
    wanted |= {(CodeList.ACTIVITY.value, k) for k, _pct in m.activities}
    for code_list, key in (
        (CodeList.EDUCATION_LEVEL.value, m.education_level),
        (CodeList.PUBLIC_SUPPORT_DURATION.value, m.public_support_duration),
        (CodeList.PROGRESSION_STEP.value, m.step),
    ):
        if key:
            wanted.add((code_list, key))
    return wanted


def _catalogue(
    *,
    association_id: int,
    measurements: Iterable[MeasurementInput] = (),
    codes: Iterable[tuple[str, str | None]] = (),
    residence: str | None = None,
    sharing: Sequence[int] = (),
) -> tuple[domain.Catalogue, dict[tuple[str, str], Code], Municipality | None]:
    """What the rules need for one registration, read in few queries; the codes by key and the
    municipality of ``residence`` (for writing once the rules accept)."""
    measurements = list(measurements)
    wanted = {(code_list, key) for code_list, key in codes if key}
    for m in measurements:
        wanted |= _measurement_codes(m)
    book: dict[tuple[str, str], Code] = {}
    if wanted:
        book = {
            (c.list, c.key): c
            for c in Code.objects.filter(
                list__in={code_list for code_list, _k in wanted},
                key__in={key for _l, key in wanted},
            )
            if (c.list, c.key) in wanted
        }
    members: set[int] = set()
    if sharing:
        from stegvis.associations.models import Membership

        members = set(
            Membership.objects.filter(association_id=association_id).values_list(
                "organisation_id", flat=True
            )
        )
    municipality = Municipality.objects.filter(code=residence).first() if residence else None
    catalogue = domain.Catalogue(
        today=_today(),
        codes={k: domain.Validity(c.valid_from, c.valid_to) for k, c in book.items()},
        municipalities={municipality.code} if municipality is not None else set(),
        member_ids=members,
        questions=(
            question_catalogue(association_id) if any(m.answers for m in measurements) else {}
        ),
    )
    return catalogue, book, municipality


def _resolve(
    m: MeasurementInput, *, occasion: str, day: dt.date, book: dict[tuple[str, str], Code]
) -> _ResolvedMeasurement:
    """A measurement the rules accepted, with its codes as objects."""

    def code(code_list: str, key: str | None) -> Code | None:
        return book[(code_list, key)] if key else None

    return _ResolvedMeasurement(
        date=day,
        income_sources=[
            book[(CodeList.INCOME_SOURCE, k)] for k in dict.fromkeys(m.income_sources)
        ],
        activities=[(book[(CodeList.ACTIVITY, k)], int(pct or 0)) for k, pct in m.activities],
        education_level=code(CodeList.EDUCATION_LEVEL, m.education_level),
        public_support_duration=(
            code(CodeList.PUBLIC_SUPPORT_DURATION, m.public_support_duration)
            if occasion == Occasion.START else None
        ),
        step=code(CodeList.PROGRESSION_STEP, m.step),
        ratings={name: getattr(m, name) for name in RATINGS},
        answers=[
            (int(qid), value[:1000])
            for qid, raw in m.answers.items()
            if (value := (raw or "").strip())
        ],
    )


def _write_measurement(
    *, actor: Any, participation: Participation, occasion: str, r: _ResolvedMeasurement
) -> Measurement:
    m = Measurement.objects.create(
        participation=participation,
        occasion=occasion,
        date=r.date,
        education_level=r.education_level,
        public_support_duration=r.public_support_duration,
        step=r.step,
        created_by=actor,
        **r.ratings,
    )
    _write_measurement_children(m, r, new=True)
    return m


def _write_measurement_children(
    m: Measurement, r: _ResolvedMeasurement, *, new: bool = False
) -> None:
    if new:  # nothing to replace: insert the links without reading them first
        Measurement.income_sources.through.objects.bulk_create(
            [Measurement.income_sources.through(measurement=m, code=c) for c in r.income_sources]
        )
    else:
        m.income_sources.set(r.income_sources)
    MeasurementActivity.objects.bulk_create(
        [MeasurementActivity(measurement=m, activity=c, extent_pct=pct) for c, pct in r.activities]
    )
    SupplementaryAnswer.objects.bulk_create(
        [SupplementaryAnswer(measurement=m, question_id=q, value=v) for q, v in r.answers]
    )


def _open_participation_exists(intervention: Intervention, blind: str) -> bool:
    return Participation.objects.filter(
        intervention=intervention,
        person__blind_index=blind,
        end_date__isnull=True,
        is_error=False,
        consent_withdrawn_at__isnull=True,
    ).exists()


MSG_ERASED = (
    "Deltagandet är gallrat: uppgifterna om personen finns inte längre och kan inte ändras."
)


# --- participation_start -------------------------------------------------------------------


def participation_start(
    *,
    actor: Any,
    intervention: Intervention,
    personnummer: str,
    consent: ConsentInput,
    protected_identity: bool,
    referred_by: str | None,
    start_date: dt.date | None,
    residence: str | None,
    measurement: MeasurementInput,
    confirm_young: bool = False,
    idempotency_key: str | None = None,
) -> Participation:
    """Register a participant in ``intervention`` with consent and the start measurement.

    A repeated call with the same ``idempotency_key`` (a double submit) returns the
    participation the first call created instead of creating another.
    """
    require_assigned(actor, intervention)
    if idempotency_key:
        existing = Participation.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.intervention_id == intervention.pk and existing.created_by_id == actor.pk:
                return existing
            raise ValidationError(
                {"idempotency_key": "Formuläret har redan skickats. Ladda om sidan."}
            )

    registration = domain.Registration(
        personnummer=personnummer,
        consent=consent,
        referred_by=referred_by,
        start_date=start_date,
        residence=residence,
        measurement=measurement,
        protected_identity=protected_identity,
        confirm_young=confirm_young,
    )
    catalogue, book, municipality = _catalogue(
        association_id=intervention.association_id,
        measurements=[measurement],
        codes=[(CodeList.REFERRED_BY.value, referred_by)],
        residence=residence,
        sharing=consent.sharing_parties,
    )
    parsed, problems = domain.registration_problems(
        registration,
        intervention=intervention_facts(intervention),
        cat=catalogue,
        already_open=lambda ident: _open_participation_exists(
            intervention, identity.blind_index(ident.normalised)
        ),
    )
    if problems and problems[0].field == "protected_identity":
        raise ValidationError(
            {"protected_identity": problems[0].message}, code="protected_identity"
        )
    raise_problems(problems)
    assert parsed is not None and start_date is not None and consent.date is not None
    resolved = _resolve(measurement, occasion=Occasion.START, day=start_date, book=book)
    referred = book[(CodeList.REFERRED_BY, referred_by)] if referred_by else None
    sharing = list(dict.fromkeys(consent.sharing_parties))
    blind = identity.blind_index(parsed.normalised)
    person = Person.objects.filter(blind_index=blind).first()

    try:
        with transaction.atomic():
            reused = person is not None
            if person is None:
                person = Person.objects.create(
                    identity_ciphertext=identity.encrypt(parsed.normalised),
                    blind_index=blind,
                    birth_month=parsed.birth_date.replace(day=1),
                    sex=parsed.sex,
                )
            participation = Participation.objects.create(
                intervention=intervention,
                person=person,
                sex=parsed.sex,
                start_year=start_date.year,
                age_at_start=parsed.age_on(start_date),
                residence=municipality,
                referred_by=referred,
                start_date=start_date,
                idempotency_key=idempotency_key or None,
                created_by=actor,
            )
            c = Consent.objects.create(
                participation=participation,
                date=consent.date,
                form_version=consent.form_version.strip(),
                scope_registration=True,
                scope_follow_up=consent.scope_follow_up,
            )
            if sharing:
                c.sharing_parties.set(sharing)
            start = _write_measurement(
                actor=actor, participation=participation, occasion=Occasion.START, r=resolved
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                obj=participation,
                association=intervention.association_id,
                details={
                    "intervention": intervention.pk,
                    "person": person.pk,
                    "person_reused": reused,
                    "start_date": start_date.isoformat(),
                    "referred_by": referred.key if referred else None,
                    "residence": residence,
                    "consent": {
                        "date": consent.date.isoformat(),
                        "form_version": c.form_version,
                        "follow_up": consent.scope_follow_up,
                        "sharing_parties": sharing,
                    },
                    "confirmed_young": bool(confirm_young and parsed.age_on(start_date) < MIN_AGE),
                    "measurement": resolved.codes(),
                },
            )
            refresh_new_participation_fact(
                participation,
                start,
                activities=[(code.category, pct) for code, pct in resolved.activities],
                income=[(code.key, code.public_support) for code in resolved.income_sources],
            )
    except IntegrityError:
        # A concurrent request registered the same person or used the same form token.
        if idempotency_key:
            existing = Participation.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None and existing.created_by_id == actor.pk:
                return existing
        raise ValidationError({"personnummer": MSG_SECOND_OPEN}) from None
    return participation


# --- participation_end ---------------------------------------------------------------------


def participation_end(
    *,
    actor: Any,
    participation: Participation,
    end_date: dt.date | None,
    exit_reason: str | None,
    measurement: MeasurementInput,
) -> Participation:
    """End an open participation with its exit reason and end measurement."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    if not participation.is_open or participation.is_error:
        raise ValidationError({"end_date": "Slutdatum: deltagandet är redan avslutat."})
    assert participation.start_date is not None
    catalogue, book, _municipality = _catalogue(
        association_id=intervention.association_id,
        measurements=[measurement],
        codes=[(CodeList.EXIT_REASON.value, exit_reason)],
    )
    raise_problems(
        domain.ending_problems(
            start_date=participation.start_date,
            end_date=end_date,
            exit_reason=exit_reason,
            measurement=measurement,
            cat=catalogue,
        )
    )
    assert end_date is not None and exit_reason
    reason = book[(CodeList.EXIT_REASON, exit_reason)]
    resolved = _resolve(measurement, occasion=Occasion.END, day=end_date, book=book)

    with transaction.atomic():
        locked = Participation.objects.select_for_update().get(pk=participation.pk)
        if locked.end_date is not None:
            raise ValidationError({"end_date": "Slutdatum: deltagandet är redan avslutat."})
        if Measurement.objects.filter(participation=locked, occasion=Occasion.END).exists():
            raise ValidationError({"occasion": "Mättillfälle: slutmätningen är redan registrerad."})
        locked.end_date = end_date
        locked.exit_reason = reason
        locked.save(update_fields=["end_date", "exit_reason"])
        _write_measurement(actor=actor, participation=locked, occasion=Occasion.END, r=resolved)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "ended": end_date.isoformat(),
                "exit_reason": reason.key,
                "measurement": resolved.codes(),
            },
        )
        refresh_participation_facts([locked.pk])
    participation.refresh_from_db()
    return participation


# --- measurements --------------------------------------------------------------------------


def consent_covers_follow_up(participation: Participation) -> bool:
    consent = Consent.objects.filter(participation=participation).first()
    return bool(consent and consent.scope_follow_up and consent.withdrawn_at is None)


MSG_OCCASION_TAKEN = "Mättillfälle: det här mättillfället är redan registrerat."


def measurement_record(
    *,
    actor: Any,
    participation: Participation,
    occasion: str,
    measurement: MeasurementInput,
) -> Measurement:
    """Record an interim measurement or a follow-up 3, 6 or 12 months after the end."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    if participation.consent_withdrawn_at is not None or participation.is_error:
        raise ValidationError({"occasion": "Mättillfälle: deltagandet kan inte längre mätas."})
    assert participation.start_date is not None
    catalogue, book, _municipality = _catalogue(
        association_id=intervention.association_id, measurements=[measurement]
    )
    problems = domain.later_measurement_problems(
        occasion=occasion,
        start_date=participation.start_date,
        end_date=participation.end_date,
        consent_follow_up=consent_covers_follow_up(participation),
        closed=occasion in followup.FOLLOW_UP_MONTHS and closure_exists(participation, occasion),
        measurement=measurement,
        cat=catalogue,
    )
    if (
        occasion != Occasion.INTERIM
        and Measurement.objects.filter(participation=participation, occasion=occasion).exists()
    ):
        problems.append(domain.Problem("occasion", MSG_OCCASION_TAKEN))
    raise_problems(problems)
    assert measurement.date is not None
    resolved = _resolve(measurement, occasion=occasion, day=measurement.date, book=book)
    try:
        with transaction.atomic():
            m = _write_measurement(
                actor=actor, participation=participation, occasion=occasion, r=resolved
            )
            record_event(
                actor=actor,
                action=Action.CREATE,
                obj=m,
                association=intervention.association_id,
                details={
                    "intervention": intervention.pk,
                    "participation": participation.pk,
                    "occasion": occasion,
                    "measurement": resolved.codes(),
                },
            )
            refresh_participation_facts([participation.pk])
    except IntegrityError:
        raise ValidationError({"occasion": MSG_OCCASION_TAKEN}) from None
    return m


def measurement_correct(
    *, actor: Any, measurement: Measurement, values: MeasurementInput
) -> Measurement:
    """Replace a measurement's values; the old values stay in the audit trail (as codes)."""
    participation = measurement.participation
    intervention = participation.intervention
    require_assigned(actor, intervention)
    if participation.consent_withdrawn_at is not None:
        raise ValidationError({"occasion": "Mättillfälle: deltagandet kan inte längre ändras."})
    day = values.date or measurement.date
    catalogue, book, _municipality = _catalogue(
        association_id=intervention.association_id, measurements=[values]
    )
    problems = domain.measurement_problems(
        values, occasion=measurement.occasion, day=day, cat=catalogue
    )
    if measurement.occasion == Occasion.START and day != participation.start_date:
        problems.append(
            domain.Problem("measurement_date", "Mätdatum: startmätningen görs på startdatumet.")
        )
    if measurement.occasion == Occasion.END and day != participation.end_date:
        problems.append(
            domain.Problem("measurement_date", "Mätdatum: slutmätningen görs på slutdatumet.")
        )
    raise_problems(problems)
    resolved = _resolve(values, occasion=measurement.occasion, day=day, book=book)
    with transaction.atomic():
        before = measurement_snapshot(measurement)
        measurement.date = resolved.date
        measurement.education_level = resolved.education_level
        measurement.public_support_duration = resolved.public_support_duration
        measurement.step = resolved.step
        for name, value in resolved.ratings.items():
            setattr(measurement, name, value)
        measurement.save()
        measurement.activities.all().delete()
        measurement.supplementary_answers.all().delete()
        _write_measurement_children(measurement, resolved)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=measurement,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "participation": participation.pk,
                "occasion": measurement.occasion,
                "before": before,
                "after": resolved.codes(),
            },
        )
        refresh_participation_facts([participation.pk])
    return measurement


# --- felregistrering, consent withdrawal, reveal -------------------------------------------


def participation_mark_error(
    *, actor: Any, participation: Participation, reason: str
) -> Participation:
    """Felregistrering: the participation leaves all statistics; the audit trail stays.

    The reason (free text without personnummer) is kept in the audit event.
    """
    intervention = participation.intervention
    require_assigned(actor, intervention)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError(
            {"reason": "Anledning: beskriv varför deltagandet är en felregistrering."}
        )
    if contains_identifier(reason):
        raise ValidationError({"reason": "Anledning: skriv anledningen utan personnummer."})
    if participation.is_error:
        raise ValidationError({"is_error": "Felregistrering: deltagandet är redan markerat."})
    if hasattr(participation, "retention_erasure"):
        raise ValidationError({"is_error": MSG_ERASED})
    with transaction.atomic():
        code = Code.objects.filter(list=CodeList.EXIT_REASON, key=EXIT_REASON_ERROR).first()
        previous = getattr(participation.exit_reason, "key", None)
        participation.is_error = True
        if code is not None:
            participation.exit_reason = code
        participation.save(update_fields=["is_error", "exit_reason"])
        erase_for_participation(participation=participation)
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=participation,
            association=intervention.association_id,
            reason=reason,
            details={
                "intervention": intervention.pk,
                "is_error": True,
                "exit_reason_before": previous,
            },
        )
        refresh_participation_facts([participation.pk])
    return participation


def consent_withdraw(
    *, actor: Any, participation: Participation, withdrawn_on: dt.date | None = None
) -> Participation:
    """Withdrawn consent: erase identity link and measurements; keep only an anonymous count.

    ``withdrawn_on`` is the day the person withdrew consent (today when not given); it may
    not lie in the future nor before the consent was given, and is kept on the consent.

    The participation row keeps sex and year of start (for the record) and is excluded from
    identified statistics; the person is added to the insats's anonymous count. A person with
    no other participation is deleted altogether.
    """
    from stegvis.interventions.services import anonymous_count_add

    intervention = participation.intervention
    require_assigned(actor, intervention)
    if participation.consent_withdrawn_at is not None:
        raise ValidationError({"consent": "Samtycke: samtycket är redan återkallat."})
    if hasattr(participation, "retention_erasure"):
        raise ValidationError({"consent": MSG_ERASED})
    now = timezone.now()
    today = timezone.localdate()
    withdrawn_on = withdrawn_on or today
    consent_given = Consent.objects.filter(participation=participation).first()
    if withdrawn_on > today:
        raise ValidationError(
            {"withdrawn_on": "Datum då samtycket återkallades: datumet kan inte ligga i framtiden."}
        )
    if consent_given is not None and withdrawn_on < consent_given.date:
        raise ValidationError(
            {"withdrawn_on": "Datum då samtycket återkallades: datumet kan inte vara före "
             f"samtyckesdatumet {consent_given.date:%Y-%m-%d}."}
        )
    withdrawn_at = timezone.make_aware(dt.datetime.combine(withdrawn_on, dt.time(12)))
    with transaction.atomic():
        person_id = participation.person_id
        measurements = Measurement.objects.filter(participation=participation)
        erased = measurements.count()
        measurements.delete()
        participation.person = None
        participation.residence = None
        participation.referred_by = None
        if not participation.is_error:
            participation.exit_reason = None
        participation.age_at_start = None
        participation.start_date = None
        participation.end_date = None
        participation.idempotency_key = None
        participation.consent_withdrawn_at = now
        participation.save()
        erase_for_participation(participation=participation)
        Consent.objects.filter(participation=participation).update(withdrawn_at=withdrawn_at)
        consent = Consent.objects.filter(participation=participation).first()
        if consent is not None:
            consent.sharing_parties.clear()
        person_deleted = False
        if (
            person_id is not None
            and not Participation.objects.filter(person_id=person_id).exists()
        ):
            Person.objects.filter(pk=person_id).delete()
            person_deleted = True
        counted = False
        if not participation.is_error:
            anonymous_count_add(
                actor=actor,
                intervention=intervention,
                start_year=participation.start_year,
                sex=participation.sex,
            )
            counted = True
        record_event(
            actor=actor,
            action=Action.DELETE,
            obj=participation,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "consent_withdrawn": True,
                "withdrawn_on": withdrawn_on.isoformat(),
                "measurements_erased": erased,
                "person_deleted": person_deleted,
                "anonymous_count": {"start_year": participation.start_year, "added": counted},
            },
        )
        refresh_participation_facts([participation.pk])
    return participation


def person_reveal(*, actor: Any, participation: Participation, reason: str) -> str:
    """The full number (``ÅÅÅÅMMDD-NNNN``) of the participant; writes READ with the reason."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError({"reason": "Anledning: beskriv varför du behöver se personnumret."})
    if contains_identifier(reason):
        raise ValidationError({"reason": "Anledning: skriv anledningen utan personnummer."})
    if participation.person_id is None:
        raise ValidationError({"reason": "Anledning: deltagandet har ingen identitet."})
    person = Person.objects.get(pk=participation.person_id)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.READ,
            obj=participation,
            association=intervention.association_id,
            reason=reason,
            details={"revealed": "personnummer", "person": person.pk},
        )
    normalised = identity.decrypt(person.identity_ciphertext)
    return f"{normalised[:8]}-{normalised[8:]}"


# --- supplementary questions ---------------------------------------------------------------


def supplementary_question_create(
    *,
    actor: Any,
    association: Any,
    text: str,
    answer_type: str,
    occasion: str,
    valid_from: dt.date | None,
    valid_to: dt.date | None = None,
) -> SupplementaryQuestion:
    """A förbund-defined question asked at start or end (förbund administrators)."""
    from stegvis.access.roles import Capability

    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)
    problems: list[domain.Problem] = []
    today = _today()
    text = (text or "").strip()
    if not text:
        problems.append(domain.Problem("text", "Fråga: skriv frågan."))
    elif problem := freetext.text_problem("Fråga", text, today=today):
        problems.append(domain.Problem("text", problem))
    if answer_type not in AnswerType.values:
        problems.append(domain.Problem("answer_type", "Svarstyp: välj en svarstyp."))
    if occasion not in ("start", "end"):
        problems.append(domain.Problem("occasion", "Tillfälle: välj start eller avslut."))
    if valid_from is None:
        problems.append(domain.Problem("valid_from", "Giltig från: ange ett datum."))
    elif problem := dates.date_problem("Giltig från", valid_from, today=today):
        problems.append(domain.Problem("valid_from", problem))
    elif valid_to is not None and valid_to < valid_from:
        problems.append(domain.Problem("valid_to", "Giltig till: kan inte vara före giltig från."))
    elif problem := dates.date_problem("Giltig till", valid_to, today=today):
        problems.append(domain.Problem("valid_to", problem))
    raise_problems(problems)
    with transaction.atomic():
        q = SupplementaryQuestion.objects.create(
            association=association,
            text=text[:300],
            answer_type=answer_type,
            occasion=occasion,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=q,
            association=association,
            details={"occasion": occasion, "answer_type": answer_type},
        )
    return q


def rotate_identity_keys(*, actor: Any = None, batch_size: int = 500) -> int:
    """Re-encrypt every person's identity with the newest key of the ring; returns the count."""
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Person.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for p in batch:
                p.identity_ciphertext = identity.rotate(p.identity_ciphertext)
            Person.objects.bulk_update(batch, ["identity_ciphertext"])
            last_pk = batch[-1].pk
            done += len(batch)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="participants.person",
            username="system",
            details={"rotated_identity_keys": done},
        )
    return done
