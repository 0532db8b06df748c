"""Bulk registration of whole participant histories: start, end and follow-ups at once.

For moving a förbund's history from another system, and for the national-scale data that the
benchmarks need. All or nothing: every row is validated first and every row's problems are
returned together (a preview); nothing is written unless no row has a problem. Rows are then
written with bulk inserts in batches, inside one transaction, with one audit event per import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from stegvis.associations.models import Membership
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.interventions.models import Intervention
from stegvis.lib import crypto
from stegvis.lib import personnummer as pnr
from stegvis.participants import domain
from stegvis.participants.domain import ConsentInput, MeasurementInput
from stegvis.participants.facts import refresh_participation_facts
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Occasion,
    Participation,
    Person,
    SupplementaryAnswer,
)
from stegvis.participants.services import (
    intervention_facts,
    question_catalogue,
    require_assigned,
)
from stegvis.reference.models import Code, CodeList, Municipality

BATCH = 2000


@dataclass
class ImportRow:
    personnummer: str = field(repr=False)
    referred_by: str | None
    start_date: dt.date | None
    residence: str | None
    consent: ConsentInput
    start: MeasurementInput
    end_date: dt.date | None = None
    exit_reason: str | None = None
    end: MeasurementInput | None = None
    follow_ups: dict[str, MeasurementInput] = field(default_factory=dict)
    confirm_young: bool = False


@dataclass
class RowProblem:
    row: int  # 1-based
    field: str
    message: str


@dataclass
class _Checked:
    row: ImportRow
    identity: pnr.Identity


class _Codes:
    def __init__(self) -> None:
        self.by_list: dict[str, dict[str, Code]] = {}
        for code in Code.objects.all():
            self.by_list.setdefault(code.list, {})[code.key] = code

    def get(self, code_list: str, key: str | None) -> Code | None:
        """A code the rules have accepted (validity was checked there)."""
        return self.by_list.get(code_list, {}).get(key or "")

    def validity(self) -> dict[tuple[str, str], domain.Validity]:
        return {
            (code_list, key): domain.Validity(code.valid_from, code.valid_to)
            for code_list, codes in self.by_list.items()
            for key, code in codes.items()
        }


def _open_blind_indexes(intervention: Intervention) -> set[str]:
    """Blind indexes of the persons with an open participation in the insats."""
    return set(
        Participation.objects.filter(
            intervention=intervention,
            person__isnull=False,
            end_date__isnull=True,
            is_error=False,
            consent_withdrawn_at__isnull=True,
        ).values_list("person__blind_index", flat=True)
    )


def _row_problems(
    row: ImportRow,
    *,
    facts: domain.InterventionFacts,
    cat: domain.Catalogue,
    open_indexes: set[str],
) -> tuple[pnr.Identity | None, list[domain.Problem]]:
    """One row through the same rules as a registration, an end and its follow-ups."""
    ident, problems = domain.registration_problems(
        domain.Registration(
            personnummer=row.personnummer,
            consent=row.consent,
            referred_by=row.referred_by,
            start_date=row.start_date,
            residence=row.residence,
            measurement=row.start,
            confirm_young=row.confirm_young,
        ),
        intervention=facts,
        cat=cat,
        already_open=lambda i: crypto.blind_index(i.normalised) in open_indexes,
        prefix="start.",
    )
    ended = row.end_date is not None or row.exit_reason is not None or row.end is not None
    if ended and row.start_date is not None:
        problems += domain.ending_problems(
            start_date=row.start_date,
            end_date=row.end_date,
            exit_reason=row.exit_reason,
            measurement=row.end,
            cat=cat,
            prefix="end.",
        )
    if row.start_date is not None:
        for occasion, m in row.follow_ups.items():
            problems += domain.later_measurement_problems(
                occasion=occasion,
                start_date=row.start_date,
                end_date=row.end_date,
                consent_follow_up=row.consent.scope_follow_up,
                measurement=m,
                cat=cat,
                prefix=f"{occasion}.",
            )
    return ident, problems


def participations_import_check(
    *, intervention: Intervention, rows: Sequence[ImportRow], today: dt.date | None = None
) -> tuple[list[_Checked], list[RowProblem]]:
    """Validate every row; return the checked rows and every problem (the preview).

    The rules are those of ``participants.domain``, the same a single registration, an end
    and a follow-up get on the pages and in the API.
    """
    facts = intervention_facts(intervention)
    refused = domain.intervention_problems(facts)
    if refused:
        return [], [RowProblem(0, p.field, p.message) for p in refused]
    codes = _Codes()
    members: set[int] = set()
    if any(row.consent.sharing_parties for row in rows):
        members = set(
            Membership.objects.filter(association_id=intervention.association_id)
            .values_list("organisation_id", flat=True)
        )
    cat = domain.Catalogue(
        today=today or dt.date.today(),
        codes=codes.validity(),
        municipalities=set(Municipality.objects.values_list("code", flat=True)),
        member_ids=members,
        questions=question_catalogue(intervention.association_id),
    )
    open_indexes = _open_blind_indexes(intervention)
    problems: list[RowProblem] = []
    checked: list[_Checked] = []
    open_in_file: set[str] = set()
    for n, row in enumerate(rows, start=1):
        ident, row_problems = _row_problems(
            row, facts=facts, cat=cat, open_indexes=open_indexes
        )
        problems += [RowProblem(n, p.field, p.message) for p in row_problems]
        if ident is None:
            continue
        if row.end_date is None:
            if ident.normalised in open_in_file:
                problems.append(
                    RowProblem(n, "personnummer", _(domain.MSG_SECOND_OPEN_IN_FILE))
                )
            open_in_file.add(ident.normalised)
        checked.append(_Checked(row, ident))
    return checked, problems


def participations_import(
    *, actor: Any, intervention: Intervention, rows: Sequence[ImportRow],
    today: dt.date | None = None,
) -> list[int]:
    """Validate every row, then write them all (or nothing). Returns participation ids.

    Raises ImportRejected with every row's problems if any row has one.
    """
    require_assigned(actor, intervention)
    checked, problems = participations_import_check(
        intervention=intervention, rows=rows, today=today
    )
    if problems:
        raise ImportRejected(problems)
    codes = _Codes()
    ids: list[int] = []
    with transaction.atomic():
        for start in range(0, len(checked), BATCH):
            ids += _write_batch(actor, intervention, checked[start:start + BATCH], codes)
        refresh_participation_facts(ids)
        record_event(
            actor=actor,
            action=Action.CREATE,
            object_type="participants.import",
            object_id=intervention.pk,
            association=intervention.association_id,
            details={"participations": len(ids)},
        )
    return ids


class ImportRejected(Exception):
    """Some rows have problems; nothing was written. ``problems`` lists them all."""

    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem i importen")
        self.problems = problems


def _person_ids(batch: Sequence[_Checked]) -> dict[str, int]:
    by_index = {crypto.blind_index(c.identity.normalised): c.identity for c in batch}
    existing = dict(
        Person.objects.filter(blind_index__in=list(by_index)).values_list("blind_index", "pk")
    )
    new = [
        Person(
            identity_ciphertext=crypto.encrypt(ident.normalised),
            blind_index=index,
            birth_month=ident.birth_date.replace(day=1),
            sex=ident.sex,
        )
        for index, ident in by_index.items()
        if index not in existing
    ]
    Person.objects.bulk_create(new, batch_size=BATCH)
    existing.update(
        Person.objects.filter(blind_index__in=[p.blind_index for p in new]).values_list(
            "blind_index", "pk"
        )
    )
    return {ident.normalised: existing[index] for index, ident in by_index.items()}


def _write_batch(
    actor: Any, intervention: Intervention, batch: Sequence[_Checked], codes: _Codes
) -> list[int]:
    """Write rows the rules accepted (so every code, date and number here is valid)."""
    participations = _write_participations(actor, intervention, batch, codes)
    _write_consents(participations, batch)
    measurements = _write_measurements(actor, participations, batch, codes)
    _write_measurement_details(measurements, codes)
    return [p.pk for p in participations]


def _write_participations(
    actor: Any, intervention: Intervention, batch: Sequence[_Checked], codes: _Codes
) -> list[Participation]:
    """The persons (new ones created) and one participation per row, in batch order."""
    persons = _person_ids(batch)
    participations = []
    for c in batch:
        assert c.row.start_date is not None
        participations.append(
            Participation(
                intervention=intervention,
                person_id=persons[c.identity.normalised],
                sex=c.identity.sex,
                start_year=c.row.start_date.year,
                age_at_start=c.identity.age_on(c.row.start_date),
                residence_id=c.row.residence,
                referred_by=codes.get(CodeList.REFERRED_BY, c.row.referred_by),
                start_date=c.row.start_date,
                end_date=c.row.end_date,
                exit_reason=(
                    codes.get(CodeList.EXIT_REASON, c.row.exit_reason)
                    if c.row.end_date else None
                ),
                created_by=actor,
            )
        )
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    if any(p.pk is None for p in participations):  # backends that return no ids
        raise RuntimeError("bulk insert did not return ids")
    return participations


def _write_consents(participations: Sequence[Participation], batch: Sequence[_Checked]) -> None:
    """Each participation's consent and the parties it may be shared with."""
    consents = [
        Consent(
            participation=p,
            date=c.row.consent.date,
            form_version=c.row.consent.form_version.strip(),
            scope_registration=c.row.consent.scope_registration,
            scope_follow_up=c.row.consent.scope_follow_up,
        )
        for p, c in zip(participations, batch, strict=True)
    ]
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    sharing_through = Consent.sharing_parties.through
    sharing_through.objects.bulk_create(
        [
            sharing_through(consent_id=consent.pk, organisation_id=org)
            for consent, c in zip(consents, batch, strict=True)
            for org in dict.fromkeys(c.row.consent.sharing_parties)
        ],
        batch_size=BATCH,
    )


