"""Writes for money: each is one transaction with its audit event; nothing is saved on error.

Who may:
- a förbund's money (frame, contributions, payments, budget, actual costs) is edited by users
  with MANAGE_ASSOCIATION in that förbund (its förbundsadministratör; a systemadministratör
  holds it everywhere). Others get 404 (no role there) or 403 (a role, but not this one).
- the national model (parameters, inputs, decided allocations) by a systemadministratör only.
- a förhandsbesked by the förbund's administrator or a systemadministratör.

Decisions:
- Amounts are whole kronor and never negative (an eget kapital below zero is not handled).
- Contributions are computed from the frame and the förbund's funding key when the frame is
  set, and stored per member (the key of that moment is frozen into the year). Members are the
  organisations with a membership period overlapping the year. Arbetsförmedlingen pays no
  contribution of its own (its share is within Försäkringskassan's half).
- A budget version is an *utkast* until adopted (*fastställd*) with a decision date; then it is
  locked and a change means a new version (copied from the latest). The insatser's part is the
  sum of their own budget lines for the year, frozen per insats when the version is adopted.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from stegvis.access import scope
from stegvis.access.roles import Capability, Role
from stegvis.associations import rules_pure as arp
from stegvis.associations.models import (
    AreaPart,
    Association,
    FundingShare,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance import csv_import, figures, money
from stegvis.finance.models import (
    AdvanceNotice,
    AllocationInput,
    AllocationKommunInput,
    AllocationParameters,
    Budget,
    BudgetInterventionLine,
    BudgetStatus,
    DecidedAllocation,
    EquityScaleStep,
    FinanceYear,
    MemberContribution,
)
from stegvis.finance.numbers import NumberError, parse_decimal, parse_kronor
from stegvis.interventions.models import BudgetLine
from stegvis.reference.models import Municipality

YEAR_MIN, YEAR_MAX = 2004, 2100
F = TypeVar("F", bound=Callable[..., Any])


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, [])
        if message not in self.by_field[field]:
            self.by_field[field].append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(
                {f: [ValidationError(m) for m in ms] for f, ms in self.by_field.items()}
            )


def _kronor(errors: _Errors, field: str, label: str, value: Any, *, required: bool = True
            ) -> int | None:
    try:
        number = parse_kronor(value)
    except NumberError as error:
        errors.add(field, error.message(label))
        return None
    if number is None and required:
        errors.add(field, f"{label}: ange ett belopp i hela kronor.")
    return number


def _today() -> dt.date:
    return timezone.localdate()


def _require_manage(actor: Any, association: Association) -> None:
    scope.require(actor, Capability.MANAGE_ASSOCIATION, association)


def _require_system_admin(actor: Any) -> None:
    if not scope.has_role(actor, Role.SYSTEM_ADMIN):
        scope.deny(actor, Capability.MANAGE_ASSOCIATION, None)


def _service(guard: Callable[[dict[str, Any]], None]) -> Callable[[F], F]:
    """Check permission first (a refusal is audited and must not be rolled back), then run the
    write in one transaction."""

    def decorator(function: F) -> F:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> Any:
            guard(kwargs)
            with transaction.atomic():
                return function(**kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def _manage_of(name: str) -> Callable[[dict[str, Any]], None]:
    def guard(kwargs: dict[str, Any]) -> None:
        obj = kwargs[name]
        association = (
            obj if isinstance(obj, Association)
            else obj.association if isinstance(obj, FinanceYear)
            else obj.finance_year.association
        )
        _require_manage(kwargs["actor"], association)

    return guard


def _national(kwargs: dict[str, Any]) -> None:
    _require_system_admin(kwargs["actor"])


def _check_year(errors: _Errors, association: Association, year: Any) -> int | None:
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors.add("year", "År: ange ett årtal med fyra siffror.")
        return None
    first = association.founded.year
    last = association.dissolved.year if association.dissolved else None
    if year < first or (last is not None and year > last) or not YEAR_MIN <= year <= YEAR_MAX:
        span = f"{first}–{last}" if last else f"från {first}"
        errors.add(
            "year",
            f"År: {year} ligger utanför förbundets verksamhetstid ({span}).",
        )
        return None
    return year


# --- Contributions -------------------------------------------------------------------------


def year_members(association: Association, year: int) -> list[Organisation]:
    """Member organisations with a membership period overlapping ``year``."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = (
        Membership.objects.filter(association=association, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=set(ids)).order_by("kind", "name", "pk"))


