"""Reads for data-subject rights and legal holds. Every function takes the acting user and
asks the scoping module (``stegvis.access.scope``); reads of personal data are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations.models import Association
from stegvis.audit.models import Action, AuditEvent
from stegvis.audit.services import record_event
from stegvis.lib import crypto
from stegvis.lib import personnummer as pnr
from stegvis.participants.models import (
    Consent,
    Measurement,
    MeasurementActivity,
    Participation,
    Person,
)
from stegvis.participants.selectors import officer_association_ids, require_officer
from stegvis.privacy.models import LegalHold, RetentionErasure
from stegvis.reference.models import Code, CodeList

PARTICIPATION = "participants.participation"
MEASUREMENT = "participants.measurement"
PERSON = "participants.person"


# --- registerutdrag --------------------------------------------------------------------------


@dataclass
class ParticipationRecord:
    participation: Participation
    consent: Consent | None
    measurements: list[Measurement]
    holds: list[LegalHold]


@dataclass
class RegisterExtract:
    """Everything Stegvis holds on one person in the insatser the requesting user may see."""

    number: str  # ÅÅÅÅMMDD-NNNN, shown only in the PDF for the person themself
    person: Person | None
    records: list[ParticipationRecord] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)
    generated: dt.datetime = field(default_factory=timezone.now)


def _events_about(participation_ids: list[int], measurement_ids: list[int],
                  person_id: int | None, since: dt.datetime | None) -> list[AuditEvent]:
    """Audit events about these participations: writes, reads, list views and searches."""
    if not participation_ids:
        return []
    pids = [str(i) for i in participation_ids]
    direct = Q(object_type=PARTICIPATION, object_id__in=pids) | Q(
        object_type=MEASUREMENT, object_id__in=[str(i) for i in measurement_ids]
    ) | Q(object_type="privacy.legalhold", details__participation__in=participation_ids)
    if person_id is not None:
        direct |= Q(object_type=PERSON, object_id=str(person_id))
    found = {e.pk: e for e in AuditEvent.objects.filter(direct)}
    # List views and searches name the participations they showed in their details.
    lists = AuditEvent.objects.filter(
        object_type__in=(PARTICIPATION, PERSON), object_id="",
        action__in=(Action.READ, Action.SEARCH),
    )
    if since is not None:
        lists = lists.filter(at__gte=since)
    wanted = set(participation_ids)
    for event in lists.iterator(2000):
        shown = event.details.get("participations") if isinstance(event.details, dict) else None
        if isinstance(shown, list) and wanted.intersection(shown):
            found[event.pk] = event
    return sorted(found.values(), key=lambda e: (e.at, e.pk))


def register_extract(*, user: Any, personnummer: str) -> RegisterExtract:
    """The register extract for ``personnummer`` (raises ``pnr.PersonnummerError``).

    Only participations in insatser assigned to ``user`` are included; anyone else gets an
    extract that says nothing is held, exactly as for a person Stegvis has never seen.
    Audited as EXPORT (with participation ids, never the number).
    """
    require_officer(user=user)
    parsed = _parse_or_record(user, personnummer)
    number = f"{parsed.normalised[:8]}-{parsed.normalised[8:]}"
    person = Person.objects.filter(blind_index=crypto.blind_index(parsed.normalised)).first()
    participations = _assigned_participations(user, person)
    extract = RegisterExtract(
        number=number,
        person=person if participations else None,
        records=_records(participations),
    )
    extract.events = _events_about(
        [p.pk for p in participations],
        [m.pk for r in extract.records for m in r.measurements],
        person.pk if participations and person is not None else None,
        min((p.created for p in participations), default=None),
    )
    _record_extract(user, person, participations, len(extract.events))
    return extract


def _parse_or_record(user: Any, personnummer: str) -> pnr.Identity:
    """The parsed number; an invalid one is still audited (without the number) and re-raised."""
    try:
        return pnr.parse(personnummer, today=timezone.localdate())
    except pnr.PersonnummerError:
        with transaction.atomic():
            # One event per förbund searched, so each förbund's granskare sees it.
            for association_id in officer_association_ids(user):
                record_event(
                    actor=user, action=Action.EXPORT, object_type=PERSON,
                    association=association_id,
                    details={"register_extract": True, "valid": False, "participations": []},
                )
        raise


def _assigned_participations(user: Any, person: Person | None) -> list[Participation]:
    """The person's participations in insatser assigned to ``user``, with everything the
    extract shows."""
    if person is None:
        return []
    return list(
        Participation.objects.filter(
            person=person, intervention_id__in=scope.assigned_intervention_ids(user)
        )
        .select_related("intervention__association", "residence", "referred_by",
                        "exit_reason")
        .prefetch_related(
            Prefetch(
                "measurements",
                queryset=Measurement.objects.select_related(
                    "education_level", "public_support_duration", "step"
                ).prefetch_related(
                    "income_sources",
                    Prefetch("activities",
                             queryset=MeasurementActivity.objects.select_related("activity")),
                    "supplementary_answers__question",
                ).order_by("date", "id"),
            ),
            "legal_holds",
        )
        .order_by("start_date", "id")
    )


def _records(participations: list[Participation]) -> list[ParticipationRecord]:
    consents = {
        c.participation_id: c
        for c in Consent.objects.filter(participation__in=participations).prefetch_related(
            "sharing_parties"
        )
    }
    return [
        ParticipationRecord(
            participation=p,
            consent=consents.get(p.pk),
            measurements=list(p.measurements.all()),
            holds=list(p.legal_holds.all()),
        )
        for p in participations
    ]


def _record_extract(
    user: Any, person: Person | None, participations: list[Participation], event_count: int
) -> None:
    """One event per förbund searched (each naming only its own participations), so each
    förbund's granskare sees the extract."""
    by_association: dict[int, list[int]] = {a: [] for a in officer_association_ids(user)}
    for p in participations:
        by_association.setdefault(p.intervention.association_id, []).append(p.pk)
    with transaction.atomic():
        for association_id, own_ids in sorted(by_association.items()):
            record_event(
                actor=user,
                action=Action.EXPORT,
                object_type=PERSON,
                object_id=person.pk if own_ids and person is not None else "",
                association=association_id,
                details={
                    "register_extract": True,
                    "format": "pdf",
                    "participations": own_ids,
                    "audit_events": event_count,
                },
            )


