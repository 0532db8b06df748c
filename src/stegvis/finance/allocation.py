"""The state's distribution model for samordningsförbund. Pure: no Django imports.

Steps (every one is returned as a row so that a förbund can reproduce its amount):

1. **Base**: every förbund gets the base amount.
2. **Keys**: the rest of the state total is split ``key_support_pct`` by försörjningsmått and
   ``key_population_pct`` by population in the age band, in proportion to each förbund's share of
   the national sums. Base + both parts is the *model amount*; the model amounts add up to the
   state total exactly (fractions, no rounding yet).
3. **Cap on reductions**: a förbund with a previous allocation whose equity is within the
   reasonable scale (unknown equity counts as within) is *protected*: it gets at least
   ``previous × (1 − max_reduction)``, rounded up to whole kronor (the floor). The kronor this
   costs are financed by every förbund that is not held at its floor, in proportion to its model
   amount. Lowering those may push another protected förbund under its floor, so the step is
   repeated until no new förbund is held (at most one round per förbund).
4. **Rounding**: förbund held at their floor get exactly the floor (whole kronor); the others'
   exact amounts are rounded by largest remainder (ties to the earlier förbund in input order),
   so the allocations add up to the state total exactly. Rounding down never takes a förbund
   under its integer floor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stegvis.finance.money import equity_limit, round_exact, to_fraction, within_scale
from stegvis.lib.i18n import gettext as _


class AllocationError(ValueError):
    """The model cannot be computed with these inputs (Swedish messages)."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Parameters:
    state_total: int
    base_amount: int = 400_000
    key_support_pct: Decimal = Decimal(75)
    key_population_pct: Decimal = Decimal(25)
    max_reduction_pct: Decimal = Decimal(10)
    # (from size in kronor, reasonable equity in percent of the year's contributions)
    equity_scale: tuple[tuple[int, Decimal], ...] = ()


@dataclass(frozen=True)
class Input:
    key: Any
    name: str
    support_measure: Decimal
    population: int
    previous: int | None = None
    equity_share_pct: Decimal | None = None  # closing equity / contributions, percent
    size: int | None = None  # for the equity scale; default 2 × previous (the whole frame)

    @property
    def scale_size(self) -> int | None:
        if self.size is not None:
            return self.size
        return 2 * self.previous if self.previous is not None else None


@dataclass(frozen=True)
class Row:
    key: Any
    name: str
    support_measure: Decimal
    population: int
    base: int
    support_part: Fraction
    population_part: Fraction
    model: Fraction
    previous: int | None
    floor: int | None
    equity_share_pct: Decimal | None
    equity_limit_pct: Decimal | None
    protected: bool
    capped: bool
    capped_in_round: int | None
    final_exact: Fraction
    amount: int

    @property
    def cap_adjustment(self) -> Fraction:
        """Kronor added by the cap (positive) or taken to finance it (negative)."""
        return self.final_exact - self.model

    @property
    def rounding(self) -> Fraction:
        return self.amount - self.final_exact

    @property
    def change_pct(self) -> Decimal | None:
        if not self.previous:
            return None
        return (Decimal(self.amount - self.previous) * 100 / self.previous).quantize(
            Decimal("0.01")
        )


@dataclass(frozen=True)
class Round:
    number: int
    newly_capped: list[str]
    held_total: int  # kronor given to förbund held at their floor so far
    factor: Fraction  # share of its model amount each free förbund gets in this round


@dataclass(frozen=True)
class Result:
    parameters: Parameters
    rows: list[Row]
    rest: int  # state total minus the base amounts
    support_pot: Fraction
    population_pot: Fraction
    total_support: Decimal
    total_population: int
    rounds: list[Round] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.amount for r in self.rows)

    @property
    def per_support_krona(self) -> Fraction:
        return self.support_pot / to_fraction(self.total_support) if self.total_support else \
            Fraction(0)

    @property
    def per_inhabitant(self) -> Fraction:
        return self.population_pot / self.total_population if self.total_population else \
            Fraction(0)

    @property
    def cap_cost(self) -> Fraction:
        return sum((r.cap_adjustment for r in self.rows if r.capped), Fraction(0))

    def by_key(self) -> dict[Any, Row]:
        return {r.key: r for r in self.rows}