def compute_split(association: Association, year: int, frame: int) -> money.ContributionSplit:
    """The contribution of every member for ``frame`` (raises ValidationError on a bad key)."""
    members = year_members(association, year)
    shares = {
        s.organisation_id: s.share_pct
        for s in FundingShare.objects.filter(association=association)
    }
    fk = next((o for o in members if o.kind == PartyKind.FK), None)
    regions = [o for o in members if o.kind == PartyKind.REGION]
    kommuner = [o for o in members if o.kind == PartyKind.KOMMUN]
    errors = _Errors()
    if fk is None:
        errors.add("frame", f"Försäkringskassan är inte medlem i förbundet år {year}.")
    missing = [o for o in kommuner if o.pk not in shares and len(kommuner) > 1]
    missing += [o for o in regions if o.pk not in shares and len(regions) > 1]
    for org in missing:
        errors.add(
            "frame",
            f"Fördelningsnyckeln täcker inte alla medlemmar: {org.name} saknar andel. "
            "Uppdatera fördelningsnyckeln på förbundets sida.",
        )
    errors.raise_if_any()
    assert fk is not None
    try:
        return money.split_contributions(
            frame,
            fk=money.Party(fk.pk, fk.name, money.FK),
            regions=[money.Party(o.pk, o.name, money.REGION, shares.get(o.pk)) for o in regions],
            kommuner=[money.Party(o.pk, o.name, money.KOMMUN, shares.get(o.pk)) for o in kommuner],
        )
    except money.MoneyError as error:
        raise ValidationError({"frame": error.messages}) from error


def _decimal4(value: Any) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


@_service(_manage_of('association'))
def finance_year_set(
    *,
    actor: Any,
    association: Association,
    year: Any,
    frame: Any,
    opening_equity: Any = 0,
    other_income: Any = 0,
) -> FinanceYear:
    """Create or change a year's frame, opening equity and other income; recompute the
    members' contributions (payment dates of members who remain are kept)."""
    errors = _Errors()
    year = _check_year(errors, association, year)
    frame_kr = _kronor(errors, "frame", "Ram", frame)
    opening = _kronor(errors, "opening_equity", "Ingående eget kapital", opening_equity,
                      required=False) or 0
    other = _kronor(errors, "other_income", "Övriga intäkter", other_income, required=False) or 0
    errors.raise_if_any()
    assert year is not None and frame_kr is not None
    split = compute_split(association, year, frame_kr)
    fy = FinanceYear.objects.select_for_update().filter(association=association, year=year).first()
    created = fy is None
    before = {} if fy is None else {
        "frame": int(fy.frame), "opening_equity": int(fy.opening_equity),
        "other_income": int(fy.other_income),
    }
    if fy is None:
        fy = FinanceYear.objects.create(
            association=association, year=year, frame=frame_kr, opening_equity=opening,
            other_income=other,
        )
    else:
        fy.frame, fy.opening_equity, fy.other_income = frame_kr, opening, other
        fy.save()
    paid = dict(fy.contributions.values_list("organisation_id", "paid_on"))
    fy.contributions.all().delete()
    MemberContribution.objects.bulk_create(
        [
            MemberContribution(
                finance_year=fy,
                organisation_id=row.key,
                part_pct=row.part_pct,
                share_pct=row.share_pct,
                exact=_decimal4(row.exact),
                amount=row.amount,
                sort_order=n,
                paid_on=paid.get(row.key),
            )
            for n, row in enumerate(split.rows)
        ]
    )
    record_event(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=fy,
        association=association,
        details={
            "year": year,
            "before": before,
            "after": {"frame": frame_kr, "opening_equity": opening, "other_income": other},
            "contributions": {str(r.key): r.amount for r in split.rows},
        },
    )
    return fy


