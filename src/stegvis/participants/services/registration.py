"""Registering a participation (the start, with consent and the start measurement) and ending it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions.models import Intervention
from stegvis.lib import crypto
from stegvis.lib import personnummer as pnr
from stegvis.lib.errors import raise_problems
from stegvis.participants import domain
from stegvis.participants.domain import (
    MIN_AGE,
    MSG_SECOND_OPEN,
    ConsentInput,
    MeasurementInput,
)
from stegvis.participants.facts import refresh_new_participation_fact, refresh_participation_facts
from stegvis.participants.models import (
    Consent,
    Measurement,
    Occasion,
    Participation,
    Person,
)
from stegvis.participants.services._common import (
    _catalogue,
    _open_participation_exists,
    _resolve,
    _write_measurement,
    intervention_facts,
    require_assigned,
)
from stegvis.reference.models import Code, CodeList, Municipality

# --- participation_start -------------------------------------------------------------------


def _earlier_submit(
    actor: Any, intervention: Intervention, idempotency_key: str | None
) -> Participation | None:
    """The participation an earlier submit of the same form created (a double submit), if any;
    a form token used by someone else or for another insats is refused."""
    if not idempotency_key:
        return None
    existing = Participation.objects.filter(idempotency_key=idempotency_key).first()
    if existing is None:
        return None
    if existing.intervention_id == intervention.pk and existing.created_by_id == actor.pk:
        return existing
    raise ValidationError({"idempotency_key": _("Formuläret har redan skickats. Ladda om sidan.")})


def _checked_registration(
    intervention: Intervention, registration: domain.Registration
) -> tuple[pnr.Identity | None, dict[tuple[str, str], Code], Municipality | None]:
    """Every registration rule at once (ValidationError with all problems): the parsed
    personnummer, the code book and the residence kommun."""
    consent = registration.consent
    catalogue, book, municipality = _catalogue(
        association_id=intervention.association_id,
        measurements=[registration.measurement],
        codes=[(CodeList.REFERRED_BY.value, registration.referred_by)],
        residence=registration.residence,
        sharing=consent.sharing_parties,
    )
    parsed, problems = domain.registration_problems(
        registration,
        intervention=intervention_facts(intervention),
        cat=catalogue,
        already_open=lambda ident: _open_participation_exists(
            intervention, crypto.blind_index(ident.normalised)
        ),
    )
    if problems and problems[0].field == "protected_identity":
        raise ValidationError(
            {"protected_identity": problems[0].message}, code="protected_identity"
        )
    raise_problems(problems)
    return parsed, book, municipality


def _new_person(parsed: pnr.Identity, blind: str) -> Person:
    """A person seen for the first time: the number encrypted, found again by its blind index."""
    return Person.objects.create(
        identity_ciphertext=crypto.encrypt(parsed.normalised),
        blind_index=blind,
        birth_month=parsed.birth_date.replace(day=1),
        sex=parsed.sex,
    )


def _write_consent(
    participation: Participation, consent: ConsentInput, sharing: list[int]
) -> Consent:
    """The consent given at registration, with the parties it allows sharing with."""
    assert consent.date is not None  # registration_problems refuses a consent without a date
    c = Consent.objects.create(
        participation=participation,
        date=consent.date,
        form_version=consent.form_version.strip(),
        scope_registration=True,
        scope_follow_up=consent.scope_follow_up,
    )
    if sharing:
        c.sharing_parties.set(sharing)
    return c


def _create_participation(
    *,
    actor: Any,
    intervention: Intervention,
    registration: domain.Registration,
    parsed: pnr.Identity,
    book: dict[tuple[str, str], Code],
    municipality: Municipality | None,
    idempotency_key: str | None,
) -> Participation:
    """Write the person (new or found by blind index), the participation, its consent and start
    measurement, the audit event and the fact row — in one transaction."""
    consent, start_date = registration.consent, registration.start_date
    referred_by = registration.referred_by
    assert start_date is not None and consent.date is not None
    resolved = _resolve(
        registration.measurement, occasion=Occasion.START, day=start_date, book=book
    )
    referred = book[(CodeList.REFERRED_BY, referred_by)] if referred_by else None
    sharing = list(dict.fromkeys(consent.sharing_parties))
    blind = crypto.blind_index(parsed.normalised)
    person = Person.objects.filter(blind_index=blind).first()

    with transaction.atomic():
        reused = person is not None
        if person is None:
            person = _new_person(parsed, blind)
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
        c = _write_consent(participation, consent, sharing)
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
                "residence": registration.residence,
                "consent": {
                    "date": consent.date.isoformat(),
                    "form_version": c.form_version,
                    "follow_up": consent.scope_follow_up,
                    "sharing_parties": sharing,
                },
                "confirmed_young": bool(
                    registration.confirm_young and parsed.age_on(start_date) < MIN_AGE
                ),
                "measurement": resolved.codes(),
            },
        )
        refresh_new_participation_fact(
            participation,
            start,
            activities=[(code.category, pct) for code, pct in resolved.activities],
            income=[(code.key, code.public_support) for code in resolved.income_sources],
        )
    return participation


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
    existing = _earlier_submit(actor, intervention, idempotency_key)
    if existing is not None:
        return existing

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
    parsed, book, municipality = _checked_registration(intervention, registration)
    assert parsed is not None and start_date is not None and consent.date is not None
    try:
        return _create_participation(
            actor=actor, intervention=intervention, registration=registration, parsed=parsed,
            book=book, municipality=municipality, idempotency_key=idempotency_key,
        )
    except IntegrityError:
        # A concurrent request registered the same person or used the same form token.
        if idempotency_key:
            existing = Participation.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None and existing.created_by_id == actor.pk:
                return existing
        raise ValidationError({"personnummer": _(MSG_SECOND_OPEN)}) from None


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
        raise ValidationError({"end_date": _("Slutdatum: deltagandet är redan avslutat.")})
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
            raise ValidationError({"end_date": _("Slutdatum: deltagandet är redan avslutat.")})
        if Measurement.objects.filter(participation=locked, occasion=Occasion.END).exists():
            raise ValidationError(
                {"occasion": _("Mättillfälle: slutmätningen är redan registrerad.")}
            )
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


