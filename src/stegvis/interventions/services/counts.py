"""Writes of insatser, budgets, assignments and counts. Each one transactional and audited.

Permission is checked before the transaction opens, so that a refusal's own audit event
(PERMISSION_DENIED) is kept even though nothing else is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Capability, Role
from stegvis.associations.models import Association, Membership, Organisation
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.indicators import versions
from stegvis.interventions import domain
from stegvis.interventions.domain import RuleError
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetKind,
    BudgetLine,
    FollowUpMethod,
    Intervention,
    InterventionAssignment,
    InterventionYear,
    Orientation,
    VolumeCount,
)
from stegvis.lib import dates
from stegvis.reference.models import Code, CodeList

EDITABLE_FIELDS = (
    "name",
    "description",
    "precise_orientation",
    "target_groups",
    "organiser",
    "parties",
    "start_date",
    "end_date",
    "controller",
)


def _raise(errors: Sequence[RuleError]) -> None:
    if errors:
        grouped: dict[str, list[str]] = {}
        for e in errors:
            grouped.setdefault(e.field, []).append(e.message)
        raise ValidationError(grouped)


def _require_manage(actor: Any, association: Association) -> None:
    scope.require(actor, Capability.MANAGE_INTERVENTIONS, association)


def _member_ids(association: Association) -> set[int]:
    return set(
        Membership.objects.filter(association=association).values_list("organisation_id", flat=True)
    )


def _check_fields(
    *,
    association: Association,
    name: str,
    precise_orientation: Code | None,
    target_groups: Sequence[Code],
    organiser: Organisation | None,
    parties: Sequence[Organisation],
    controller: Organisation | None,
    start_date: dt.date | None,
    end_date: dt.date | None,
    description: str | None = None,
) -> list[RuleError]:
    errors: list[RuleError] = []
    today = timezone.localdate()
    errors += domain.text_errors(
        {"name": ("Namn", name), "description": ("Beskrivning", description)}, today=today
    )
    if not (name or "").strip():
        errors.append(RuleError("name", "Namn: ange insatsens namn."))
    elif len(name.strip()) > 200:
        errors.append(RuleError("name", "Namn: högst 200 tecken."))
    if precise_orientation is not None and precise_orientation.list != CodeList.PRECISE_ORIENTATION:
        errors.append(RuleError("precise_orientation", "Preciserad inriktning: okänd kod."))
    if not target_groups:
        errors.append(RuleError("target_groups", "Målgrupper: välj minst en målgrupp."))
    elif any(c.list != CodeList.TARGET_GROUP for c in target_groups):
        errors.append(RuleError("target_groups", "Målgrupper: okänd kod."))
    members = _member_ids(association)
    if organiser is None:
        errors.append(RuleError("organiser", "Anordnare: välj den part som anordnar insatsen."))
    elif organiser.pk not in members:
        errors.append(RuleError("organiser", "Anordnare: måste vara medlem i förbundet."))
    if controller is None:
        errors.append(RuleError("controller", "Personuppgiftsansvarig: välj en organisation."))
    elif controller.pk not in members:
        errors.append(
            RuleError("controller", "Personuppgiftsansvarig: måste vara medlem i förbundet.")
        )
    if any(p.pk not in members for p in parties):
        errors.append(
            RuleError("parties", "Deltagande parter: alla parter måste vara medlemmar i förbundet.")
        )
    kinds = [p.kind for p in parties] + ([organiser.kind] if organiser is not None else [])
    errors += domain.party_errors(kinds)
    errors += domain.date_errors(start_date, end_date, today=today)
    return errors


def _parties_with_organiser(
    parties: Iterable[Organisation], organiser: Organisation | None
) -> list[Organisation]:
    """The organiser always takes part: it is added to the parties if missing."""
    result = {p.pk: p for p in parties}
    if organiser is not None:
        result.setdefault(organiser.pk, organiser)
    return list(result.values())


def _snapshot(intervention: Intervention) -> dict[str, Any]:
    """Audit-safe description of an insats (ids and plain values only)."""
    return {
        "name": intervention.name,
        "description": intervention.description,
        "orientation": intervention.orientation,
        "precise_orientation": intervention.precise_orientation_id,
        "target_groups": sorted(intervention.target_groups.values_list("pk", flat=True)),
        "follow_up_method": intervention.follow_up_method,
        "esf_cofunded": intervention.esf_cofunded,
        "organiser": intervention.organiser_id,
        "parties": sorted(intervention.parties.values_list("pk", flat=True)),
        "start_date": intervention.start_date.isoformat() if intervention.start_date else None,
        "end_date": intervention.end_date.isoformat() if intervention.end_date else None,
        "controller": intervention.controller_id,
    }


def intervention_create(
    *,
    actor: Any,
    association: Association,
    name: str,
    orientation: str,
    follow_up_method: str,
    organiser: Organisation | None,
    parties: Iterable[Organisation],
    controller: Organisation | None,
    start_date: dt.date | None,
    target_groups: Iterable[Code] = (),
    description: str = "",
    precise_orientation: Code | None = None,
    esf_cofunded: bool = False,
    end_date: dt.date | None = None,
) -> Intervention:
    """Create an insats in ``association``. The organiser is always one of the parties."""
    _require_manage(actor, association)
    target_groups = list(target_groups)
    all_parties = _parties_with_organiser(parties, organiser)
    errors: list[RuleError] = []
    if orientation not in Orientation.values:
        errors.append(
            RuleError("orientation", "Inriktning: välj individinriktad eller strukturövergripande.")
        )
    if follow_up_method not in FollowUpMethod.values:
        errors.append(
            RuleError(
                "follow_up_method", "Uppföljningsmetod: välj identifierad, anonym eller volym."
            )
        )
    errors += _check_fields(
        association=association,
        name=name,
        precise_orientation=precise_orientation,
        target_groups=target_groups,
        organiser=organiser,
        parties=all_parties,
        controller=controller,
        start_date=start_date,
        end_date=end_date,
        description=description,
    )
    _raise(errors)
    with transaction.atomic():
        intervention = Intervention.objects.create(
            association=association,
            name=name.strip(),
            description=description.strip(),
            orientation=orientation,
            precise_orientation=precise_orientation,
            follow_up_method=follow_up_method,
            esf_cofunded=bool(esf_cofunded),
            organiser=organiser,
            start_date=start_date,
            end_date=end_date,
            controller=controller,
        )
        intervention.target_groups.set(target_groups)
        intervention.parties.set(all_parties)
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=intervention,
            association=association,
            details=_snapshot(intervention),
        )
    return intervention


_UNSET: Any = object()


def intervention_update(*, actor: Any, intervention: Intervention, **changes: Any) -> Intervention:
    """Change an insats. Orientation, follow-up method and ESF co-funding are refused.

    ``changes`` holds any of the editable fields; passing a locked field with its current
    value is accepted (an API client may send the whole object).
    """
    _require_manage(actor, intervention.association)
    unknown = set(changes) - set(EDITABLE_FIELDS) - set(domain.IMMUTABLE_FIELDS)
    if unknown:
        raise ValidationError(
            {f: ["Fältet finns inte eller kan inte ändras."] for f in sorted(unknown)}
        )
    current = {f: getattr(intervention, f) for f in domain.IMMUTABLE_FIELDS}
    _raise(domain.immutable_errors(current, changes))

    def value(field: str) -> Any:
        return changes.get(field, _UNSET)

    name = changes.get("name", intervention.name)
    target_groups = (
        list(changes["target_groups"])
        if "target_groups" in changes
        else list(intervention.target_groups.all())
    )
    organiser = changes.get("organiser", intervention.organiser)
    parties = _parties_with_organiser(
        changes["parties"] if "parties" in changes else intervention.parties.all(), organiser
    )
    new = {
        "name": name,
        "precise_orientation": changes.get("precise_orientation", intervention.precise_orientation),
        "organiser": organiser,
        "controller": changes.get("controller", intervention.controller),
        "start_date": changes.get("start_date", intervention.start_date),
        "end_date": changes.get("end_date", intervention.end_date),
    }
    _raise(
        _check_fields(
            association=intervention.association,
            target_groups=target_groups,
            parties=parties,
            description=changes.get("description"),
            **new,
        )
    )
    with transaction.atomic():
        locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
        before = _snapshot(locked)
        locked.name = new["name"].strip()
        if value("description") is not _UNSET:
            locked.description = (changes["description"] or "").strip()
        locked.precise_orientation = new["precise_orientation"]
        locked.organiser = new["organiser"]
        locked.controller = new["controller"]
        locked.start_date = new["start_date"]
        locked.end_date = new["end_date"]
        locked.save()
        locked.target_groups.set(target_groups)
        locked.parties.set(parties)
        after = _snapshot(locked)
        changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=locked,
            association=locked.association_id,
            details={"changes": changed},
        )
    return locked


def intervention_year_set(
    *,
    actor: Any,
    intervention: Intervention,
    year: int,
    planned_participants: int,
    lines: Iterable[tuple[str, Decimal | int | None, Decimal | int | None]],
) -> InterventionYear:
    """Set one calendar year's plan: planned participants and budget lines.

    ``lines`` is ``(kind, budget, actual)`` per kind; the year's lines are replaced by these
    (a kind left out is removed). ESF lines require an ESF co-funded insats.
    """
    _require_manage(actor, intervention.association)
    errors: list[RuleError] = []
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors.append(RuleError("year", "År: ange ett årtal."))
        _raise(errors)
    errors += domain.year_errors(
        year, intervention.start_date, intervention.end_date, today=timezone.localdate()
    )
    if planned_participants is None or int(planned_participants) < 0:
        errors.append(
            RuleError(
                "planned_participants",
                "Planerat antal deltagare: ange ett heltal som är noll eller större.",
            )
        )
    cleaned: dict[str, tuple[Decimal, Decimal | None]] = {}
    labels = {BudgetKind.COST: "Insatskostnad", BudgetKind.ESF_COST: "ESF-insatskostnad"}
    for kind, budget, actual in lines:
        if kind not in BudgetKind.values:
            errors.append(RuleError("kind", "Typ av budgetrad: okänd typ."))
            continue
        label = str(labels[BudgetKind(kind)])
        if kind in cleaned:
            errors.append(RuleError(f"{kind}_budget", f"{label}: anges bara en gång per år."))
            continue
        if kind == BudgetKind.ESF_COST and not intervention.esf_cofunded:
            errors.append(
                RuleError(
                    f"{kind}_budget",
                    f"{label}: insatsen är inte ESF-medfinansierad, så ESF-kostnader kan inte "
                    "budgeteras.",
                )
            )
            continue
        errs = domain.money_errors(f"{kind}_budget", f"{label}, budget", budget, required=True)
        errs += domain.money_errors(f"{kind}_actual", f"{label}, utfall", actual, required=False)
        if actual is not None and year > timezone.localdate().year:
            # An outcome for a year that has not begun is a copy of another year's figures.
            errs.append(RuleError(
                f"{kind}_actual",
                f"{label}, utfall: år {year} har inte börjat. Lämna utfallet tomt tills året "
                "har börjat.",
            ))
        errors += errs
        if not errs:
            cleaned[kind] = (
                Decimal(int(budget)),  # type: ignore[arg-type]
                Decimal(int(actual)) if actual is not None else None,
            )
    _raise(errors)
    with transaction.atomic():
        iy, created = InterventionYear.objects.select_for_update().get_or_create(
            intervention=intervention,
            year=year,
            defaults={"planned_participants": int(planned_participants)},
        )
        before = {
            "planned_participants": None if created else iy.planned_participants,
            "lines": {
                bl.kind: [str(bl.budget), None if bl.actual is None else str(bl.actual)]
                for bl in iy.budget_lines.all()
            },
        }
        iy.planned_participants = int(planned_participants)
        iy.save()
        iy.budget_lines.exclude(kind__in=list(cleaned)).delete()
        for kind, (budget, actual) in cleaned.items():
            BudgetLine.objects.update_or_create(
                intervention_year=iy, kind=kind, defaults={"budget": budget, "actual": actual}
            )
        after = {
            "planned_participants": iy.planned_participants,
            "lines": {k: [str(b), None if a is None else str(a)] for k, (b, a) in cleaned.items()},
        }
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=iy,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "year": year, "from": before, "to": after},
        )
    return iy


def _is_officer(user: Any, association_id: int) -> bool:
    return RoleGrant.objects.filter(
        user=user, role=Role.PARTICIPANT_OFFICER.value, association_id=association_id
    ).exists()


def assignment_add(*, actor: Any, intervention: Intervention, user: Any) -> InterventionAssignment:
    """Assign a deltagaransvarig of the insats's förbund to the insats."""
    _require_manage(actor, intervention.association)
    if user is None or not getattr(user, "is_active", False):
        _raise([RuleError("user", "Deltagaransvarig: välj en aktiv användare.")])
    if not _is_officer(user, intervention.association_id):
        _raise(
            [
                RuleError(
                    "user",
                    "Deltagaransvarig: användaren har inte rollen deltagaransvarig i "
                    "förbundet och kan inte tilldelas insatsen.",
                )
            ]
        )
    if user.pk == getattr(actor, "pk", None):
        # Separation of duties: access to personal data is always given by someone else.
        _raise([RuleError("user", "Deltagaransvarig: du kan inte tilldela dig själv en insats. "
                                  "Be en annan insatsansvarig eller administratör.")])
    with transaction.atomic():
        assignment, created = InterventionAssignment.objects.get_or_create(
            intervention=intervention, user=user
        )
        if not created:
            _raise([RuleError("user", "Deltagaransvarig: är redan tilldelad insatsen.")])
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=assignment,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "user": user.pk},
        )
    return assignment


