"""Writes of participations, consents and measurements. Each one transactional and audited.

Every error is a ``ValidationError`` keyed by field with a Swedish message that names the field;
nothing is saved when one is raised. No message, log line or audit detail holds a personnummer:
audit details carry ids and code keys only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from stegvis.access import scope
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier
from stegvis.audit.services import record_event
from stegvis.followup.selectors import closure_exists
from stegvis.followup.services import erase_for_participation
from stegvis.indicators.facts import refresh_new_participation_fact, refresh_participation_facts
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.participants import followup, identity
from stegvis.participants import personnummer as pnr
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

MIN_AGE = 16
MAX_AGE = 67
EXIT_REASON_ERROR = "felregistrering"
RATINGS = ("rating_work", "rating_health", "rating_future")


@dataclass
class ConsentInput:
    date: dt.date | None
    form_version: str
    scope_registration: bool = True
    scope_follow_up: bool = False
    sharing_parties: list[int] = field(default_factory=list)  # Organisation ids


@dataclass
class MeasurementInput:
    """One measurement; codes by their stable keys."""

    date: dt.date | None = None  # defaults to the start/end date for those occasions
    income_sources: list[str] = field(default_factory=list)
    activities: list[tuple[str, int | None]] = field(default_factory=list)  # (key, extent %)
    education_level: str | None = None
    public_support_duration: str | None = None  # start only
    step: str | None = None
    rating_work: int | None = None
    rating_health: int | None = None
    rating_future: int | None = None
    answers: dict[int, str] = field(default_factory=dict)  # SupplementaryQuestion id -> answer


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


@dataclass
class _ResolvedMeasurement:
    date: dt.date
    income_sources: list[Code]
    activities: list[tuple[Code, int]]
    education_level: Code | None
    public_support_duration: Code | None
    step: Code | None
    ratings: dict[str, int | None]
    answers: list[tuple[SupplementaryQuestion, str]]

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
            "answers": {str(q.pk): v for q, v in self.answers},
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


def _codebook(m: MeasurementInput) -> dict[tuple[str, str], Code]:
    """Every code a measurement names, read in one query."""
    wanted = {
        (CodeList.INCOME_SOURCE, k) for k in m.income_sources
    } | {(CodeList.ACTIVITY, k) for k, _pct in m.activities} | {
        (CodeList.EDUCATION_LEVEL, m.education_level),
        (CodeList.PUBLIC_SUPPORT_DURATION, m.public_support_duration),
        (CodeList.PROGRESSION_STEP, m.step),
    }
    keys = {key for _list, key in wanted if key}
    lists = {code_list for code_list, key in wanted if key}
    return {
        (c.list, c.key): c
        for c in Code.objects.filter(list__in=lists, key__in=keys)
        if (c.list, c.key) in wanted
    }


def _code(
    errors: _Errors, name: str, label: str, code_list: str, key: str | None, day: dt.date,
    *, required: bool, book: dict[tuple[str, str], Code] | None = None,
) -> Code | None:
    if not key:
        if required:
            errors.add(name, f"{label}: välj ett värde.")
        return None
    if book is not None:
        code = book.get((code_list, key))
    else:
        code = Code.objects.filter(list=code_list, key=key).first()
    if code is None:
        errors.add(name, f"{label}: okänd kod.")
        return None
    if code.valid_from > day or (code.valid_to is not None and code.valid_to < day):
        errors.add(name, f"{label}: koden gäller inte det datumet.")
        return None
    return code


def _resolve_measurement(
    errors: _Errors,
    m: MeasurementInput,
    *,
    occasion: str,
    day: dt.date | None,
    association_id: int,
) -> _ResolvedMeasurement | None:
    """Validate a measurement, adding errors; ``None`` if it is invalid."""
    before = len(errors.by_field)
    if day is None:
        errors.add("measurement_date", "Mätdatum: ange ett datum.")
        day = _today()
    elif day > _today():
        errors.add("measurement_date", "Mätdatum: datumet kan inte ligga i framtiden.")
    at_start = occasion == Occasion.START
    full = occasion in (Occasion.START, Occasion.END)

    book = _codebook(m)
    income_sources: list[Code] = []
    if not m.income_sources:
        errors.add("income_sources", "Försörjning: välj minst en försörjningskälla.")
    for key in dict.fromkeys(m.income_sources):
        code = _code(
            errors, "income_sources", "Försörjning", CodeList.INCOME_SOURCE, key, day,
            required=True, book=book,
        )
        if code is not None:
            income_sources.append(code)

    activities: list[tuple[Code, int]] = []
    if not m.activities:
        errors.add("activities", "Sysselsättning: välj minst en sysselsättning.")
    seen: set[str] = set()
    for key, pct in m.activities:
        if key in seen:
            errors.add("activities", "Sysselsättning: samma sysselsättning är vald två gånger.")
            continue
        seen.add(key)
        code = _code(
            errors, "activities", "Sysselsättning", CodeList.ACTIVITY, key, day, required=True,
            book=book,
        )
        if pct is None:
            errors.add(
                "activities", "Omfattning: ange omfattning i procent för varje sysselsättning."
            )
        elif not 0 <= pct <= 100:
            errors.add("activities", "Omfattning: ange en procentsats mellan 0 och 100.")
        elif code is not None:
            activities.append((code, int(pct)))

    education = _code(
        errors, "education_level", "Utbildningsnivå", CodeList.EDUCATION_LEVEL,
        m.education_level, day, required=full, book=book,
    )
    support = None
    if at_start:
        support = _code(
            errors, "public_support_duration", "Tid i offentlig försörjning",
            CodeList.PUBLIC_SUPPORT_DURATION, m.public_support_duration, day, required=True,
            book=book,
        )
    elif m.public_support_duration:
        errors.add(
            "public_support_duration",
            "Tid i offentlig försörjning: anges bara vid start.",
        )
    step = _code(
        errors, "step", "Steg", CodeList.PROGRESSION_STEP, m.step, day, required=full,
        book=book,
    )

    ratings: dict[str, int | None] = {}
    for name in RATINGS:
        value = getattr(m, name)
        if value is not None and not 1 <= value <= 10:
            errors.add(name, "Självskattning: ange ett värde från 1 till 10.")
        ratings[name] = value

    answers: list[tuple[SupplementaryQuestion, str]] = []
    if m.answers:
        if occasion not in (Occasion.START, Occasion.END):
            errors.add("answers", "Kompletterande frågor: besvaras bara vid start eller avslut.")
        else:
            questions = {
                q.pk: q
                for q in SupplementaryQuestion.objects.filter(
                    association_id=association_id, occasion=occasion, valid_from__lte=day
                ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
            }
            for qid, raw in m.answers.items():
                value = (raw or "").strip()
                if not value:
                    continue
                question = questions.get(int(qid))
                if question is None:
                    errors.add("answers", "Kompletterande frågor: okänd eller ogiltig fråga.")
                    continue
                if question.answer_type == AnswerType.YES_NO and value not in ("ja", "nej"):
                    errors.add(f"answer_{qid}", "Kompletterande fråga: svara ja eller nej.")
                    continue
                if question.answer_type == AnswerType.NUMBER:
                    try:
                        float(value.replace(",", "."))
                    except ValueError:
                        errors.add(f"answer_{qid}", "Kompletterande fråga: ange ett tal.")
                        continue
                if contains_identifier(value):
                    errors.add(
                        f"answer_{qid}",
                        "Kompletterande fråga: svaret får inte innehålla personnummer.",
                    )
                    continue
                answers.append((question, value[:1000]))

    if len(errors.by_field) != before:
        return None
    return _ResolvedMeasurement(
        date=day,
        income_sources=income_sources,
        activities=activities,
        education_level=education,
        public_support_duration=support,
        step=step,
        ratings=ratings,
        answers=answers,
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
        [SupplementaryAnswer(measurement=m, question=q, value=v) for q, v in r.answers]
    )


def _open_participation_exists(intervention: Intervention, person: Person) -> bool:
    return Participation.objects.filter(
        intervention=intervention,
        person=person,
        end_date__isnull=True,
        is_error=False,
        consent_withdrawn_at__isnull=True,
    ).exists()


MSG_ERASED = (
    "Deltagandet är gallrat: uppgifterna om personen finns inte längre och kan inte ändras."
)
MSG_SECOND_OPEN = "Personnummer: personen har redan ett pågående deltagande i insatsen."


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

    errors = _Errors()
    if protected_identity:
        raise ValidationError(
            {
                "protected_identity": (
                    "Skyddad identitet: personer med skyddade personuppgifter registreras "
                    "aldrig med personnummer. Räkna personen i insatsens anonyma räkning i "
                    "stället."
                )
            },
            code="protected_identity",
        )
    if (
        intervention.follow_up_method != FollowUpMethod.IDENTIFIED
        or intervention.orientation != Orientation.INDIVIDUAL
    ):
        raise ValidationError(
            {
                "intervention": (
                    "Insats: insatsen följs inte upp med identifierade deltagare. Använd "
                    "anonym räkning eller volymräkning."
                )
            }
        )

    parsed: pnr.Identity | None = None
    try:
        parsed = pnr.parse(personnummer, today=_today())
    except pnr.PersonnummerError as exc:
        errors.add("personnummer", f"Personnummer: {exc.message}")

    today = _today()
    if start_date is None:
        errors.add("start_date", "Startdatum: ange ett datum.")
    else:
        if start_date < intervention.start_date:
            errors.add(
                "start_date",
                "Startdatum: insatsen började "
                f"{intervention.start_date.isoformat()}; deltagandet kan inte starta före det.",
            )
        if intervention.end_date is not None and start_date > intervention.end_date:
            errors.add(
                "start_date",
                "Startdatum: insatsen slutade "
                f"{intervention.end_date.isoformat()}; deltagandet kan inte starta efter det.",
            )
        if start_date > today:
            errors.add("start_date", "Startdatum: datumet kan inte ligga i framtiden.")

    if parsed is not None and start_date is not None:
        age = parsed.age_on(start_date)
        if age > MAX_AGE:
            errors.add(
                "personnummer",
                f"Personnummer: personen är över {MAX_AGE} år vid start och kan inte registreras.",
            )
        elif age < MIN_AGE and not confirm_young:
            errors.add(
                "confirm_young",
                f"Personen är under {MIN_AGE} år vid start. Kontrollera uppgifterna och bekräfta "
                "att personen ska registreras.",
            )

    if consent.date is None:
        errors.add("consent_date", "Datum för samtycke: ange ett datum.")
    elif start_date is not None and consent.date > start_date:
        errors.add(
            "consent_date",
            "Datum för samtycke: samtycket måste vara lämnat senast på startdatumet.",
        )
    elif consent.date > today:
        errors.add("consent_date", "Datum för samtycke: datumet kan inte ligga i framtiden.")
    if not (consent.form_version or "").strip():
        errors.add("consent_form_version", "Blankettversion: ange samtyckesblankettens version.")
    if not consent.scope_registration:
        errors.add(
            "consent_scope_registration",
            "Samtycke: utan samtycke till registrering kan personen bara räknas anonymt.",
        )
    sharing = list(dict.fromkeys(consent.sharing_parties))
    if sharing:
        from stegvis.associations.models import Membership

        members = set(
            Membership.objects.filter(association_id=intervention.association_id).values_list(
                "organisation_id", flat=True
            )
        )
        if not set(sharing) <= members:
            errors.add(
                "consent_sharing_parties",
                "Delning mellan parter: välj bland förbundets medlemmar.",
            )

    day = start_date or today
    referred = _code(
        errors, "referred_by", "Aktualiserad av", CodeList.REFERRED_BY, referred_by, day,
        required=True,
    )
    municipality = None
    if not residence:
        errors.add("residence", "Bostadskommun: välj en kommun.")
    else:
        municipality = Municipality.objects.filter(code=residence).first()
        if municipality is None:
            errors.add("residence", "Bostadskommun: okänd kommun.")

    resolved = _resolve_measurement(
        errors,
        measurement,
        occasion=Occasion.START,
        day=measurement.date or start_date,
        association_id=intervention.association_id,
    )
    if resolved is not None and start_date is not None and resolved.date != start_date:
        errors.add("measurement_date", "Mätdatum: startmätningen görs på startdatumet.")

    blind = None
    person: Person | None = None
    if parsed is not None:
        blind = identity.blind_index(parsed.normalised)
        person = Person.objects.filter(blind_index=blind).first()
        if person is not None and _open_participation_exists(intervention, person):
            errors.add("personnummer", MSG_SECOND_OPEN)
    errors.raise_if_any()
    assert parsed is not None and start_date is not None and resolved is not None
    assert consent.date is not None and blind is not None

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
                form_version=consent.form_version.strip()[:40],
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
    errors = _Errors()
    if not participation.is_open or participation.is_error:
        raise ValidationError({"end_date": "Slutdatum: deltagandet är redan avslutat."})
    assert participation.start_date is not None
    if end_date is None:
        errors.add("end_date", "Slutdatum: ange ett datum.")
    elif end_date < participation.start_date:
        errors.add("end_date", "Slutdatum: slutdatum kan inte vara före startdatum.")
    elif end_date > _today():
        errors.add("end_date", "Slutdatum: datumet kan inte ligga i framtiden.")
    if exit_reason == EXIT_REASON_ERROR:
        errors.add(
            "exit_reason",
            "Avslutsanledning: använd ”Markera som felregistrering” för att ta bort "
            "deltagandet ur statistiken.",
        )
        reason = None
    else:
        reason = _code(
            errors, "exit_reason", "Avslutsanledning", CodeList.EXIT_REASON, exit_reason,
            end_date or _today(), required=True,
        )
    resolved = _resolve_measurement(
        errors,
        measurement,
        occasion=Occasion.END,
        day=measurement.date or end_date,
        association_id=intervention.association_id,
    )
    if resolved is not None and end_date is not None and resolved.date != end_date:
        errors.add("measurement_date", "Mätdatum: slutmätningen görs på slutdatumet.")
    errors.raise_if_any()
    assert end_date is not None and resolved is not None

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
                "exit_reason": reason.key if reason else None,
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
    errors = _Errors()
    if participation.consent_withdrawn_at is not None or participation.is_error:
        raise ValidationError({"occasion": "Mättillfälle: deltagandet kan inte längre mätas."})
    assert participation.start_date is not None
    day = measurement.date
    if occasion == Occasion.INTERIM:
        if participation.end_date is not None:
            errors.add("occasion", "Mättillfälle: delmätningar görs medan deltagandet pågår.")
        elif day is not None and day < participation.start_date:
            errors.add("measurement_date", "Mätdatum: datumet är före deltagandets start.")
    elif occasion in followup.FOLLOW_UP_MONTHS:
        if participation.end_date is None:
            errors.add(
                "occasion", "Mättillfälle: uppföljning görs efter att deltagandet avslutats."
            )
        elif not consent_covers_follow_up(participation):
            errors.add(
                "occasion", "Mättillfälle: samtycket omfattar inte uppföljning efter avslut."
            )
        elif closure_exists(participation, occasion):
            errors.add("occasion", "Mättillfälle: uppföljningen är redan avslutad utan mätning.")
        elif day is not None and not followup.in_window(participation.end_date, occasion, day):
            first, last = followup.window(participation.end_date, occasion)
            errors.add(
                "measurement_date",
                f"Mätdatum: uppföljningen registreras med ett datum från {first.isoformat()} "
                f"till {last.isoformat()}.",
            )
    else:
        errors.add("occasion", "Mättillfälle: välj delmätning eller en uppföljning.")
    if (
        occasion != Occasion.INTERIM
        and Measurement.objects.filter(participation=participation, occasion=occasion).exists()
    ):
        errors.add("occasion", "Mättillfälle: det här mättillfället är redan registrerat.")
    resolved = _resolve_measurement(
        errors, measurement, occasion=occasion, day=day,
        association_id=intervention.association_id,
    )
    errors.raise_if_any()
    assert resolved is not None
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
        raise ValidationError(
            {"occasion": "Mättillfälle: det här mättillfället är redan registrerat."}
        ) from None
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
    errors = _Errors()
    day = values.date or measurement.date
    if measurement.occasion == Occasion.START and day != participation.start_date:
        errors.add("measurement_date", "Mätdatum: startmätningen görs på startdatumet.")
    if measurement.occasion == Occasion.END and day != participation.end_date:
        errors.add("measurement_date", "Mätdatum: slutmätningen görs på slutdatumet.")
    resolved = _resolve_measurement(
        errors, values, occasion=measurement.occasion, day=day,
        association_id=intervention.association_id,
    )
    errors.raise_if_any()
    assert resolved is not None
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


def participation_mark_error(*, actor: Any, participation: Participation) -> Participation:
    """Felregistrering: the participation leaves all statistics; the audit trail stays."""
    intervention = participation.intervention
    require_assigned(actor, intervention)
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
            details={
                "intervention": intervention.pk,
                "is_error": True,
                "exit_reason_before": previous,
            },
        )
        refresh_participation_facts([participation.pk])
    return participation


def consent_withdraw(*, actor: Any, participation: Participation) -> Participation:
    """Withdrawn consent: erase identity link and measurements; keep only an anonymous count.

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
        Consent.objects.filter(participation=participation).update(withdrawn_at=now)
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
    errors = _Errors()
    text = (text or "").strip()
    if not text:
        errors.add("text", "Fråga: skriv frågan.")
    if answer_type not in AnswerType.values:
        errors.add("answer_type", "Svarstyp: välj en svarstyp.")
    if occasion not in ("start", "end"):
        errors.add("occasion", "Tillfälle: välj start eller avslut.")
    if valid_from is None:
        errors.add("valid_from", "Giltig från: ange ett datum.")
    elif valid_to is not None and valid_to < valid_from:
        errors.add("valid_to", "Giltig till: kan inte vara före giltig från.")
    errors.raise_if_any()
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