@_service(_manage_of('finance_year'))
def contribution_payment_set(
    *,
    actor: Any,
    finance_year: FinanceYear,
    organisation: Organisation,
    paid_on: dt.date | None,
) -> MemberContribution:
    """Mark a member's contribution paid on ``paid_on`` (None: unpaid)."""
    errors = _Errors()
    contribution = (
        MemberContribution.objects.select_for_update()
        .filter(finance_year=finance_year, organisation=organisation)
        .first()
    )
    if contribution is None:
        errors.add(
            "organisation",
            f"{organisation.name} är inte medlem i {finance_year.association.name} år "
            f"{finance_year.year} och har inget medlemsbidrag.",
        )
    if paid_on is not None and paid_on > _today():
        errors.add("paid_on", "Betalningsdatum kan inte ligga i framtiden.")
    if paid_on is not None and paid_on.year < finance_year.year - 1:
        errors.add("paid_on", "Betalningsdatum ligger för långt före året.")
    errors.raise_if_any()
    assert contribution is not None
    before = contribution.paid_on
    contribution.paid_on = paid_on
    contribution.save(update_fields=["paid_on"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=contribution,
        association=finance_year.association,
        details={
            "year": finance_year.year,
            "organisation": organisation.pk,
            "paid_on_before": before.isoformat() if before else "",
            "paid_on": paid_on.isoformat() if paid_on else "",
        },
    )
    return contribution


@_service(_manage_of('finance_year'))
def actual_costs_set(
    *,
    actor: Any,
    finance_year: FinanceYear,
    board: Any,
    administration: Any,
    audit: Any,
) -> FinanceYear:
    """Actual costs of styrelse, administration and revision (empty: not yet known)."""
    errors = _Errors()
    values = {
        "actual_board": _kronor(errors, "board", "Utfall styrelse", board, required=False),
        "actual_administration": _kronor(
            errors, "administration", "Utfall administration", administration, required=False
        ),
        "actual_audit": _kronor(errors, "audit", "Utfall revision", audit, required=False),
    }
    errors.raise_if_any()
    fy = FinanceYear.objects.select_for_update().get(pk=finance_year.pk)
    before = {k: None if getattr(fy, k) is None else int(getattr(fy, k)) for k in values}
    for k, v in values.items():
        setattr(fy, k, v)
    fy.save()
    record_event(
        actor=actor, action=Action.UPDATE, obj=fy, association=fy.association_id,
        object_type="finance.financeyear.actual",
        details={"year": fy.year, "before": before, "after": values},
    )
    return fy


# --- Budget --------------------------------------------------------------------------------


@_service(_manage_of('finance_year'))
def budget_draft_create(*, actor: Any, finance_year: FinanceYear) -> Budget:
    """A new draft version, copied from the latest version (empty if it is the first)."""
    FinanceYear.objects.select_for_update().get(pk=finance_year.pk)
    if finance_year.budgets.filter(status=BudgetStatus.DRAFT).exists():
        raise ValidationError(
            {"__all__": ["Det finns redan ett utkast för året; ändra det i stället."]}
        )
    latest = finance_year.budgets.order_by("-version").first()
    budget = Budget.objects.create(
        finance_year=finance_year,
        version=(latest.version + 1) if latest else 1,
        board=latest.board if latest else 0,
        administration=latest.administration if latest else 0,
        audit=latest.audit if latest else 0,
    )
    record_event(
        actor=actor, action=Action.CREATE, obj=budget, association=finance_year.association_id,
        details={"year": finance_year.year, "version": budget.version,
                 "copied_from": latest.version if latest else None},
    )
    return budget


LOCKED = "Budgetversion %(version)s är fastställd och låst. Skapa en ny version för att ändra."


@_service(_manage_of('budget'))
def budget_update(
    *, actor: Any, budget: Budget, board: Any, administration: Any, audit: Any
) -> Budget:
    """Change a draft's amounts for styrelse, administration and revision."""
    budget = Budget.objects.select_for_update().select_related("finance_year").get(pk=budget.pk)
    errors = _Errors()
    if budget.is_locked:
        errors.add("__all__", LOCKED % {"version": budget.version})
        errors.raise_if_any()
    values = {
        "board": _kronor(errors, "board", "Styrelse", board),
        "administration": _kronor(errors, "administration", "Administration", administration),
        "audit": _kronor(errors, "audit", "Revision", audit),
    }
    errors.raise_if_any()
    before = {k: int(getattr(budget, k)) for k in values}
    for k, v in values.items():
        setattr(budget, k, v)
    budget.save()
    record_event(
        actor=actor, action=Action.UPDATE, obj=budget,
        association=budget.finance_year.association_id,
        details={"year": budget.finance_year.year, "version": budget.version,
                 "before": before, "after": values},
    )
    return budget


@_service(_manage_of('budget'))
def budget_adopt(*, actor: Any, budget: Budget, decided_on: dt.date | None) -> Budget:
    """Adopt (fastställ) a draft on ``decided_on``: it is locked from then on."""
    association = budget.finance_year.association
    budget = Budget.objects.select_for_update().select_related("finance_year").get(pk=budget.pk)
    errors = _Errors()
    if budget.is_locked:
        errors.add("__all__", LOCKED % {"version": budget.version})
    if decided_on is None:
        errors.add("decided_on", "Beslutsdatum: ange datum för styrelsens beslut.")
    elif decided_on > _today():
        errors.add("decided_on", "Beslutsdatum kan inte ligga i framtiden.")
    errors.raise_if_any()
    year = budget.finance_year.year
    lines: dict[int, list[Any]] = {}
    for line in BudgetLine.objects.filter(
        intervention_year__intervention__association=association, intervention_year__year=year
    ).select_related("intervention_year__intervention"):
        intervention = line.intervention_year.intervention
        entry = lines.setdefault(intervention.pk, [intervention.name, 0])
        entry[1] += int(line.budget)
    BudgetInterventionLine.objects.bulk_create(
        [BudgetInterventionLine(budget=budget, intervention_id=pk, name=name, amount=amount)
         for pk, (name, amount) in lines.items()]
    )
    budget.interventions_total = sum(amount for _n, amount in lines.values())
    budget.status = BudgetStatus.ADOPTED
    budget.decided_on = decided_on
    budget.save()
    # Older adopted versions stay as history; the newest adopted one is the current budget.
    record_event(
        actor=actor, action=Action.UPDATE, obj=budget, association=association,
        details={
            "year": year, "version": budget.version, "status": "faststalld",
            "decided_on": decided_on.isoformat() if decided_on else "",
            "interventions_total": int(budget.interventions_total),
        },
    )
    return budget


# --- National model: parameters ------------------------------------------------------------


def _percent(errors: _Errors, field: str, label: str, value: Any) -> Decimal | None:
    try:
        number = parse_decimal(value)
    except NumberError as error:
        errors.add(field, error.message(label))
        return None
    if number is None:
        errors.add(field, f"{label}: ange en procentsats.")
        return None
    if not Decimal(0) <= number <= Decimal(100):
        errors.add(field, f"{label}: ange en procentsats mellan 0 och 100.")
        return None
    return number.quantize(Decimal("0.01"))


@_service(_national)
def parameters_create(
    *,
    actor: Any,
    allocation_year: Any,
    state_total: Any,
    base_amount: Any,
    key_support_pct: Any,
    key_population_pct: Any,
    age_to: Any,
    max_reduction_pct: Any,
    equity_scale: Iterable[tuple[Any, Any]],
    note: str = "",
) -> AllocationParameters:
    """A new version of an allocation year's parameters."""
    errors = _Errors()
    try:
        year = int(allocation_year)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("allocation_year", "Fördelningsår: ange ett årtal med fyra siffror.")
        year = 0
    total = _kronor(errors, "state_total", "Statens totala belopp", state_total)
    base = _kronor(errors, "base_amount", "Grundbelopp", base_amount)
    ks = _percent(errors, "key_support_pct", "Nyckel försörjningsmått", key_support_pct)
    kp = _percent(errors, "key_population_pct", "Nyckel befolkning", key_population_pct)
    cap = _percent(errors, "max_reduction_pct", "Största årliga minskning", max_reduction_pct)
    try:
        age = int(age_to)
    except (TypeError, ValueError):
        age = 0
    if age not in (64, 65):
        errors.add("age_to", "Åldersspann: välj 16–64 eller 16–65 år.")
    if ks is not None and kp is not None and ks + kp != 100:
        errors.add(
            "key_population_pct",
            f"Nycklarna ska tillsammans bli 100 % (nu {ks.normalize():f} + {kp.normalize():f} "
            f"= {(ks + kp).normalize():f} %).".replace(".", ","),
        )
    steps: list[tuple[int, Decimal]] = []
    for n, (size, pct) in enumerate(equity_scale, start=1):
        if (size in (None, "")) and (pct in (None, "")):
            continue
        s = _kronor(errors, "equity_scale", f"Skala steg {n}, från medlemsbidrag", size)
        p = _percent(errors, "equity_scale", f"Skala steg {n}, rimligt eget kapital", pct)
        if s is not None and p is not None:
            if s in {x for x, _y in steps}:
                errors.add("equity_scale", f"Skala steg {n}: storleken {s} kr finns redan.")
            steps.append((s, p))
    if not steps:
        errors.add("equity_scale", "Skalan för eget kapital: ange minst ett steg.")
    elif not any(s == 0 for s, _p in steps):
        errors.add("equity_scale", "Skalan för eget kapital: första steget ska börja på 0 kr.")
    errors.raise_if_any()
    latest = AllocationParameters.objects.filter(allocation_year=year).aggregate(v=Max("version"))
    parameters = AllocationParameters.objects.create(
        allocation_year=year, version=(latest["v"] or 0) + 1, state_total=total,
        base_amount=base, key_support_pct=ks, key_population_pct=kp, age_from=16, age_to=age,
        max_reduction_pct=cap, note=(note or "").strip()[:500],
    )
    EquityScaleStep.objects.bulk_create(
        [EquityScaleStep(parameters=parameters, from_size=s, max_equity_pct=p)
         for s, p in sorted(steps)]
    )
    record_event(
        actor=actor, action=Action.CREATE, obj=parameters,
        details={
            "allocation_year": year, "version": parameters.version, "state_total": total,
            "base_amount": base, "key_support_pct": str(ks), "key_population_pct": str(kp),
            "age": f"16-{age}", "max_reduction_pct": str(cap),
            "equity_scale": [[s, str(p)] for s, p in sorted(steps)],
        },
    )
    return parameters


# --- National model: import ----------------------------------------------------------------


def import_check(allocation_year: int, text: str) -> csv_import.Parsed:
    """Parse and check a CSV against the database; every row gets its problems (no writes)."""
    parsed = csv_import.parse(text)
    if parsed.problems:
        return parsed
    codes = {r.kommunkod for r in parsed.rows if r.kommunkod}
    known = set(Municipality.objects.filter(code__in=codes).values_list("code", flat=True))
    associations = list(Association.objects.all())
    day_start, day_end = dt.date(allocation_year, 1, 1), dt.date(allocation_year, 12, 31)
    active = [
        a for a in associations
        if a.founded <= day_end and (a.dissolved is None or a.dissolved >= day_start)
    ]
    areas: dict[str, list[int]] = {}
    for part in AreaPart.objects.filter(association__in=active).order_by("association_id"):
        owners = areas.setdefault(part.municipality_id, [])
        if part.association_id not in owners:
            owners.append(part.association_id)
    csv_import.assign(
        parsed,
        csv_import.Area(
            known_kommuner=known,
            associations_by_org_number={a.org_number: a.pk for a in active},
            names={a.pk: a.name for a in associations},
            areas=areas,
        ),
        arp.normalise_org_number,
    )
    return parsed


def association_names() -> dict[int, str]:
    return dict(Association.objects.values_list("pk", "name"))


@_service(_national)
def allocation_inputs_import(*, actor: Any, allocation_year: Any, text: str
                             ) -> list[csv_import.Total]:
    """Replace the year's inputs with the CSV's (all or nothing)."""
    try:
        year = int(allocation_year)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"allocation_year": ["Fördelningsår: ange ett årtal med fyra siffror."]}
        ) from exc
    parsed = import_check(year, text)
    if not parsed.ok:
        messages = list(parsed.problems) + [
            f"Rad {r.line}: {p}" for r in parsed.rows for p in r.problems
        ]
        raise ValidationError({"file": messages})
    totals = csv_import.totals(parsed, association_names())
    AllocationInput.objects.filter(allocation_year=year).delete()
    AllocationKommunInput.objects.filter(allocation_year=year).delete()
    AllocationInput.objects.bulk_create(
        [AllocationInput(allocation_year=year, association_id=t.association,
                         support_measure=t.support_measure, population=t.population)
         for t in totals]
    )
    AllocationKommunInput.objects.bulk_create(
        [AllocationKommunInput(allocation_year=year, municipality_id=r.kommunkod,
                               association_id=r.association if r.forbund else None,
                               support_measure=r.support_measure, population=r.population)
         for r in parsed.rows if r.kommunkod]
    )
    record_event(
        actor=actor, action=Action.CREATE, object_type="finance.allocationinput",
        object_id=year,
        details={
            "allocation_year": year, "rows": len(parsed.rows),
            # numbers, not strings: long digit strings look like personnummer to the guard
            "associations": {str(t.association): [float(t.support_measure), t.population]
                             for t in totals},
        },
    )
    return totals