def parameter_problems(p: Parameters, count: int | None = None) -> list[str]:
    """Swedish messages for parameters that cannot be used (empty list: fine)."""
    problems = []
    if p.state_total < 0:
        problems.append(_("Statens totala belopp får inte vara negativt."))
    if p.base_amount < 0:
        problems.append(_("Grundbeloppet får inte vara negativt."))
    if p.key_support_pct < 0 or p.key_population_pct < 0:
        problems.append(_("Fördelningsnycklarna får inte vara negativa."))
    if p.key_support_pct + p.key_population_pct != 100:
        problems.append(
            _(
                "Fördelningsnycklarna (försörjningsmått %(support)s %% och befolkning "
                "%(population)s %%) ska tillsammans bli 100 %%."
            )
            % {"support": _pct(p.key_support_pct), "population": _pct(p.key_population_pct)}
        )
    if not (0 <= p.max_reduction_pct <= 100):
        problems.append(_("Största årliga minskning ska vara mellan 0 och 100 procent."))
    sizes = [s for s, _pct_ in p.equity_scale]
    if len(set(sizes)) != len(sizes):
        problems.append(_("Skalan för eget kapital har två steg med samma storlek."))
    if any(s < 0 for s in sizes) or any(pct < 0 for _s, pct in p.equity_scale):
        problems.append(_("Skalan för eget kapital får inte ha negativa värden."))
    if count is not None and count * p.base_amount > p.state_total:
        problems.append(
            _(
                "Grundbeloppen (%(count)s förbund × %(base)s kr) är större än statens "
                "totala belopp (%(total)s kr)."
            )
            % {"count": count, "base": p.base_amount, "total": p.state_total}
        )
    return problems


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def input_problems(inputs: Sequence[Input]) -> list[str]:
    problems = []
    seen: set[Any] = set()
    for i in inputs:
        if i.key in seen:
            problems.append(_("%(name)s finns med mer än en gång.") % {"name": i.name})
        seen.add(i.key)
        if i.support_measure < 0:
            problems.append(
                _("%(name)s: försörjningsmåttet får inte vara negativt.") % {"name": i.name}
            )
        if i.population < 0:
            problems.append(_("%(name)s: befolkningen får inte vara negativ.") % {"name": i.name})
        if i.previous is not None and i.previous < 0:
            problems.append(
                _("%(name)s: föregående års tilldelning får inte vara negativ.") % {"name": i.name}
            )
    return problems


def calculate(parameters: Parameters, inputs: Sequence[Input]) -> Result:
    """Every förbund's allocation for the year; the amounts add up to the state total."""
    pots = _check_and_split(parameters, inputs)
    shares = _model_amounts(parameters, inputs, pots)
    protection = _protection(parameters, inputs)
    cap = _cap_on_reductions(parameters.state_total, inputs, shares.model, protection)
    rows = _rounded_rows(parameters, inputs, shares, protection, cap)
    return Result(
        parameters=parameters,
        rows=rows,
        rest=pots.rest,
        support_pot=pots.support_pot,
        population_pot=pots.population_pot,
        total_support=pots.total_support,
        total_population=pots.total_population,
        rounds=cap.rounds,
    )


@dataclass(frozen=True)
class _Pots:
    """Step 2's national sums and the two pots the rest is split into."""

    total_support: Decimal
    total_population: int
    rest: int
    support_pot: Fraction
    population_pot: Fraction


@dataclass(frozen=True)
class _Shares:
    """Each förbund's key parts and model amount (base + both parts), in input order."""

    support_parts: list[Fraction]
    population_parts: list[Fraction]
    model: list[Fraction]