# --- correction history ----------------------------------------------------------------------

FIELD_LABELS = {
    "date": gettext_lazy("Datum"),
    "income_sources": gettext_lazy("Försörjning"),
    "activities": gettext_lazy("Sysselsättning"),
    "education_level": gettext_lazy("Utbildningsnivå"),
    "public_support_duration": gettext_lazy("Tid i offentlig försörjning"),
    "step": gettext_lazy("Steg"),
    "rating_work": gettext_lazy("Hur nära arbete eller studier"),
    "rating_health": gettext_lazy("Hälsa"),
    "rating_future": gettext_lazy("Framtidstro"),
    "answers": gettext_lazy("Kompletterande frågor"),
}
_CODE_LISTS = {
    "income_sources": CodeList.INCOME_SOURCE,
    "education_level": CodeList.EDUCATION_LEVEL,
    "public_support_duration": CodeList.PUBLIC_SUPPORT_DURATION,
    "step": CodeList.PROGRESSION_STEP,
}


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Correction:
    at: dt.datetime
    actor: str
    what: str
    changes: list[Change]


def _label(names: dict[tuple[str, str], str], name: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if name == "activities":
        return ", ".join(
            f"{names.get((CodeList.ACTIVITY, k), k)} {pct} %" for k, pct in value
        )
    if name == "income_sources":
        return ", ".join(names.get((CodeList.INCOME_SOURCE, k), k) for k in value)
    if name in _CODE_LISTS:
        return names.get((_CODE_LISTS[name], value), str(value))
    if name == "answers" and isinstance(value, dict):
        return "; ".join(f"{v}" for _k, v in sorted(value.items()))
    return str(value)


def correction_history(*, participation: Participation) -> list[Correction]:
    """Corrections of a participation read through ``participation_get``, oldest first:
    what each changed from and to, who did it and when (from the append-only audit log)."""
    measurement_ids = [
        str(i) for i in Measurement.objects.filter(participation=participation)
        .values_list("pk", flat=True)
    ]
    occasions = dict(
        Measurement.objects.filter(participation=participation).values_list("pk", "occasion")
    )
    events = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type=MEASUREMENT, object_id__in=measurement_ids
    ).order_by("at", "id")
    pairs = [
        (e, e.details.get("before") or {}, e.details.get("after") or {})
        for e in events if isinstance(e.details, dict)
    ]
    names = {(c.list, c.key): c.label for c in Code.objects.only("list", "key", "label")}
    labels = dict(Measurement._meta.get_field("occasion").choices)
    result = []
    for event, before, after in pairs:
        changes = [
            Change(label, _label(names, key, before.get(key)), _label(names, key, after.get(key)))
            for key, label in FIELD_LABELS.items()
            if before.get(key) != after.get(key)
        ]
        occasion = occasions.get(int(event.object_id), event.details.get("occasion", ""))
        result.append(
            Correction(
                at=event.at,
                actor=event.actor_username,
                what=str(labels.get(occasion, occasion)),
                changes=changes,
            )
        )
    return result