# --- Förhandsbesked and decided allocation -------------------------------------------------


@_service(_manage_of('association'))
def advance_notice_set(
    *,
    actor: Any,
    association: Association,
    allocation_year: int,
    requested: Any,
    received_on: dt.date | None = None,
) -> AdvanceNotice:
    """A förbund's förhandsbesked: at most the model's amount for it."""
    errors = _Errors()
    amount = _kronor(errors, "requested", "Begärt belopp", requested)
    if received_on is not None and received_on > _today():
        errors.add("received_on", "Mottaget: datumet kan inte ligga i framtiden.")
    errors.raise_if_any()
    calc = figures.calculation(allocation_year)
    row = calc.result.by_key().get(association.pk) if calc.result else None
    if row is None:
        errors.add(
            "requested",
            f"Modellen har inget belopp för {association.name} år {allocation_year} "
            "(parametrar eller indata saknas).",
        )
    elif amount is not None and amount > row.amount:
        errors.add(
            "requested",
            f"Begärt belopp ({amount} kr) får inte vara större än modellens belopp "
            f"({row.amount} kr).",
        )
    errors.raise_if_any()
    assert row is not None and amount is not None
    notice, created = AdvanceNotice.objects.update_or_create(
        allocation_year=allocation_year, association=association,
        defaults={"requested": amount, "model_amount": row.amount,
                  "received_on": received_on or _today()},
    )
    record_event(
        actor=actor, action=Action.CREATE if created else Action.UPDATE, obj=notice,
        association=association,
        details={"allocation_year": allocation_year, "requested": amount,
                 "model_amount": row.amount},
    )
    return notice


