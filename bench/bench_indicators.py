"""Benchmark of the indicator layer. Prints figures; not a timed test.

Usage (any database; the national-scale one from the data generator for the real figures):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stegvis_bench \\
        .venv/bin/python bench/bench_indicators.py [--year 2024] [--repeat 7]

Measures, as the issue asks:
- headline indicators for the whole country for one year and for one förbund (median of N),
- one hand-written SQL query computing the same national numbers, and the ratio ORM/SQL,
- the full PDF (all six reports) of one förbund's year,
- the XLSX export of the national view, with peak RSS (resource.getrusage),
- issue 8: the whole protected bundle of the national scope (every report's queries plus the
  linked protection) against the headline alone, and the linked protection step by itself on
  synthetic tables of national size (``--synthetic-only`` runs just that, without a database)
  against a fair floor: the same tables protected one by one with primary and single-relation
  secondary suppression only (what was done before), no links and no exact audit.
If the fact table is empty while participations exist, it is rebuilt first (and timed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stegvis.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from stegvis.access.roles import Role  # noqa: E402
from stegvis.access.scope import _CACHE_ATTR, Grants  # noqa: E402
from stegvis.indicators import (  # noqa: E402
    exports,
    linking,
    periods,
    protection,
    reports,
    selectors,
    tables,
)
from stegvis.indicators.reports import Report  # noqa: E402
from stegvis.lib.dates import add_months  # noqa: E402
from stegvis.participants.models import Participation, ParticipationFact  # noqa: E402


class BenchUser:
    """A national report reader that exists only in memory (nothing is written)."""

    is_authenticated = True
    is_active = True
    pk = None

    def __init__(self) -> None:
        setattr(self, _CACHE_ATTR, Grants(national=frozenset({Role.REPORT_READER})))

    def get_username(self) -> str:
        return "bench"


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _fu_sql(k: int) -> str:
    due = f"follow_up_consent AND fu{k}_date BETWEEN %(from)s AND %(limit)s"
    measured = f"{due} AND fu{k}_measured"
    return (f"  COUNT(*) FILTER (WHERE {due}) AS n_fu{k}_due,\n"
            f"  COUNT(*) FILTER (WHERE {measured}) AS n_fu{k}_measured,\n"
            f"  COUNT(*) FILTER (WHERE {measured} AND fu{k}_work_or_studies) AS n_fu{k}_wos,\n"
            f"  COUNT(*) FILTER (WHERE {measured} AND fu{k}_no_public_support) AS n_fu{k}_nps")


COHORT = "end_date BETWEEN %(from)s AND %(to)s AND complete"
ACTIVE = "start_date <= %(to)s AND (end_date IS NULL OR end_date >= %(from)s)"
# The fair floor: every count the ORM headline computes (the same 24 figures per sex), the
# same WHERE (not a felregistrering, and only rows that can count for the period: active in
# it, in its calendar years, or ended at most 12 months before it), and the distinct count of
# persons and the median in statements of their own (no COUNT(DISTINCT) beside the plain
# counts: that spills to disk and cannot run in parallel). PostgreSQL only (FILTER, median).
FLOOR_WHERE = """
FROM indicators_participationfact
WHERE NOT is_error AND start_date <= %(last)s
  AND (end_date IS NULL OR end_date >= %(earliest_end)s)