def _write_measurements(
    actor: Any,
    participations: Sequence[Participation],
    batch: Sequence[_Checked],
    codes: _Codes,
) -> list[tuple[Measurement, MeasurementInput]]:
    """The start measurement, and for ended rows the end and the follow-ups; each written
    measurement is returned with the input it came from."""
    measurements: list[tuple[Measurement, MeasurementInput]] = []
    for p, c in zip(participations, batch, strict=True):
        for occasion, m, default_day in _occasions(c.row):
            measurements.append((_measurement(actor, p, occasion, m, default_day, codes), m))
    Measurement.objects.bulk_create([m for m, _i in measurements], batch_size=BATCH)
    return measurements


def _occasions(row: ImportRow) -> list[tuple[str, MeasurementInput, dt.date | None]]:
    """A row's measurements with the date each one falls back to when it has none."""
    occasions: list[tuple[str, MeasurementInput, dt.date | None]] = [
        (Occasion.START, row.start, row.start_date)
    ]
    if row.end_date is not None:
        occasions.append((Occasion.END, row.end or MeasurementInput(), row.end_date))
        occasions += [(occasion, m, None) for occasion, m in row.follow_ups.items()]
    return occasions


def _measurement(
    actor: Any,
    participation: Participation,
    occasion: str,
    m: MeasurementInput,
    default_day: dt.date | None,
    codes: _Codes,
) -> Measurement:
    return Measurement(
        participation=participation,
        occasion=occasion,
        date=m.date or default_day,
        education_level=codes.get(CodeList.EDUCATION_LEVEL, m.education_level),
        public_support_duration=(
            codes.get(CodeList.PUBLIC_SUPPORT_DURATION, m.public_support_duration)
            if occasion == Occasion.START else None
        ),
        step=codes.get(CodeList.PROGRESSION_STEP, m.step),
        rating_work=m.rating_work,
        rating_health=m.rating_health,
        rating_future=m.rating_future,
        created_by=actor,
    )


def _write_measurement_details(
    measurements: Sequence[tuple[Measurement, MeasurementInput]], codes: _Codes
) -> None:
    """Each written measurement's income sources, activities and supplementary answers."""
    through = Measurement.income_sources.through
    income_rows = []
    activity_rows = []
    answer_rows = []
    for m, given in measurements:
        for key in dict.fromkeys(given.income_sources):
            code = codes.get(CodeList.INCOME_SOURCE, key)
            income_rows.append(through(measurement_id=m.pk, code_id=code.pk))  # type: ignore[union-attr]
        for key, extent in given.activities:
            activity_rows.append(
                MeasurementActivity(
                    measurement=m,
                    activity=codes.get(CodeList.ACTIVITY, key),
                    extent_pct=extent,
                )
            )
        for qid, raw in given.answers.items():
            if value := (raw or "").strip():
                answer_rows.append(
                    SupplementaryAnswer(measurement=m, question_id=int(qid), value=value[:1000])
                )
    through.objects.bulk_create(income_rows, batch_size=BATCH)
    MeasurementActivity.objects.bulk_create(activity_rows, batch_size=BATCH)
    SupplementaryAnswer.objects.bulk_create(answer_rows, batch_size=BATCH)
