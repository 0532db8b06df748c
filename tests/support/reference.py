"""Put the migrations' reference data back after a test flushed it (see tests.support.flush)."""

from __future__ import annotations

from typing import Any

from stegvis.reference.loading import load_code_lists, load_geography, read_csv


def _insert_population_fast(population_model: Any) -> None:
    """Like ``loading.load_population``, but one ``executemany`` (~29,000 rows)."""
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
    sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def reload_reference_data() -> None:
    """Load every shipped reference table again (after a full flush; idempotent)."""
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
