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

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.indicators.facts import refresh_participation_facts
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.participants import identity
from stegvis.participants import personnummer as pnr
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Occasion,
    Participation,
    Person,
)
from stegvis.participants.services import (
    MAX_AGE,
    ConsentInput,
    MeasurementInput,
    require_assigned,
)
from stegvis.reference.models import Code, CodeList, Municipality

BATCH = 2000
FOLLOW_UP_MONTHS = {Occasion.FOLLOWUP_3M: 3, Occasion.FOLLOWUP_6M: 6, Occasion.FOLLOWUP_12M: 12}


@dataclass
class ImportRow:
    personnummer: str = field(repr=False)
    referred_by: str | None
    start_date: dt.date
    residence: str | None
    consent: ConsentInput
    start: MeasurementInput
    end_date: dt.date | None = None
    exit_reason: str | None = None
    end: MeasurementInput | None = None
    follow_ups: dict[str, MeasurementInput] = field(default_factory=dict)


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

    def get(self, code_list: str, key: str | None, day: dt.date) -> Code | None:
        code = self.by_list.get(code_list, {}).get(key or "")
        if code is None or code.valid_from > day or (code.valid_to and code.valid_to < day):
            return None
        return code


def _check_measurement(
    problems: list[RowProblem], n: int, name: str, m: MeasurementInput, codes: _Codes,
    day: dt.date,
) -> None:
    for key in m.income_sources:
        if codes.get(CodeList.INCOME_SOURCE, key, day) is None:
            problems.append(RowProblem(n, f"{name}.income_sources", "Okänd försörjningskod."))
    if not m.income_sources:
        problems.append(RowProblem(n, f"{name}.income_sources", "Ange minst en försörjning."))
    for key, extent in m.activities:
        if codes.get(CodeList.ACTIVITY, key, day) is None:
            problems.append(RowProblem(n, f"{name}.activities", "Okänd sysselsättningskod."))
        if extent is None or not 0 <= extent <= 100:
            problems.append(RowProblem(n, f"{name}.activities",
                                       "Omfattning måste vara 0–100 procent."))
    if m.step and codes.get(CodeList.PROGRESSION_STEP, m.step, day) is None:
        problems.append(RowProblem(n, f"{name}.step", "Okänt steg."))
    if m.education_level and codes.get(CodeList.EDUCATION_LEVEL, m.education_level, day) is None:
        problems.append(RowProblem(n, f"{name}.education_level", "Okänd utbildningsnivå."))


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def participations_import_check(
    *, intervention: Intervention, rows: Sequence[ImportRow], today: dt.date | None = None
) -> tuple[list[_Checked], list[RowProblem]]:
    """Validate every row; return the checked rows and every problem (the preview)."""
    today = today or dt.date.today()
    codes = _Codes()
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    problems: list[RowProblem] = []
    checked: list[_Checked] = []
    if (intervention.follow_up_method != FollowUpMethod.IDENTIFIED
            or intervention.orientation != Orientation.INDIVIDUAL):
        problems.append(RowProblem(0, "intervention",
                                   "Insatsen följs inte upp med identifierade deltagare."))
    open_seen: set[str] = set()
    for n, row in enumerate(rows, start=1):
        try:
            ident = pnr.parse(row.personnummer, today=today)
        except pnr.PersonnummerError as e:
            problems.append(RowProblem(n, "personnummer", e.message))
            continue
        if ident.age_on(row.start_date) > MAX_AGE:
            problems.append(RowProblem(n, "personnummer", "Personen är äldre än 67 år."))
        if row.start_date < intervention.start_date or (
            intervention.end_date and row.start_date > intervention.end_date
        ):
            problems.append(RowProblem(n, "start_date", "Startdatum ligger utanför insatsen."))
        if row.consent.date is None or row.consent.date > row.start_date:
            problems.append(RowProblem(n, "consent", "Samtycke måste vara givet före start."))
        if row.residence and row.residence not in municipalities:
            problems.append(RowProblem(n, "residence", "Okänd kommunkod."))
        if row.referred_by and codes.get(CodeList.REFERRED_BY, row.referred_by,
                                         row.start_date) is None:
            problems.append(RowProblem(n, "referred_by", "Okänd kod för aktualiserad av."))
        _check_measurement(problems, n, "start", row.start, codes, row.start_date)
        if row.end_date is not None:
            if row.end_date < row.start_date or row.end_date > today:
                problems.append(RowProblem(n, "end_date", "Slutdatum är före start eller i "
                                           "framtiden."))
            if codes.get(CodeList.EXIT_REASON, row.exit_reason, row.end_date) is None:
                problems.append(RowProblem(n, "exit_reason", "Okänd avslutsanledning."))
            if row.end is None:
                problems.append(RowProblem(n, "end", "Avslut saknar slutmätning."))
            else:
                _check_measurement(problems, n, "end", row.end, codes, row.end_date)
            for occasion, m in row.follow_ups.items():
                due = _add_months(row.end_date, FOLLOW_UP_MONTHS[Occasion(occasion)])
                if not row.consent.scope_follow_up:
                    problems.append(RowProblem(n, occasion, "Samtycket omfattar inte uppföljning."))
                if due > today:
                    problems.append(RowProblem(n, occasion, "Uppföljningen är inte aktuell än."))
                _check_measurement(problems, n, occasion, m, codes, due)
        else:
            if ident.normalised in open_seen:
                problems.append(RowProblem(n, "personnummer",
                                           "Personen har redan ett pågående deltagande i filen."))
            open_seen.add(ident.normalised)
            if row.follow_ups:
                problems.append(RowProblem(n, "follow_ups", "Uppföljning kräver avslut."))
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
    by_index = {identity.blind_index(c.identity.normalised): c.identity for c in batch}
    existing = dict(
        Person.objects.filter(blind_index__in=list(by_index)).values_list("blind_index", "pk")
    )
    new = [
        Person(
            identity_ciphertext=identity.encrypt(ident.normalised),
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
    persons = _person_ids(batch)
    participations = [
        Participation(
            intervention=intervention,
            person_id=persons[c.identity.normalised],
            sex=c.identity.sex,
            start_year=c.row.start_date.year,
            age_at_start=c.identity.age_on(c.row.start_date),
            residence_id=c.row.residence,
            referred_by=codes.get(CodeList.REFERRED_BY, c.row.referred_by, c.row.start_date),
            start_date=c.row.start_date,
            end_date=c.row.end_date,
            exit_reason=(
                codes.get(CodeList.EXIT_REASON, c.row.exit_reason, c.row.end_date)
                if c.row.end_date else None
            ),
            created_by=actor,
        )
        for c in batch
    ]
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    if any(p.pk is None for p in participations):  # backends that return no ids
        raise RuntimeError("bulk insert did not return ids")
    Consent.objects.bulk_create(
        [
            Consent(
                participation=p,
                date=c.row.consent.date,
                form_version=c.row.consent.form_version,
                scope_registration=c.row.consent.scope_registration,
                scope_follow_up=c.row.consent.scope_follow_up,
            )
            for p, c in zip(participations, batch, strict=True)
        ],
        batch_size=BATCH,
    )
    measurements: list[tuple[Measurement, MeasurementInput]] = []
    for p, c in zip(participations, batch, strict=True):
        occasions: list[tuple[str, MeasurementInput, dt.date]] = [
            (Occasion.START, c.row.start, c.row.start_date)
        ]
        if c.row.end_date and c.row.end:
            occasions.append((Occasion.END, c.row.end, c.row.end_date))
            for occasion, m in c.row.follow_ups.items():
                due = _add_months(c.row.end_date, FOLLOW_UP_MONTHS[Occasion(occasion)])
                occasions.append((occasion, m, m.date or due))
        for occasion, m, default_day in occasions:
            day = m.date or default_day
            measurements.append(
                (
                    Measurement(
                        participation=p,
                        occasion=occasion,
                        date=day,
                        education_level=codes.get(CodeList.EDUCATION_LEVEL, m.education_level,
                                                  day),
                        public_support_duration=codes.get(
                            CodeList.PUBLIC_SUPPORT_DURATION, m.public_support_duration, day
                        ),
                        step=codes.get(CodeList.PROGRESSION_STEP, m.step, day),
                        rating_work=m.rating_work,
                        rating_health=m.rating_health,
                        rating_future=m.rating_future,
                        created_by=actor,
                    ),
                    m,
                )
            )
    Measurement.objects.bulk_create([m for m, _i in measurements], batch_size=BATCH)
    through = Measurement.income_sources.through
    income_rows = []
    activity_rows = []
    for m, given in measurements:
        for key in dict.fromkeys(given.income_sources):
            code = codes.get(CodeList.INCOME_SOURCE, key, m.date)
            income_rows.append(through(measurement_id=m.pk, code_id=code.pk))  # type: ignore[union-attr]
        for key, extent in given.activities:
            activity_rows.append(
                MeasurementActivity(
                    measurement=m,
                    activity=codes.get(CodeList.ACTIVITY, key, m.date),
                    extent_pct=extent,
                )
            )
    through.objects.bulk_create(income_rows, batch_size=BATCH)
    MeasurementActivity.objects.bulk_create(activity_rows, batch_size=BATCH)
    return [p.pk for p in participations]