@dataclass(frozen=True)
class _Protection:
    """Each förbund's equity limit, whether it is protected, and its floor, in input order."""

    limits: list[Decimal | None]
    protected: list[bool]
    floors: list[int | None]


@dataclass(frozen=True)
class _Cap:
    """Step 3's outcome: the round each held förbund was capped in, the rounds, the last
    round's factor and the kronor given to held förbund."""

    capped_round: dict[int, int]
    rounds: list[Round]
    factor: Fraction
    held: int


def _check_and_split(parameters: Parameters, inputs: Sequence[Input]) -> _Pots:
    """Steps 1–2's sums; raises AllocationError with every problem found in the inputs."""
    problems = parameter_problems(parameters, len(inputs)) + input_problems(inputs)
    if not inputs:
        problems.append(_("Det finns inga förbund att fördela till."))
    total_support = sum((Decimal(i.support_measure) for i in inputs), Decimal(0))
    total_population = sum(i.population for i in inputs)
    rest = parameters.state_total - len(inputs) * parameters.base_amount
    support_pot = rest * to_fraction(parameters.key_support_pct) / 100
    population_pot = rest * to_fraction(parameters.key_population_pct) / 100
    if not problems and support_pot and total_support == 0:
        problems.append(
            _("Summan av försörjningsmåtten är noll; försörjningsnyckeln kan inte användas.")
        )
    if not problems and population_pot and total_population == 0:
        problems.append(_("Summan av befolkningen är noll; befolkningsnyckeln kan inte användas."))
    if problems:
        raise AllocationError(problems)
    return _Pots(total_support, total_population, rest, support_pot, population_pot)


def _model_amounts(parameters: Parameters, inputs: Sequence[Input], pots: _Pots) -> _Shares:
    """Step 2: base plus each förbund's share of both pots (exact fractions)."""
    sup_total = to_fraction(pots.total_support)
    total_population = pots.total_population
    shares = _Shares([], [], [])
    for i in inputs:
        s = (pots.support_pot * to_fraction(i.support_measure) / sup_total if sup_total
             else Fraction(0))
        p = (pots.population_pot * i.population / total_population if total_population
             else Fraction(0))
        shares.support_parts.append(s)
        shares.population_parts.append(p)
        shares.model.append(parameters.base_amount + s + p)
    return shares


def _protection(parameters: Parameters, inputs: Sequence[Input]) -> _Protection:
    """Step 3's starting point: who is protected by the cap, and at which floor."""
    keep = (100 - to_fraction(parameters.max_reduction_pct)) / 100
    protection = _Protection([], [], [])
    for i in inputs:
        limit = equity_limit(parameters.equity_scale, i.scale_size)
        protection.limits.append(limit)
        protection.protected.append(bool(i.previous) and within_scale(i.equity_share_pct, limit))
        protection.floors.append(math.ceil(i.previous * keep) if i.previous is not None else None)
    return protection


def _cap_on_reductions(
    total: int, inputs: Sequence[Input], model: list[Fraction], protection: _Protection
) -> _Cap:
    """Step 3: hold protected förbund at their floors, round after round, until stable."""
    floors, protected = protection.floors, protection.protected
    capped_round: dict[int, int] = {}
    rounds: list[Round] = []
    factor = Fraction(1)
    for number in range(1, len(inputs) + 2):
        held = sum(floors[i] or 0 for i in capped_round)
        free = [i for i in range(len(inputs)) if i not in capped_round]
        free_model = sum((model[i] for i in free), Fraction(0))
        available = total - held
        if available < 0:
            raise AllocationError(
                [
                    _(
                        "Takregeln kan inte uppfyllas: golven för de skyddade förbunden "
                        "(%(held)s kr) är större än statens totala belopp (%(total)s kr)."
                    )
                    % {"held": held, "total": total}
                ]
            )
        factor = Fraction(available) / free_model if free_model else Fraction(0)
        newly = [
            i for i in free
            if protected[i] and (floor := floors[i]) is not None and model[i] * factor < floor
        ]
        rounds.append(Round(number, [inputs[i].name for i in newly], held, factor))
        if not newly:
            break
        for index in newly:
            capped_round[index] = number
    held = sum(floors[i] or 0 for i in capped_round)
    if len(capped_round) == len(inputs) and held != total:
        raise AllocationError(
            [
                _(
                    "Takregeln kan inte uppfyllas: alla förbund hålls vid sina golv och summan "
                    "stämmer inte med statens totala belopp."
                )
            ]
        )
    return _Cap(capped_round, rounds, factor, held)


