"""Property tests: every table of one scope and period, protected together, leaks nothing.

Hypothesis generates a random *world* (identified participations with insats, sex, kommun of
residence, month of start and an outcome flag; anonymous and volume counts and the actual cost
per insats). From it a pure builder makes the linked tables the way ``reports.py`` names their
counts: the headline (counts, a rate, cost per participant), the Insatsrapport, the
Kostnadsrapport, Täckning, a background table of the started and the start page's months.
They are protected with ``tables.protect_tables`` and the relations of ``linking.LINKS``.

An independent **auditor** then plays an analyst who sees only the published cells. It knows
the true relations of the world, written out here without ``linking`` (rows and totals, K + M =
T, Insatsrapport rows → headline, Kostnadsrapport = identified + anonymous, Täckning rows →
headline, months → headline, cost per participant = utfall / deltagare, a visible rate gives its
numerator and denominator), checks that each relation really holds, and solves the linear
system exactly over the hidden cells. No hidden value 1..threshold−1 may be determined.

``test_auditor_catches_a_leaky_protection`` shows that the auditor finds the leak of the issue
(Insatsrapport 14 identified, anonymous hidden, Kostnadsrapport 15) when the links are left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from stegvis.indicators import linking
from stegvis.indicators.tables import (
    AMOUNT,
    COUNT,
    PER,
    RATE,
    Cell,
    Row,
    Table,
    kmt_columns,
    kmt_triples,
    protect_tables,
    rate_cell,
)

KMT = ("K", "M", "T")
YEAR = 2024
EXAMPLES = 250


@dataclass
class World:
    # (insats, sex, kommun, start month or 0 = started before the period, outcome flag)
    people: list[tuple[int, str, str, int, bool]]
    anonymous: dict[int, tuple[int, int]]
    volume: dict[int, int]
    cost: dict[int, int]
    insatser: list[int] = field(default_factory=list)
    kommuner: list[str] = field(default_factory=list)


def sexes(s: str, sex: str) -> bool:
    return s == "T" or sex == s


def build(world: World) -> list[Table]:
    """The linked tables of one förbund and one whole year, named like ``reports.py``."""
    ppl = world.people

    def active(s, ins=None, kommun=None):
        return sum(1 for i, sx, k, _m, _o in ppl if sexes(s, sx)
                   and (ins is None or i == ins) and (kommun is None or k == kommun))

    def started(s, month=None):
        return sum(1 for _i, sx, _k, m, _o in ppl if sexes(s, sx) and m
                   and (month is None or m == month))

    def anon(i, s):
        k, m = world.anonymous.get(i, (0, 0))
        return {"K": k, "M": m, "T": k + m}[s]

    anon_total = {s: sum(anon(i, s) for i in world.insatser) for s in KMT}
    vol_total = sum(world.volume.values())
    participants_t = active("T") + anon_total["T"]
    cost_total = sum(world.cost.values())

    head = Table("headline", "Huvudindikatorer", "Indikator", kmt_columns(),
                 triples=kmt_triples(1))
    for key, f in (("participants_active", active), ("participants_started", started),
                   ("anonymous_started", lambda s: anon_total[s])):
        head.rows.append(Row(key, [Cell(COUNT, f(s), ref=linking.headline(key, s))
                                   for s in KMT], key=key))
    head.rows.append(Row("volume_count", [
        Cell(COUNT, None, ref=linking.headline("volume_count", "K"), reason="ej uppdelad"),
        Cell(COUNT, None, ref=linking.headline("volume_count", "M"), reason="ej uppdelad"),
        Cell(COUNT, vol_total, ref=linking.headline("volume_count", "T"))], key="volume_count"))
    outcome = {s: sum(1 for _i, sx, _k, _m, o in ppl if sexes(s, sx) and o) for s in KMT}
    head.rows.append(Row("rate", [rate_cell(outcome[s], active(s),
                                            num_ref=linking.headline("rate", s),
                                            den_ref=linking.headline("participants_active", s))
                                  for s in KMT], key="rate"))
    head.rows.append(Row("cpp", [
        Cell(PER, None, reason="ej tillämplig"), Cell(PER, None, reason="ej tillämplig"),
        Cell(PER, round(cost_total / participants_t) if participants_t else None,
             denominator=participants_t, den_ref=linking.cost_participants())], key="cpp"))

    ins = Table("interventions", "Insatser", "Insats",
                [*kmt_columns("Id"), *kmt_columns("Anon"), "Volym"], triples=kmt_triples(2))
    for i in world.insatser:
        ins.rows.append(Row(str(i), [
            *[Cell(COUNT, active(s, ins=i), ref=linking.insats_identified(i, s)) for s in KMT],
            *[Cell(COUNT, anon(i, s), ref=linking.insats_anonymous(i, s)) for s in KMT],
            Cell(COUNT, world.volume.get(i, 0), ref=linking.insats_volume(i))], key=str(i)))

    costs = Table("costs", "Kostnader", "Insats",
                  ["Utfall", *kmt_columns("Deltagare"), "Per deltagare"], triples=[(1, 2, 3)])
    for i in world.insatser:
        part = {s: active(s, ins=i) + anon(i, s) for s in KMT}
        c = world.cost.get(i, 0)
        costs.rows.append(Row(f"{i}:{YEAR}", [
            Cell(AMOUNT, c),
            *[Cell(COUNT, part[s], ref=linking.cost_row(i, YEAR, s)) for s in KMT],
            Cell(PER, round(c / part["T"]) if part["T"] else None, denominator=part["T"],
                 den_ref=linking.cost_row(i, YEAR, "T"))], key=f"{i}:{YEAR}"))
    costs.total_row = len(costs.rows)
    costs.rows.append(Row("total", [Cell(AMOUNT, cost_total),
                                    *[Cell(COUNT, sum(active(s, ins=i) + anon(i, s)
                                                      for i in world.insatser)) for s in KMT],
                                    Cell(AMOUNT, None)], key="total"))

    cov = Table("coverage", "Täckning", "Kommun", [*kmt_columns(), "Behov", "Täckning"],
                triples=kmt_triples(1))
    for k in world.kommuner:
        need = 10 + len(k) * 7
        cov.rows.append(Row(k, [
            *[Cell(COUNT, active(s, kommun=k), ref=linking.kommun_active(k, s)) for s in KMT],
            Cell(AMOUNT, need),
            Cell(RATE, active("T", kommun=k) / need, numerator=active("T", kommun=k),
                 num_ref=linking.kommun_active(k, "T"))], key=k))

    months = Table("started_by_month", "Månad", "Månad", kmt_columns(), triples=kmt_triples(1))
    for m in range(1, 13):
        months.rows.append(Row(str(m), [Cell(COUNT, started(s, m),
                                             ref=linking.month_started(m, s)) for s in KMT],
                               key=str(m)))
    months.total_row = 12
    months.rows.append(Row("total", [Cell(COUNT, started(s),
                                          ref=linking.headline("participants_started", s))
                                     for s in KMT], key="total"))

    # A background table of the started (first or second half-year), with its total row.
    halves = Table("age", "Bakgrund", "Halvår", kmt_columns(), triples=kmt_triples(1))
    for h in (1, 2):
        halves.rows.append(Row(str(h), [Cell(COUNT, sum(started(s, m) for m in range(
            6 * h - 5, 6 * h + 1))) for s in KMT], key=str(h)))
    halves.total_row = 2
    halves.rows.append(Row("total", [Cell(COUNT, started(s),
                                          ref=linking.headline("participants_started", s))
                                     for s in KMT], key="total"))
    return [head, ins, costs, cov, months, halves]


def layout(world: World) -> linking.Layout:
    return linking.Layout(insatser=world.insatser,
                          cost_rows=[(i, YEAR) for i in world.insatser],
                          kommuner=world.kommuner, months=True)


# --- the auditor ----------------------------------------------------------------------------


def auditor_equations(tables: dict[str, Table]) -> list[dict[tuple, int]]:
    """What an analyst knows holds between published cells: {cell: coefficient} == 0.

    Written from the meaning of the tables, not from ``linking``."""
    eq: list[dict[tuple, int]] = []

    def add(total: tuple, parts: list[tuple]) -> None:
        row: dict[tuple, int] = defaultdict(int)
        row[total] += 1
        for p in parts:
            row[p] -= 1
        eq.append(dict(row))

    head, ins, costs, cov = (tables[k] for k in ("headline", "interventions", "costs",
                                                 "coverage"))
    hrow = {r.key: i for i, r in enumerate(head.rows)}
    for name, t in tables.items():
        for r, row in enumerate(t.rows):
            for k, m, tot in t.triples:
                add((name, r, tot, "v"), [(name, r, k, "v"), (name, r, m, "v")])
            if name == "headline" and row.key == "rate":
                add((name, r, 2, "n"), [(name, r, 0, "n"), (name, r, 1, "n")])
        if t.total_row is not None:
            for c in range(len(t.rows[0].cells)):
                add((name, t.total_row, c, "v"), [(name, r, c, "v") for r in range(t.total_row)])
    ha, hs, han = hrow["participants_active"], hrow["participants_started"], \
        hrow["anonymous_started"]
    for c in range(3):
        add(("headline", ha, c, "v"), [("interventions", r, c, "v") for r in range(len(ins.rows))])
        add(("headline", han, c, "v"),
            [("interventions", r, 3 + c, "v") for r in range(len(ins.rows))])
        add(("headline", ha, c, "v"), [("coverage", r, c, "v") for r in range(len(cov.rows))])
        for name in ("started_by_month", "age"):
            add(("headline", hs, c, "v"), [(name, tables[name].total_row, c, "v")])
        for r in range(len(ins.rows)):
            add(("costs", r, 1 + c, "v"), [("interventions", r, c, "v"),
                                           ("interventions", r, 3 + c, "v")])
        # The rate's denominator is the active count; its numerator is a count too.
        add(("headline", hrow["rate"], c, "d"), [("headline", ha, c, "v")])
    add(("headline", hrow["volume_count"], 2, "v"),
        [("interventions", r, 6, "v") for r in range(len(ins.rows))])
    cpp = ("headline", hrow["cpp"], 2, "d")
    add(cpp, [("headline", ha, 2, "v"), ("headline", han, 2, "v")])
    add(cpp, [("costs", costs.total_row, 3, "v")])
    for r in range(len(ins.rows)):
        add(("costs", r, 4, "d"), [("costs", r, 3, "v")])
    for r in range(len(cov.rows)):
        add(("coverage", r, 4, "n"), [("coverage", r, 2, "v")])
    return eq


def true_value(t: Table, r: int, c: int, part: str) -> int | None:
    cell = t.cell(r, c)
    return {"v": cell.value if cell.kind == COUNT else None, "n": cell.numerator,
            "d": cell.denominator}[part]


def published(t: Table, r: int, c: int, part: str) -> bool:
    """Whether a reader sees the value: a visible count, or the numerator/denominator of a
    visible rate or amount per participant (the API gives them; cost / per gives it)."""
    cell = t.cell(r, c)
    if cell.suppressed:
        return False
    if part == "v":
        return cell.kind == COUNT and cell.value is not None
    return cell.kind in (RATE, PER) and cell.value is not None


def recovered(tables: list[Table], threshold: int) -> list[tuple[tuple, int]]:
    """Hidden counts 1..threshold-1 that the analyst can work out exactly."""
    by_name = {t.key: t for t in tables}
    equations = auditor_equations(by_name)
    unknown: set[tuple] = set()
    rows: list[dict[tuple, Fraction]] = []
    for eq in equations:
        values = {key: true_value(by_name[key[0]], *key[1:]) for key in eq}
        if any(v is None for v in values.values()):
            continue  # a relation with a cell that has no such count (e.g. n/a)
        assert sum(c * values[k] for k, c in eq.items()) == 0, eq  # the world is consistent
        row = {k: Fraction(c) for k, c in eq.items()
               if not published(by_name[k[0]], *k[1:])}
        unknown |= set(row)
        if row:
            rows.append(row)
    pivots: dict[tuple, dict[tuple, Fraction]] = {}
    for original in rows:
        row = dict(original)
        for var, prow in list(pivots.items()):
            if row.get(var):
                f = row[var]
                for k, v in prow.items():
                    row[k] = row.get(k, Fraction(0)) - f * v
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        var = sorted(row, key=repr)[0]
        row = {k: v / row[var] for k, v in row.items()}
        for other in pivots.values():
            if other.get(var):
                f = other[var]
                for k, v in row.items():
                    other[k] = other.get(k, Fraction(0)) - f * v
                for k in [k for k, v in other.items() if not v]:
                    del other[k]
        pivots[var] = row
    leaks = []
    for var, row in pivots.items():
        if len(row) == 1:
            value = true_value(by_name[var[0]], *var[1:])
            if value is not None and 1 <= value < threshold:
                leaks.append((var, value))
    return leaks


# --- the properties ---------------------------------------------------------------------------

small = st.one_of(st.integers(0, 4), st.integers(0, 12))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    n_ins = draw(st.integers(1, 4))
    kommuner = draw(st.lists(st.sampled_from(["0180", "0136", "1480", "0980"]), min_size=1,
                             max_size=3, unique=True))
    person = st.tuples(st.integers(1, n_ins), st.sampled_from("KM"), st.sampled_from(kommuner),
                       st.integers(0, 12), st.booleans())
    people = draw(st.lists(person, max_size=45))
    insatser = list(range(1, n_ins + 1))
    return World(
        people=people,
        anonymous={i: (draw(small), draw(small)) for i in insatser},
        volume={i: draw(small) for i in insatser},
        cost={i: draw(st.integers(0, 900_000)) for i in insatser},
        insatser=insatser,
        kommuner=sorted(kommuner),
    )


@settings(max_examples=EXAMPLES, deadline=None)
@given(worlds(), st.sampled_from([3, 5, 10]))
def test_no_hidden_small_count_can_be_recovered_across_tables(world, threshold):
    tables = build(world)
    protect_tables(tables, linking.relations(layout(world)), threshold)
    for t in tables:
        for row in t.rows:
            for cell in row.cells:
                if cell.kind == COUNT and not cell.suppressed and cell.value is not None:
                    assert not 1 <= cell.value < threshold, (t.key, row.key, cell.value)
                if cell.kind in (RATE, PER) and not cell.suppressed and cell.value is not None:
                    # A shown derived value never rests on a hidden or small count.
                    for v in (cell.numerator, cell.denominator):
                        assert v is None or not 1 <= v < threshold, (t.key, row.key)
    assert recovered(tables, threshold) == []


def test_auditor_catches_a_leaky_protection():
    """The issue's case: 14 identified shown, anonymous 1 hidden, Kostnadsrapport 15."""
    world = World(
        people=[(1, "K" if n % 2 else "M", "0180", 3, False) for n in range(14)],
        anonymous={1: (1, 0)}, volume={1: 0}, cost={1: 869_600},
        insatser=[1], kommuner=["0180"],
    )
    leaky = build(world)
    protect_tables(leaky, [], 5)  # each table protected on its own: no links
    leaks = recovered(leaky, 5)
    assert leaks and {value for _cell, value in leaks} == {1}
    safe = build(world)
    protect_tables(safe, linking.relations(layout(world)), 5)
    assert recovered(safe, 5) == []
    ins = next(t for t in safe if t.key == "interventions")
    costs = next(t for t in safe if t.key == "costs")
    assert ins.cell(0, 3).suppressed  # the anonymous 1
    # 14 + 1 = 15: one of identified or participants is hidden too, and with it kr/deltagare.
    assert ins.cell(0, 2).suppressed or costs.cell(0, 3).suppressed
    assert costs.cell(0, 3).suppressed == costs.cell(0, 4).suppressed