@_service(_national)
def allocation_decide(
    *,
    actor: Any,
    allocation_year: Any,
    amounts: Mapping[int, Any],
    decided_on: dt.date | None,
) -> list[DecidedAllocation]:
    """Decide the year's allocation per förbund (also used to enter earlier years' decisions,
    which the cap on reductions compares with). An empty amount leaves a förbund out."""
    errors = _Errors()
    try:
        year = int(allocation_year)
    except (TypeError, ValueError):
        errors.add("allocation_year", "Fördelningsår: ange ett årtal med fyra siffror.")
        errors.raise_if_any()
    if decided_on is None:
        errors.add("decided_on", "Beslutsdatum: ange datum för beslutet.")
    elif decided_on > _today():
        errors.add("decided_on", "Beslutsdatum kan inte ligga i framtiden.")
    names = association_names()
    notices = {n.association_id: n for n in AdvanceNotice.objects.filter(allocation_year=year)}
    cleaned: dict[int, int] = {}
    for association_id, value in amounts.items():
        name = names.get(int(association_id))
        if name is None:
            errors.add("amounts", f"Okänt förbund ({association_id}).")
            continue
        amount = _kronor(errors, f"amount_{association_id}", name, value, required=False)
        if amount is None:
            continue
        notice = notices.get(int(association_id))
        if notice is not None and amount > notice.requested:
            errors.add(
                f"amount_{association_id}",
                f"{name}: beslutat belopp ({amount} kr) är större än förhandsbeskedet "
                f"({int(notice.requested)} kr).",
            )
        cleaned[int(association_id)] = amount
    if not cleaned and not errors:
        errors.add("amounts", "Ange minst ett beslutat belopp.")
    parameters = figures.current_parameters(year)
    total = sum(cleaned.values())
    if parameters is not None and total > parameters.state_total:
        errors.add(
            "amounts",
            f"Summan av de beslutade beloppen ({total} kr) är större än statens totala belopp "
            f"({int(parameters.state_total)} kr).",
        )
    errors.raise_if_any()
    assert decided_on is not None
    result = []
    for association_id, amount in cleaned.items():
        decided, _created = DecidedAllocation.objects.update_or_create(
            allocation_year=year, association_id=association_id,
            defaults={"amount": amount, "decided_on": decided_on},
        )
        result.append(decided)
    record_event(
        actor=actor, action=Action.UPDATE, object_type="finance.decidedallocation",
        object_id=year,
        details={"allocation_year": year, "decided_on": decided_on.isoformat(),
                 "amounts": {str(k): v for k, v in cleaned.items()}},
    )
    return result
