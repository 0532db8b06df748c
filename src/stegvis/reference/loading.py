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


def _insert_population_fast(population_model: Any) -> None:
    """Like load_population, but one ``executemany`` (a test flush reloads ~29,000 rows)."""
    from django.db import connection

    years_loaded = set(population_model.objects.values_list("year", flat=True).distinct())
    rows = [
        (row["kommunkod"], int(row["year"]), int(row["age"]), int(row["women"]), int(row["men"]))
        for row in read_csv("befolkning_alder_kon_2019.csv")
        if int(row["year"]) not in years_loaded
    ]
    if not rows:
        return
    meta = population_model._meta
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(meta.get_field(name).column) for name in ("municipality", "year", "age", "women", "men")
    )
    # Table and column names come from the model, quoted; the values are parameters.
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reload_reference_data() -> None:
    """Load every shipped reference table again (after a test flush; idempotent)."""
    from stegvis.reference.codelists_seed import seed_rows
    from stegvis.reference.models import Code, County, Municipality, PopulationByAge

    if County.objects.exists() or Municipality.objects.exists():
        load_geography(County, Municipality)
    else:  # after a flush: the same rows, created in two queries
        County.objects.bulk_create(
            County(code=r["county_code"], name=r["county_name"], short_name=r["county_name_short"])
            for r in read_csv("lan.csv")
        )
        Municipality.objects.bulk_create(
            Municipality(
                code=r["kommunkod"], name=r["kommun"], short_name=r["kommun_kort"],
                county_id=r["lanskod"],
            )
            for r in read_csv("kommuner.csv")
        )
    _insert_population_fast(PopulationByAge)
    if Code.objects.exists():
        load_code_lists(Code)
    else:
        Code.objects.bulk_create(Code(**row) for row in seed_rows())