def _rounded_rows(
    parameters: Parameters,
    inputs: Sequence[Input],
    shares: _Shares,
    protection: _Protection,
    cap: _Cap,
) -> list[Row]:
    """Step 4: held förbund get their floor; the others' exact amounts are rounded by largest
    remainder so that the allocations add up to the state total."""
    floors, capped_round = protection.floors, cap.capped_round
    free = [i for i in range(len(inputs)) if i not in capped_round]
    final_exact = [
        Fraction(floors[i] or 0) if i in capped_round else shares.model[i] * cap.factor
        for i in range(len(inputs))
    ]
    rounded = {
        r.key: r.amount
        for r in round_exact(
            parameters.state_total - cap.held, [(i, final_exact[i]) for i in free]
        )
    }
    rows = []
    for idx, i in enumerate(inputs):
        amount = floors[idx] if idx in capped_round else rounded[idx]
        assert amount is not None
        rows.append(
            Row(
                key=i.key,
                name=i.name,
                support_measure=Decimal(i.support_measure),
                population=i.population,
                base=parameters.base_amount,
                support_part=shares.support_parts[idx],
                population_part=shares.population_parts[idx],
                model=shares.model[idx],
                previous=i.previous,
                floor=floors[idx],
                equity_share_pct=i.equity_share_pct,
                equity_limit_pct=protection.limits[idx],
                protected=protection.protected[idx],
                capped=idx in capped_round,
                capped_in_round=capped_round.get(idx),
                final_exact=final_exact[idx],
                amount=amount,
            )
        )
    return rows


# --- What-if -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    key: Any
    name: str
    current: int | None
    what_if: int | None

    @property
    def difference(self) -> int | None:
        if self.current is None or self.what_if is None:
            return None
        return self.what_if - self.current


def compare(current: Result, what_if: Result) -> list[Comparison]:
    """Every förbund's amount now and in the what-if (a new förbund has no current amount)."""
    now = current.by_key()
    then = what_if.by_key()
    rows = [
        Comparison(r.key, r.name, r.amount, then[r.key].amount if r.key in then else None)
        for r in current.rows
    ]
    rows += [Comparison(r.key, r.name, None, r.amount) for r in what_if.rows if r.key not in now]
    return rows


@dataclass(frozen=True)
class KommunFigures:
    code: str
    support_measure: Decimal
    population: int


def with_new_association(
    inputs: Sequence[Input],
    *,
    key: Any,
    name: str,
    kommuner: Sequence[KommunFigures],
    taken_from: dict[str, Any],
) -> list[Input]:
    """Inputs with a new förbund made of ``kommuner``; each kommun's figures are taken out of
    the förbund that had it (``taken_from``: kommunkod → that förbund's key, if any)."""
    minus: dict[Any, tuple[Decimal, int]] = {}
    for k in kommuner:
        owner = taken_from.get(k.code)
        if owner is not None:
            s, p = minus.get(owner, (Decimal(0), 0))
            minus[owner] = (s + k.support_measure, p + k.population)
    result = []
    for i in inputs:
        if i.key in minus:
            s, p = minus[i.key]
            i = replace(
                i,
                support_measure=max(Decimal(0), i.support_measure - s),
                population=max(0, i.population - p),
            )
        result.append(i)
    result.append(
        Input(
            key=key,
            name=name,
            support_measure=sum((k.support_measure for k in kommuner), Decimal(0)),
            population=sum(k.population for k in kommuner),
        )
    )
    return result