def assignment_remove(*, actor: Any, intervention: Intervention, user: Any) -> None:
    _require_manage(actor, intervention.association)
    with transaction.atomic():
        assignment = (
            InterventionAssignment.objects.select_for_update()
            .filter(intervention=intervention, user=user)
            .first()
        )
        if assignment is None:
            _raise([RuleError("user", "Deltagaransvarig: är inte tilldelad insatsen.")])
        assert assignment is not None
        pk = assignment.pk
        assignment.delete()
        record_event(
            actor=actor,
            action=Action.DELETE,
            object_type="interventions.interventionassignment",
            object_id=pk,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "user": user.pk},
        )


def volume_count_record(
    *,
    actor: Any,
    intervention: Intervention,
    period_start: dt.date,
    period_end: dt.date,
    total: int,
    women: int | None = None,
    men: int | None = None,
) -> VolumeCount:
    """Record how many took part in a volume insats during a period."""
    _require_manage(actor, intervention.association)
    errors: list[RuleError] = []
    if intervention.follow_up_method != FollowUpMethod.VOLUME:
        errors.append(
            RuleError(
                "total",
                "Antal totalt: volymräkning kan bara registreras för insatser som följs upp "
                "med volym.",
            )
        )
    if period_start is None:
        errors.append(RuleError("period_start", "Periodens början: ange ett datum."))
    if period_end is None:
        errors.append(RuleError("period_end", "Periodens slut: ange ett datum."))
    if total is None:
        errors.append(RuleError("total", "Antal totalt: ange ett antal."))
    _raise(errors)
    errors += domain.volume_errors(
        period_start, period_end, total, women, men, today=timezone.localdate()
    )
    if period_start < intervention.start_date or (
        intervention.end_date is not None and period_end > intervention.end_date
    ):
        errors.append(
            RuleError("period_start", "Periodens början: perioden måste ligga inom insatsens tid.")
        )
    overlapping = VolumeCount.objects.filter(
        intervention=intervention, period_start__lte=period_end, period_end__gte=period_start
    ).exists()
    if overlapping:
        errors.append(
            RuleError(
                "period_start",
                "Periodens början: perioden överlappar en redan registrerad period.",
            )
        )
    _raise(errors)
    with transaction.atomic():
        vc = VolumeCount.objects.create(
            intervention=intervention,
            period_start=period_start,
            period_end=period_end,
            total=total,
            women=women,
            men=men,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            obj=vc,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "period_start": period_start.isoformat(),
                "period_end": period_end.isoformat(),
                "total": total,
                "women": women,
                "men": men,
            },
        )
    return vc


