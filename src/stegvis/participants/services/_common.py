"""What the participant services share: the assignment check, turning the rules' problems into a
ValidationError, the facts and question catalogue the rules need, and writing a measurement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_noop

from stegvis.access import scope
from stegvis.associations.models import Membership
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.participants import domain
from stegvis.participants.domain import (
    RATINGS,
    MeasurementInput,
)
from stegvis.participants.models import (
    Measurement,
    MeasurementActivity,
    Occasion,
    Participation,
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


MSG_ERASED = gettext_noop(
    "Deltagandet är gallrat: uppgifterna om personen finns inte längre och kan inte ändras."
)