"""
FLOOR_COUNTS = f"""
SELECT sex,
  COUNT(*) FILTER (WHERE {ACTIVE}) AS participants_active,
  COUNT(*) FILTER (WHERE start_date BETWEEN %(from)s AND %(to)s) AS participants_started,
  COUNT(*) FILTER (WHERE end_date BETWEEN %(from)s AND %(to)s) AS participants_ended,
  COUNT(*) FILTER (WHERE {COHORT}) AS cohort,
  COUNT(*) FILTER (WHERE {COHORT} AND end_extent > start_extent)
    AS started_or_increased_extent,
  COUNT(*) FILTER (WHERE {COHORT} AND start_step IS NOT NULL AND end_step IS NOT NULL)
    AS step_both,
  COUNT(*) FILTER (WHERE {COHORT} AND end_step > start_step) AS step_progress,
  COUNT(*) FILTER (WHERE {COHORT} AND start_work_or_studies) AS work_or_studies_before,
  COUNT(*) FILTER (WHERE {COHORT} AND end_work_or_studies) AS work_or_studies_after,
  COUNT(*) FILTER (WHERE {COHORT} AND start_no_public_support) AS no_public_support_before,
  COUNT(*) FILTER (WHERE {COHORT} AND end_no_public_support) AS no_public_support_after,
  COUNT(*) FILTER (WHERE start_date <= %(year_end)s
                   AND (end_date IS NULL OR end_date >= %(year_start)s)) AS cost_active,
{_fu_sql(3)},
{_fu_sql(6)},
{_fu_sql(12)}
{FLOOR_WHERE}
GROUP BY sex
"""
FLOOR_PERSONS = f"""
SELECT sex, COUNT(DISTINCT person_key) AS persons_active
FROM indicators_participationfact
WHERE NOT is_error AND {ACTIVE}
GROUP BY sex
"""
FLOOR_MEDIAN = f"""
SELECT sex, PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY duration_days)
FROM indicators_participationfact
WHERE NOT is_error AND {COHORT}
GROUP BY sex
"""


def floor_sql(p: periods.Period, today: Any) -> dict[str, dict[str, Any]]:
    """The same per-sex figures as the ORM headline's counting part, in three statements."""
    years = p.years
    year_start, year_end = dt.date(years.start, 1, 1), dt.date(years.stop - 1, 12, 31)
    # As selectors.relevant_q: rows active in the period or its calendar years, or ended at
    # most 12 months before the period (their follow-ups can fall in it).
    earliest = min(p.start, year_start, add_months(p.start, -12))
    params = {"from": p.start, "to": p.end, "limit": min(p.end, today),
              "last": max(p.end, year_end), "earliest_end": earliest,
              "year_start": year_start, "year_end": year_end}
    out: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_COUNTS, params)
        columns = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            out[row[0]] = dict(zip(columns[1:], row[1:], strict=True))
        cursor.execute(FLOOR_PERSONS, params)
        for sex, n in cursor.fetchall():
            out.setdefault(sex, {})["persons_active"] = n
        cursor.execute(FLOOR_MEDIAN, params)
        for sex, m in cursor.fetchall():
            out.setdefault(sex, {})["median"] = m
    return out