def _check_anonymous(intervention: Intervention, start_year: int) -> list[RuleError]:
    errors: list[RuleError] = []
    if intervention.follow_up_method == FollowUpMethod.VOLUME:
        errors.append(
            RuleError(
                "start_year",
                "Startår: anonyma räkningar kan inte registreras för en insats som följs upp "
                "med volym.",
            )
        )
    if start_year is None:
        errors.append(RuleError("start_year", "Startår: ange ett år."))
    elif problem := dates.year_problem("Startår", start_year, today=timezone.localdate()):
        errors.append(RuleError("start_year", problem))
    else:
        last = intervention.end_date.year if intervention.end_date else None
        if start_year < intervention.start_date.year or (last is not None and start_year > last):
            errors.append(
                RuleError(
                    "start_year",
                    "Startår: deltagare kan bara ha startat under insatsens tid "
                    f"({intervention.start_date.year}–{last or ''}).",
                )
            )
    return errors


def anonymous_count_set(
    *, actor: Any, intervention: Intervention, start_year: int, women: int, men: int
) -> AnonymousCount:
    """Set the anonymous count of women and men who started in ``start_year``."""
    _require_manage(actor, intervention.association)
    errors = _check_anonymous(intervention, start_year)
    if women is None or men is None:
        errors.append(RuleError("women", "Kvinnor: ange antal kvinnor och män."))
    else:
        errors += domain.count_errors(women, men)
    _raise(errors)
    with transaction.atomic():
        ac, created = AnonymousCount.objects.select_for_update().get_or_create(
            intervention=intervention, start_year=start_year
        )
        before = None if created else {"women": ac.women, "men": ac.men}
        ac.women, ac.men = women, men
        ac.save()
        record_event(
            actor=actor,
            action=Action.CREATE if created else Action.UPDATE,
            obj=ac,
            association=intervention.association_id,
            details={
                "intervention": intervention.pk,
                "start_year": start_year,
                "from": before,
                "to": {"women": women, "men": men},
            },
        )
    return ac


