"""Load the shipped SCB reference data (see data/README.md for sources and checks)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_csv(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def load_geography(county_model: Any, municipality_model: Any) -> None:
    """Create or update the 21 län and 290 kommuner (idempotent)."""
    for row in read_csv("lan.csv"):
        county_model.objects.update_or_create(
            code=row["county_code"],
            defaults={"name": row["county_name"], "short_name": row["county_name_short"]},
        )
    for row in read_csv("kommuner.csv"):
        municipality_model.objects.update_or_create(
            code=row["kommunkod"],
            defaults={
                "name": row["kommun"],
                "short_name": row["kommun_kort"],
                "county_id": row["lanskod"],
            },
        )


def load_population(population_model: Any) -> None:
    """Bulk-load population by single year of age and sex (skips years already loaded)."""
    years_loaded = set(population_model.objects.values_list("year", flat=True).distinct())
    batch = [
        population_model(
            municipality_id=row["kommunkod"],
            year=int(row["year"]),
            age=int(row["age"]),
            women=int(row["women"]),
            men=int(row["men"]),
        )
        for row in read_csv("befolkning_alder_kon_2019.csv")
        if int(row["year"]) not in years_loaded
    ]
    population_model.objects.bulk_create(batch, batch_size=2000)


def load_code_lists(code_model: Any) -> None:
    """Create the seeded codes of codelists_seed.py; codes already present are left as they are."""
    from stegvis.reference.codelists_seed import seed_rows

    for row in seed_rows():
        row = dict(row)
        code_model.objects.get_or_create(list=row.pop("list"), key=row.pop("key"), defaults=row)
