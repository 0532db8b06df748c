"""Benchmark: the state's distribution model for 80 förbund, and a what-if re-run.

Run:  .venv/bin/python bench/bench_finance.py [--runs N] [--db]

Prints the median and worst time of N runs (target: each under 200 ms). ``--db`` also times
one database-backed calculation (inputs, previous decisions and equity read from a throw-away
SQLite database holding 80 förbund), through the same code path as the calculation page.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from stegvis.finance import allocation as am

TARGET_MS = 200.0
N_ASSOCIATIONS = 80


def national_inputs(seed: int = 2025) -> tuple[am.Parameters, list[am.Input]]:
    rng = random.Random(seed)
    params = am.Parameters(
        state_total=339_000_000,
        equity_scale=((0, Decimal(30)), (5_000_000, Decimal(20)), (10_000_000, Decimal(15))),
    )
    populations = [rng.randint(5_000, 400_000) for _ in range(N_ASSOCIATIONS)]
    total_population = sum(populations)
    inputs = []
    for i, population in enumerate(populations):
        support = Decimal(population * rng.randint(15_000, 40_000)) + Decimal("0.50")
        # last year's allocation: near a population share, so the floors are feasible
        previous = int(params.state_total * population / total_population
                       * rng.uniform(0.8, 1.25)) + 400_000
        previous = min(previous, params.state_total // N_ASSOCIATIONS * 3)
        equity = Decimal(rng.randint(0, 60))
        inputs.append(am.Input(i, f"Förbund {i:02d}", support, population, previous, equity))
    return params, inputs


def timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def report(label: str, median: float, worst: float, runs: int) -> bool:
    ok = median < TARGET_MS
    print(f"{label:<48} median {median:8.2f} ms   worst {worst:8.2f} ms   runs {runs:3d}   "
          f"{'OK' if ok else 'OVER TARGET'}")
    return ok


def pure(runs: int) -> bool:
    params, inputs = national_inputs()
    result = am.calculate(params, inputs)
    assert result.total == params.state_total
    capped = sum(r.capped for r in result.rows)
    print(f"80 förbund, statens belopp {params.state_total} kr: {capped} hålls vid golvet, "
          f"{len(result.rounds)} omgångar")
    ok = report("allocation, 80 förbund (pure)", *timed(lambda: am.calculate(params, inputs),
                                                         runs), runs)

    def what_if() -> None:
        changed = am.Parameters(**{**params.__dict__, "base_amount": 300_000,
                                   "max_reduction_pct": Decimal(5)})
        new = am.with_new_association(
            inputs, key="new", name="Nytt", taken_from={"9999": 0},
            kommuner=[am.KommunFigures("9999", Decimal(500_000_000), 20_000)],
        )
        am.compare(am.calculate(params, inputs), am.calculate(changed, new))

    ok &= report("what-if re-run incl. current result (pure)", *timed(what_if, runs), runs)
    return ok


def database(runs: int) -> bool:
    import os
    import tempfile

    tmp = tempfile.mkdtemp(prefix="stegvis-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["STEGVIS_VAR_DIR"] = tmp
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from stegvis.associations.models import Association
    from stegvis.finance import figures
    from stegvis.finance.models import (
        AllocationInput,
        AllocationParameters,
        DecidedAllocation,
        EquityScaleStep,
    )

    params, inputs = national_inputs()
    p = AllocationParameters.objects.create(
        allocation_year=2025, version=1, state_total=params.state_total, base_amount=400_000,
        key_support_pct=75, key_population_pct=25, max_reduction_pct=10,
    )
    for size, pct in params.equity_scale:
        EquityScaleStep.objects.create(parameters=p, from_size=size, max_equity_pct=pct)
    for i in inputs:
        a = Association.objects.create(name=i.name, org_number=f"2220{i.key:02d}-0000",
                                       founded=dt.date(2010, 1, 1))
        AllocationInput.objects.create(allocation_year=2025, association=a,
                                       support_measure=i.support_measure,
                                       population=i.population)
        DecidedAllocation.objects.create(allocation_year=2024, association=a,
                                         amount=i.previous, decided_on=dt.date(2024, 1, 1))
    calc = figures.calculation(2025)
    assert calc.result is not None, calc.problems
    assert calc.result and calc.result.total == params.state_total
    return report("allocation, 80 förbund (from the database)",
                  *timed(lambda: figures.calculation(2025), runs), runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--db", action="store_true", help="also time a database-backed run")
    args = parser.parse_args()
    ok = pure(args.runs)
    if args.db:
        ok &= database(max(3, args.runs // 5))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