def national_size_tables(seed: int = 8) -> tuple[list[tables.Table], linking.Layout]:
    """Tables shaped like one national scope and year: 1 000 insatser (Insatsrapport and
    Kostnadsrapport rows), 290 kommuner (Täckning), a 16 x 16 x K/M/T transition matrix, the
    headline and the months. Counts per insats are skewed so that some are small, as in the
    real register (about one insats in ten has fewer than 10 participants)."""
    import random

    from stegvis.indicators.tables import COUNT, PER, Cell, Row, Table, kmt_columns, kmt_triples

    rnd = random.Random(seed)
    insatser = list(range(1, 1001))
    kommuner = [f"{i:04d}" for i in range(1, 291)]

    def split(n: int) -> tuple[int, int]:
        k = sum(1 for _ in range(min(n, 60)) if rnd.random() < 0.55) * max(1, n // 60)
        k = min(k, n)
        return k, n - k

    ident = {i: split(int(rnd.lognormvariate(4.5, 1.3)) if rnd.random() > 0.1
                      else rnd.randint(0, 9)) for i in insatser}
    anon = {i: split(rnd.choice([0, 0, 0, 1, 2, 3, 7, 12, 40])) for i in insatser}
    vol = {i: rnd.choice([0, 0, 0, 0, 2, 4, 30, 250]) for i in insatser}
    tot = {s: sum(v[j] for v in ident.values()) for j, s in enumerate("KM")}
    atot = {s: sum(v[j] for v in anon.values()) for j, s in enumerate("KM")}

    def kmt(pair: tuple[int, int], ref: Any) -> list[Cell]:
        return [Cell(COUNT, v, ref=ref(s)) for v, s in zip((*pair, sum(pair)), "KMT",
                                                              strict=True)]

    head = Table("headline", "", "", kmt_columns(), triples=kmt_triples(1))
    head.rows.append(Row("a", kmt((tot["K"], tot["M"]),
                                  lambda s: linking.headline("participants_active", s)), "a"))
    head.rows.append(Row("n", kmt((atot["K"], atot["M"]),
                                  lambda s: linking.headline("anonymous_started", s)), "n"))
    ins = Table("interventions", "", "", [*kmt_columns(), *kmt_columns(), "V"],
                triples=kmt_triples(2))
    cost = Table("costs", "", "", [*kmt_columns(), "per"], triples=kmt_triples(1))
    for i in insatser:
        ins.rows.append(Row(str(i), [*kmt(ident[i], lambda s, i=i: linking.insats_identified(i, s)),
                                     *kmt(anon[i], lambda s, i=i: linking.insats_anonymous(i, s)),
                                     Cell(COUNT, vol[i], ref=linking.insats_volume(i))], str(i)))
        part = (ident[i][0] + anon[i][0], ident[i][1] + anon[i][1])
        cost.rows.append(Row(f"{i}:2024", [
            *kmt(part, lambda s, i=i: linking.cost_row(i, 2024, s)),
            Cell(PER, 1000, denominator=sum(part), den_ref=linking.cost_row(i, 2024, "T"))],
            f"{i}:2024"))
    cov = Table("coverage", "", "", kmt_columns(), triples=kmt_triples(1))
    shares = [rnd.random() for _ in kommuner]
    left = dict(tot)
    for n, code in enumerate(kommuner):
        if n == len(kommuner) - 1:
            pair = (left["K"], left["M"])
        else:
            pair = tuple(min(left[s], int(tot[s] * shares[n] / sum(shares))) for s in "KM")
            left = {s: left[s] - v for s, v in zip("KM", pair, strict=True)}
        cov.rows.append(Row(code, kmt(pair, lambda s, c=code: linking.kommun_active(c, s)), code))
    matrix = Table("transition", "", "", [str(j) for j in range(16)])
    for x in range(16):
        base = len(matrix.rows)
        values = [[rnd.choice([0, 0, 1, 3, 8, 40, 400]) for _ in range(16)] for _ in range(2)]
        for r, s in enumerate("KMT"):
            cells = [Cell(COUNT, values[0][j] + values[1][j] if s == "T" else values[r][j])
                     for j in range(16)]
            matrix.rows.append(Row(f"{x}{s}", cells, f"{x}:{s}"))
        matrix.row_triples.append((base, base + 1, base + 2))
    layout = linking.Layout(insatser=insatser, cost_rows=[(i, 2024) for i in insatser],
                            kommuner=kommuner)
    return [head, ins, cost, cov, matrix], layout


def floor_protection(built: list[tables.Table], threshold: int) -> int:
    """What was done before issue 8: each table on its own, primary + single-relation
    secondary suppression, no links and no exact audit. Returns the number hidden."""
    hidden = 0
    for table in built:
        values: dict[Any, int | None] = {}
        for r, row in enumerate(table.rows):
            for c, cell in enumerate(row.cells):
                if cell.kind == tables.COUNT:
                    values[(r, c)] = cell.value  # type: ignore[assignment]
        rels = [protection.Relation((r, t), ((r, k), (r, m)))
                for r in range(len(table.rows)) for k, m, t in table.triples]
        rels += [protection.Relation((t, c), ((k, c), (m, c)))
                 for k, m, t in table.row_triples for c in range(len(table.rows[t].cells))]
        by_var = protection._index(rels)
        primary = {k for k, v in values.items() if protection.is_primary(v, threshold)}
        found = set(primary)
        protection._secondary(values, rels, by_var, set(primary), found)
        hidden += len(found)
    return hidden


def cpu_timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median CPU time of this process (the machine may be shared: wall time is noisy)."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), result


def bench_protection(repeat: int, threshold: int = 5) -> None:
    built, layout = national_size_tables()
    links = linking.relations(layout)
    n_cells = sum(len(r.cells) for t in built for r in t.rows)
    t_floor, n_floor = cpu_timed(lambda: floor_protection(built, threshold), repeat)
    t_linked, hidden = cpu_timed(lambda: tables.protect_tables(built, links, threshold), repeat)
    print(f"protection, national-size tables ({n_cells} cells, {len(links)} links), CPU time:")
    print(f"  floor (per table, greedy only):   {t_floor * 1000:8.1f} ms median, "
          f"{n_floor} hidden")
    print(f"  linked + exact audit (issue 8):   {t_linked * 1000:8.1f} ms median, "
          f"{len(hidden)} hidden, ratio {t_linked / t_floor if t_floor else float('nan'):.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--synthetic-only", action="store_true")
    parser.add_argument("--export", choices=("pdf", "xlsx"), default=None,
                        help="run only this export, in this process (used by the full run)")
    args = parser.parse_args()
    if args.export:
        export_only(args.export, args.year)
        return
    bench_protection(args.repeat)
    if args.synthetic_only:
        return
    from django.utils import timezone

    today = timezone.localdate()
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    participations = Participation.objects.count()
    facts = ParticipationFact.objects.count()
    if facts == 0 and participations:
        from stegvis.participants.facts import rebuild_all_facts

        t0 = time.perf_counter()
        facts = rebuild_all_facts()
        print(f"fact table was empty: rebuilt {facts} rows in {time.perf_counter() - t0:.2f} s")
    print(f"participations: {participations}, fact rows: {facts}")
    year = args.year
    if year is None:
        last = ParticipationFact.objects.order_by("-start_date").values_list(
            "start_date", flat=True
        ).first()
        year = last.year if last else today.year
    period = periods.year_period(year)
    user = BenchUser()
    print(f"period: {year}, repeat: {args.repeat}")

    national_q = selectors.resolve_query(user=user, period=period)
    t_nat, figures = timed(lambda: selectors.headline(user=user, query=national_q), args.repeat)
    print(f"headline, whole country:        {t_nat * 1000:8.1f} ms median")

    biggest = (
        ParticipationFact.objects.values("association_id").order_by().annotate(
            n=django.db.models.Count("pk")
        ).order_by("-n").first()
    )
    if biggest:
        one_q = selectors.resolve_query(
            user=user, period=period, association_ids=[biggest["association_id"]]
        )
        t_one, _ = timed(lambda: selectors.headline(user=user, query=one_q), args.repeat)
        print(f"headline, one förbund ({biggest['n']} rows): {t_one * 1000:8.1f} ms median")
    else:
        one_q = None
        print("headline, one förbund: no data")

    t_bundle, _ = timed(lambda: reports.build_bundle(user=user, query=national_q), args.repeat)
    print(f"protected bundle, whole country, built (headline + 6 reports + national table, "
          f"one protection run; what the first request after a write pays): "
          f"{t_bundle * 1000:8.1f} ms median, {t_bundle / t_nat:.1f}x the headline")
    reports.bundle(user=user, query=national_q)
    t_cached, _ = timed(lambda: reports.bundle(user=user, query=national_q), args.repeat)
    print(f"protected bundle, whole country, from the cache (version check + unpickling; "
          f"every later request until the next write): {t_cached * 1000:8.1f} ms median")

    if connection.vendor == "postgresql":
        t_sql, sql = timed(lambda: floor_sql(period, today), args.repeat)
        print(f"floor SQL, country (3 statements): {t_sql * 1000:8.1f} ms median")
        print(f"ratio ORM headline / floor SQL: {t_nat / t_sql if t_sql else float('nan'):8.2f}x"
              " (both: the 24 counts per sex over the same rows, distinct persons and the"
              " median in their own statements; the ORM figure also includes the anonymous,"
              " volume and cost lookups and building the figures)")
        for key, column in (("participants_active", "participants_active"),
                            ("persons_active", "persons_active"),
                            ("work_or_studies_after", "work_or_studies_after"),
                            ("followup_12m_response", "n_fu12_measured")):
            total_sql = sum(r.get(column) or 0 for r in sql.values())
            figure = figures[(key, "T")]
            total_orm = figure.numerator if figure.denominator else figure.value
            print(f"check: {key} T  ORM={total_orm}  SQL={total_sql}  "
                  f"{'OK' if total_orm == total_sql else 'DIFFERENT'}")
    else:
        print("floor SQL: PostgreSQL only (FILTER and PERCENTILE_CONT)")

    # Each export in a process of its own: ru_maxrss only rises, so a figure read after another
    # export in the same process would be the larger of the two.
    for kind in ("pdf", "xlsx"):
        out = subprocess.run(
            [sys.executable, __file__, "--export", kind, "--year", str(year)],
            capture_output=True, text=True, check=False,
        )
        print(out.stdout.strip() or out.stderr.strip()[-2000:])


def export_only(kind: str, year: int | None) -> None:
    """One export in this (fresh) process, with its peak RSS."""
    from django.utils import timezone

    user = BenchUser()
    period = periods.year_period(year or timezone.localdate().year)
    rss_start = peak_rss_mb()
    if kind == "xlsx":
        q = selectors.resolve_query(user=user, period=period)
        t, body = timed(lambda: exports.to_xlsx(reports.national(user=user, query=q)), 1)
        print(f"XLSX, national view (own process): {t:6.2f} s, {len(body) / 1024:.0f} KiB, "
              f"peak RSS {peak_rss_mb():.0f} MB (after start-up {rss_start:.0f} MB)")
        return
    biggest = (ParticipationFact.objects.values("association_id").order_by()
               .annotate(n=django.db.models.Count("pk")).order_by("-n").first())
    if biggest is None:
        print("PDF: no data")
        return
    q = selectors.resolve_query(user=user, period=period,
                                association_ids=[biggest["association_id"]])
    n_ins = len(reports.bundle(user=user, query=q).reports["insatser"].tables[0].rows)

    def pdf() -> bytes:
        b = reports.bundle(user=user, query=q)
        built = [b.reports[name] for name in reports.REPORTS]
        combined = Report("helar", "Alla rapporter", q, [t for r in built for t in r.tables],
                          threshold=built[0].threshold)
        return exports.to_pdf(combined)

    # The first PDF of a process also pays WeasyPrint's font and style set-up and draws the
    # charts; a running server has done both already (charts are cached per content).
    t_cold, body = timed(pdf, 1)
    t_warm, body = timed(pdf, 3)
    print(f"PDF, one förbund-year, 6 reports, {n_ins} insatser rows (own process): "
          f"{t_warm:6.2f} s median of 3 warm ({t_cold:.2f} s the first), "
          f"{len(body) / 1024:.0f} KiB, peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