def anonymous_count_add(
    *, actor: Any, intervention: Intervention, start_year: int, sex: str
) -> AnonymousCount:
    """Add one person (``sex`` "K" or "M") to the anonymous count of ``start_year``.

    Used when a participant withdraws consent or has protected identity. Allowed for users
    who manage insatser in the förbund and for the deltagaransvarig assigned to the insats.
    The audit event holds only the insats, year and sex, never the person.
    """
    if intervention.pk not in scope.assigned_intervention_ids(actor):
        _require_manage(actor, intervention.association)
    errors = _check_anonymous(intervention, start_year)
    if sex not in ("K", "M"):
        errors.append(RuleError("sex", "Kön: ange K (kvinna) eller M (man)."))
    _raise(errors)
    field = "women" if sex == "K" else "men"
    with transaction.atomic():
        ac, _created = AnonymousCount.objects.select_for_update().get_or_create(
            intervention=intervention, start_year=start_year
        )
        AnonymousCount.objects.filter(pk=ac.pk).update(**{field: F(field) + 1})
        versions.bump([intervention.association_id])  # .update() sends no signal (ADR 0012)
        ac.refresh_from_db()
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=ac,
            association=intervention.association_id,
            details={"intervention": intervention.pk, "start_year": start_year, "added": sex},
        )
    return ac
