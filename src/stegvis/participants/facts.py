"""Keeping the fact table current: recompute the rows of given participations.

:func:`refresh_participation_facts` runs inside the caller's transaction (the participant
services call it just before they return, inside their ``transaction.atomic`` block), so a
registration is visible in the indicators as soon as it is committed — and never before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction

from stegvis.associations import versions
from stegvis.lib.dates import add_months
from stegvis.participants import fact_rules
from stegvis.participants.fact_rules import FACT_FOLLOW_UP_MONTHS
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Occasion,
    Participation,
    ParticipationFact,
)

CHUNK = 1000
_FOLLOW_UP_OCCASION = {3: Occasion.FOLLOWUP_3M, 6: Occasion.FOLLOWUP_6M, 12: Occasion.FOLLOWUP_12M,
                       24: Occasion.FOLLOWUP_24M, 36: Occasion.FOLLOWUP_36M}


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _measurement_facts(
    m: Measurement,
    activities: dict[int, list[tuple[str, int]]],
    income: dict[int, list[tuple[str, bool]]],
) -> fact_rules.MeasurementFacts:
    return fact_rules.measurement_facts(
        activities.get(m.pk, []),
        income.get(m.pk, []),
        m.step.level if m.step is not None else None,
    )


def _key(code: Any) -> str:
    return code.key if code is not None else ""


def build_fact(
    p: Participation,
    measurements: list[Measurement],
    activities: dict[int, list[tuple[str, int]]],
    income: dict[int, list[tuple[str, bool]]],
) -> ParticipationFact | None:
    """The fact row of ``p`` (None when it must not be counted at all: withdrawn consent)."""
    if p.consent_withdrawn_at is not None or p.start_date is None:
        return None
    by_occasion = {m.occasion: m for m in measurements if m.occasion != Occasion.INTERIM}
    start_m = by_occasion.get(Occasion.START)
    end_m = by_occasion.get(Occasion.END)
    start = _measurement_facts(start_m, activities, income) if start_m else None
    end = _measurement_facts(end_m, activities, income) if end_m else None
    consent: Consent | None = getattr(p, "consent", None)
    fact = ParticipationFact(
        participation_id=p.pk,
        association_id=p.intervention.association_id,
        intervention_id=p.intervention_id,
        person_key=p.person_id,
        sex=p.sex,
        age_group=fact_rules.age_group(p.age_at_start),
        residence_id=p.residence_id,
        start_date=p.start_date,
        end_date=p.end_date,
        is_error=p.is_error,
        exit_reason=_key(p.exit_reason),
        referred_by=_key(p.referred_by),
        education_level=_key(start_m.education_level) if start_m else "",
        public_support_duration=_key(start_m.public_support_duration) if start_m else "",
        duration_days=(p.end_date - p.start_date).days if p.end_date else None,
        has_start=start is not None,
        has_end=end is not None,
        complete=start is not None and end is not None,
        follow_up_consent=bool(
            consent is not None and consent.scope_follow_up and consent.withdrawn_at is None
        ),
    )
    for prefix, mf in (("start", start), ("end", end)):
        if mf is None:
            continue
        setattr(fact, f"{prefix}_work_or_studies", mf.work_or_studies)
        setattr(fact, f"{prefix}_no_public_support", mf.no_public_support)
        setattr(fact, f"{prefix}_extent", mf.extent)
        setattr(fact, f"{prefix}_step", mf.step)
        setattr(fact, f"{prefix}_categories", fact_rules.join_keys(mf.categories))
        setattr(fact, f"{prefix}_income", fact_rules.join_keys(mf.income_keys))
    for k in FACT_FOLLOW_UP_MONTHS:
        if p.end_date is not None:
            setattr(fact, f"fu{k}_date", add_months(p.end_date, k))
        fm = by_occasion.get(_FOLLOW_UP_OCCASION[k])
        if fm is not None:
            mf = _measurement_facts(fm, activities, income)
            setattr(fact, f"fu{k}_measured", True)
            setattr(fact, f"fu{k}_work_or_studies", mf.work_or_studies)
            setattr(fact, f"fu{k}_no_public_support", mf.no_public_support)
    return fact


def _compute(ids: list[int]) -> list[ParticipationFact]:
    participations = (
        Participation.objects.filter(pk__in=ids)
        .select_related("intervention", "exit_reason", "referred_by", "consent")
        .order_by()
    )
    measurements: dict[int, list[Measurement]] = {}
    for m in (
        Measurement.objects.filter(participation_id__in=ids)
        .exclude(occasion=Occasion.INTERIM)
        .select_related("step", "education_level", "public_support_duration")
        .order_by()
    ):
        measurements.setdefault(m.participation_id, []).append(m)
    measurement_ids = [m.pk for ms in measurements.values() for m in ms]
    activities: dict[int, list[tuple[str, int]]] = {}
    income: dict[int, list[tuple[str, bool]]] = {}
    if measurement_ids:
        for mid, category, pct in MeasurementActivity.objects.filter(
            measurement_id__in=measurement_ids
        ).values_list("measurement_id", "activity__category", "extent_pct"):
            activities.setdefault(mid, []).append((category, pct))
        through = Measurement.income_sources.through
        for mid, key, public in through.objects.filter(
            measurement_id__in=measurement_ids
        ).values_list("measurement_id", "code__key", "code__public_support"):
            income.setdefault(mid, []).append((key, public))
    facts = []
    for p in participations:
        fact = build_fact(p, measurements.get(p.pk, []), activities, income)
        if fact is not None:
            facts.append(fact)
    return facts


_UPDATE_FIELDS = [
    f.name for f in ParticipationFact._meta.concrete_fields if not f.primary_key
]


def _store(ids: list[int], facts: list[ParticipationFact]) -> None:
    kept = {f.participation_id for f in facts}
    gone = [i for i in ids if i not in kept]
    changed = {f.association_id for f in facts}
    if gone:
        rows = ParticipationFact.objects.filter(participation_id__in=gone)
        changed.update(rows.values_list("association_id", flat=True))
        rows.delete()
    # In this transaction: a reader that sees the new rows also sees the new version.
    versions.bump(changed)
    if facts:
        ParticipationFact.objects.bulk_create(
            facts,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["participation"],
            update_fields=_UPDATE_FIELDS,
        )


def _not_erased(ids: Iterable[int]) -> list[int]:
    """Leave out participations erased by gallring: their fact row is frozen (ADR 0007)."""
    wanted = sorted({int(i) for i in ids if i is not None})
    erased = set(
        Participation.objects.filter(pk__in=wanted, retention_erasure__isnull=False)
        .values_list("pk", flat=True)
    ) if wanted else set()
    return [i for i in wanted if i not in erased]


def refresh_participation_facts(participation_ids: Iterable[int]) -> int:
    """Recompute the fact rows of ``participation_ids`` in the caller's transaction.

    Returns the number of rows written. Safe to call for ids whose participation no longer
    counts (its row is removed). Rows of participations erased by gallring are left as they are.
    """
    ids = _not_erased(participation_ids)
    written = 0
    # No savepoint of its own: it runs inside the caller's transaction (or autocommits).
    with transaction.atomic(savepoint=False):
        for chunk in _chunks(ids, CHUNK):
            facts = _compute(chunk)
            _store(chunk, facts)
            written += len(facts)
    return written


def refresh_new_participation_fact(
    participation: Participation,
    start: Measurement,
    activities: list[tuple[str, int]],
    income: list[tuple[str, bool]],
) -> None:
    """The fact row of a participation its caller has just created, from the objects it still
    holds (``activities``: (category, extent %), ``income``: (key, public support)) instead of
    reading them back: registration is the hot path. Gives the same row as
    :func:`refresh_participation_facts` (tested)."""
    fact = build_fact(participation, [start], {start.pk: activities}, {start.pk: income})
    with transaction.atomic(savepoint=False):
        _store([participation.pk], [fact] if fact is not None else [])


def rebuild_all_facts() -> int:
    """Rebuild the whole fact table atomically (readers see the old table until commit)."""
    with transaction.atomic():
        # Rows of participations erased by gallring are the anonymised figures: kept as they are.
        ParticipationFact.objects.exclude(
            participation__retention_erasure__isnull=False
        ).delete()
        ids = list(
            Participation.objects.filter(retention_erasure__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        written = 0
        for chunk in _chunks(ids, CHUNK):
            facts = _compute(chunk)
            ParticipationFact.objects.bulk_create(facts, batch_size=CHUNK)
            written += len(facts)
        versions.bump_all()
    return written
