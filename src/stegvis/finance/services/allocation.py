"""The national allocation model: parameters, the imported inputs, förhandsbesked and the decided
allocation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from stegvis.associations import rules_pure as arp
from stegvis.associations.models import (
    AreaPart,
    Association,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance import csv_import, figures
from stegvis.finance.models import (
    AdvanceNotice,
    AllocationInput,
    AllocationKommunInput,
    AllocationParameters,
    DecidedAllocation,
    EquityScaleStep,
)
from stegvis.finance.numbers import NumberError, parse_decimal
from stegvis.finance.services._common import (
    YEAR_MAX,
    YEAR_MIN,
    _kronor,
    _manage_of,
    _national,
    _today,
)
from stegvis.lib.errors import Errors
from stegvis.lib.services import service
from stegvis.reference.models import Municipality

# --- National model: parameters ------------------------------------------------------------


def _percent(errors: Errors, field: str, label: str, value: Any) -> Decimal | None:
    try:
        number = parse_decimal(value)
    except NumberError as error:
        errors.add(field, error.message(label))
        return None
    if number is None:
        errors.add(field, _("%(label)s: ange en procentsats.") % {"label": label})
        return None
    if not Decimal(0) <= number <= Decimal(100):
        errors.add(field, _("%(label)s: ange en procentsats mellan 0 och 100.") % {"label": label})
        return None
    return number.quantize(Decimal("0.01"))


def _keys_make_100(errors: Errors, ks: Decimal, kp: Decimal) -> None:
    """The two keys of the model share 100 %."""
    if ks + kp != 100:
        errors.add(
            "key_population_pct",
            _(
                "Nycklarna ska tillsammans bli 100 %% "
                "(nu %(support)s + %(population)s = %(sum)s %%)."
            )
            % {
                "support": f"{ks.normalize():f}".replace(".", ","),
                "population": f"{kp.normalize():f}".replace(".", ","),
                "sum": f"{(ks + kp).normalize():f}".replace(".", ","),
            },
        )


def _equity_steps(
    errors: Errors, equity_scale: Iterable[tuple[Any, Any]]
) -> list[tuple[int, Decimal]]:
    """The equity scale's filled-in steps; one starts at 0 kr and no size repeats."""
    steps: list[tuple[int, Decimal]] = []
    for n, (size, pct) in enumerate(equity_scale, start=1):
        if (size in (None, "")) and (pct in (None, "")):
            continue
        s = _kronor(
            errors, "equity_scale", _("Skala steg %(n)s, från medlemsbidrag") % {"n": n}, size
        )
        p = _percent(
            errors, "equity_scale", _("Skala steg %(n)s, rimligt eget kapital") % {"n": n}, pct
        )
        if s is not None and p is not None:
            if s in {x for x, _y in steps}:
                errors.add(
                    "equity_scale",
                    _("Skala steg %(n)s: storleken %(s)s kr finns redan.") % {"n": n, "s": s},
                )
            steps.append((s, p))
    if not steps:
        errors.add("equity_scale", _("Skalan för eget kapital: ange minst ett steg."))
    elif not any(s == 0 for s, _p in steps):
        errors.add("equity_scale", _("Skalan för eget kapital: första steget ska börja på 0 kr."))
    return steps


@service(_national)
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
    errors = Errors()
    try:
        year = int(allocation_year)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError
    except (TypeError, ValueError):
        errors.add("allocation_year", _("Fördelningsår: ange ett årtal med fyra siffror."))
        year = 0
    total = _kronor(errors, "state_total", _("Statens totala belopp"), state_total)
    base = _kronor(errors, "base_amount", _("Grundbelopp"), base_amount)
    ks = _percent(errors, "key_support_pct", _("Nyckel försörjningsmått"), key_support_pct)
    kp = _percent(errors, "key_population_pct", _("Nyckel befolkning"), key_population_pct)
    cap = _percent(errors, "max_reduction_pct", _("Största årliga minskning"), max_reduction_pct)
    try:
        age = int(age_to)
    except (TypeError, ValueError):
        age = 0
    if age not in (64, 65):
        errors.add("age_to", _("Åldersspann: välj 16–64 eller 16–65 år."))
    if ks is not None and kp is not None:
        _keys_make_100(errors, ks, kp)
    steps = _equity_steps(errors, equity_scale)
    errors.raise_if_any()
    # _kronor and _percent record an error for every value they return as None.
    assert total is not None and base is not None
    assert ks is not None and kp is not None and cap is not None
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