def erased_at(*, participation: Participation) -> dt.datetime | None:
    """When gallring erased a participation read through ``participation_get`` (or None)."""
    return (
        RetentionErasure.objects.filter(participation=participation)
        .values_list("erased_at", flat=True)
        .first()
    )


# --- legal holds -----------------------------------------------------------------------------


def _admin_of(user: Any) -> set[int]:
    """Förbund where ``user`` is förbundsadministratör (holds are theirs to decide)."""
    return {
        aid for aid, roles in scope.grants(user).by_association.items()
        if Role.ASSOCIATION_ADMIN in roles
    }


def _hold_scope(user: Any) -> Q:
    return Q(intervention_id__in=scope.assigned_intervention_ids(user)) | Q(
        intervention__association_id__in=_admin_of(user)
    )


def participation_for_hold(*, user: Any, pk: int) -> Participation:
    """A participation whose holds ``user`` may manage (404 otherwise); no personal data."""
    participation = (
        Participation.objects.filter(_hold_scope(user), pk=pk)
        .select_related("intervention__association")
        .first()
    )
    if participation is None:
        raise Http404
    return participation


def holds_of(*, participation: Participation) -> QuerySet[LegalHold]:
    """Holds of a participation read through ``participation_for_hold``, newest first."""
    return LegalHold.objects.filter(participation=participation).select_related(
        "placed_by", "released_by"
    )


def hold_get(*, user: Any, pk: int) -> LegalHold:
    hold = (
        LegalHold.objects.filter(pk=pk, participation__in=Participation.objects.filter(
            _hold_scope(user)))
        .select_related("participation__intervention__association")
        .first()
    )
    if hold is None:
        raise Http404
    return hold


def active_holds(
    *, user: Any, association_id: int
) -> tuple[Association, QuerySet[LegalHold]]:
    """Active holds in one förbund, for its förbundsadministratör (403/404 otherwise)."""
    association = scope.get_association(user, association_id, Capability.MANAGE_ASSOCIATION)
    if association.pk not in _admin_of(user):
        scope.deny(user, Capability.MANAGE_ASSOCIATION, association)
    return association, (
        LegalHold.objects.filter(
            released_at__isnull=True, participation__intervention__association=association
        )
        .select_related("participation__intervention", "placed_by")
        .order_by("-placed_at")
    )