@service(_national)
def allocation_inputs_import(*, actor: Any, allocation_year: Any, text: str
                             ) -> list[csv_import.Total]:
    """Replace the year's inputs with the CSV's (all or nothing)."""
    try:
        year = int(allocation_year)
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise ValueError
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {"allocation_year": [_("Fördelningsår: ange ett årtal med fyra siffror.")]}
        ) from exc
    parsed = import_check(year, text)
    if not parsed.ok:
        messages = list(parsed.problems) + [
            _("Rad %(line)s: %(problem)s") % {"line": r.line, "problem": p}
            for r in parsed.rows
            for p in r.problems
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
    kommun_rows = []
    for r in parsed.rows:
        if not r.kommunkod:
            continue
        # A parsed file without problems has both figures on every row.
        assert r.support_measure is not None and r.population is not None
        kommun_rows.append(
            AllocationKommunInput(allocation_year=year, municipality_id=r.kommunkod,
                                  association_id=r.association if r.forbund else None,
                                  support_measure=r.support_measure, population=r.population)
        )
    AllocationKommunInput.objects.bulk_create(kommun_rows)
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


@service(_manage_of('association'))
def advance_notice_set(
    *,
    actor: Any,
    association: Association,
    allocation_year: int,
    requested: Any,
    received_on: dt.date | None = None,
) -> AdvanceNotice:
    """A förbund's förhandsbesked: at most the model's amount for it."""
    errors = Errors()
    amount = _kronor(errors, "requested", _("Begärt belopp"), requested)
    if received_on is not None and received_on > _today():
        errors.add("received_on", _("Mottaget: datumet kan inte ligga i framtiden."))
    errors.raise_if_any()
    calc = figures.calculation(allocation_year)
    row = calc.result.by_key().get(association.pk) if calc.result else None
    if row is None:
        errors.add(
            "requested",
            _(
                "Modellen har inget belopp för %(name)s år %(allocation_year)s "
                "(parametrar eller indata saknas)."
            )
            % {"name": association.name, "allocation_year": allocation_year},
        )
    elif amount is not None and amount > row.amount:
        errors.add(
            "requested",
            _(
                "Begärt belopp (%(amount)s kr) får inte vara större än modellens belopp "
                "(%(model_amount)s kr)."
            )
            % {"amount": amount, "model_amount": row.amount},
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


@service(_national)
def allocation_decide(
    *,
    actor: Any,
    allocation_year: Any,
    amounts: Mapping[int, Any],
    decided_on: dt.date | None,
) -> list[DecidedAllocation]:
    """Decide the year's allocation per förbund (also used to enter earlier years' decisions,
    which the cap on reductions compares with). An empty amount leaves a förbund out."""
    errors = Errors()
    try:
        year = int(allocation_year)
    except (TypeError, ValueError):
        errors.add("allocation_year", _("Fördelningsår: ange ett årtal med fyra siffror."))
        errors.raise_if_any()
    if decided_on is None:
        errors.add("decided_on", _("Beslutsdatum: ange datum för beslutet."))
    elif decided_on > _today():
        errors.add("decided_on", _("Beslutsdatum kan inte ligga i framtiden."))
    names = association_names()
    notices = {n.association_id: n for n in AdvanceNotice.objects.filter(allocation_year=year)}
    cleaned: dict[int, int] = {}
    for association_id, value in amounts.items():
        name = names.get(int(association_id))
        if name is None:
            errors.add(
                "amounts",
                _("Okänt förbund (%(association_id)s).") % {"association_id": association_id},
            )
            continue
        amount = _kronor(errors, f"amount_{association_id}", name, value, required=False)
        if amount is None:
            continue
        notice = notices.get(int(association_id))
        if notice is not None and amount > notice.requested:
            errors.add(
                f"amount_{association_id}",
                _(
                    "%(name)s: beslutat belopp (%(amount)s kr) är större än förhandsbeskedet "
                    "(%(notice)s kr)."
                )
                % {"name": name, "amount": amount, "notice": int(notice.requested)},
            )
        cleaned[int(association_id)] = amount
    if not cleaned and not errors:
        errors.add("amounts", _("Ange minst ett beslutat belopp."))
    parameters = figures.current_parameters(year)
    total = sum(cleaned.values())
    if parameters is not None and total > parameters.state_total:
        errors.add(
            "amounts",
            _(
                "Summan av de beslutade beloppen (%(total)s kr) är större än statens "
                "totala belopp (%(state_total)s kr)."
            )
            % {"total": total, "state_total": int(parameters.state_total)},
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
