"""The six reports of indicators.md, the start page per förbund and the national view.

Each builder reads aggregates through :mod:`selectors` (scoped to the user) and returns a
:class:`Report` of :class:`tables.Table`; suppression is applied once, to each final table,
by :func:`finalise_report`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.utils import timezone

from stegvis.indicators import maths, periods, selectors
from stegvis.indicators.maths import Figure
from stegvis.indicators.selectors import NO_PUBLIC, ReportQuery
from stegvis.indicators.tables import (
    AMOUNT,
    COUNT,
    MEDIAN,
    TEXT,
    Cell,
    Row,
    Table,
    change_cell,
    finalise,
    kmt_columns,
    kmt_triples,
    rate_cell,
)
from stegvis.reference.models import CodeList

KMT: Final = ("K", "M", "T")

REPORT_TITLES: Final[dict[str, str]] = {
    "standard": "Standardrapport",
    "deltagare": "Deltagarrapport",
    "insatser": "Insatsrapport",
    "kostnader": "Kostnadsrapport",
    "uppfoljning": "Uppföljningsrapport",
    "tackning": "Täckning",
}


@dataclass
class Report:
    name: str
    title: str
    query: ReportQuery
    tables: list[Table]
    threshold: int = 5
    generated: dt.date = field(default_factory=timezone.localdate)
    notes: list[str] = field(default_factory=list)

    @property
    def scope_label(self) -> str:
        if self.query.association_ids is None:
            return "Hela landet"
        return ", ".join(self.query.association_names)

    def meta(self) -> dict[str, Any]:
        f = self.query.filters
        return {
            "report": self.name,
            "title": self.title,
            "period": {
                "from": self.query.period.start.isoformat(),
                "to": self.query.period.end.isoformat(),
                "label": self.query.period.label,
            },
            "scope": self.scope_label,
            "associations": list(self.query.association_ids)
            if self.query.association_ids is not None
            else None,
            "interventions": list(self.query.intervention_ids),
            "filters": {
                "sex": f.sex or None,
                "age_groups": list(f.age_groups),
                "target_group": f.target_group or None,
                "kommun": f.kommun or None,
            },
            "suppression_threshold": self.threshold,
            "generated": self.generated.isoformat(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.meta(), "notes": self.notes, "tables": [t.as_dict() for t in self.tables]}


def threshold() -> int:
    return int(settings.STEGVIS_SUPPRESSION_THRESHOLD)


def finalise_report(report: Report) -> Report:
    report.threshold = threshold()
    for table in report.tables:
        finalise(table, report.threshold)
    return report


def _count_kmt(data: dict[tuple[Any, ...], dict[str, int]], prefix: tuple[Any, ...],
               name: str) -> list[Cell]:
    return [Cell(COUNT, selectors._get(data, (*prefix, s), name)) for s in KMT]


# --- headline --------------------------------------------------------------------------------


def headline_cell(key: str, fig: Figure) -> Cell:
    kind = maths.HEADLINE_KIND[key]
    if kind == "count":
        return Cell(COUNT, fig.value)
    if kind == "rate":
        return rate_cell(fig.numerator or 0, fig.denominator or 0)
    if kind == "median":
        return Cell(MEDIAN, fig.value, denominator=fig.denominator)
    return Cell(AMOUNT, round(fig.value) if fig.value is not None else None)


def headline_table(
    figures: dict[tuple[str, str], Figure], caption: str, key: str = "headline"
) -> Table:
    table = Table(
        key=key, caption=caption, row_header="Indikator", columns=kmt_columns(),
        triples=kmt_triples(1),
    )
    for k in maths.HEADLINE_KEYS:
        table.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)]) for s in KMT], key=k)
        )
    return table


def headline_report(*, user: Any, query: ReportQuery) -> Report:
    figures = selectors.headline(user=user, query=query)
    table = headline_table(figures, f"Huvudindikatorer {query.period.label}")
    return Report("indikatorer", "Huvudindikatorer", query, [table])


# --- the six reports -----------------------------------------------------------------------


def standard(*, user: Any, query: ReportQuery) -> Report:
    data = selectors.activity_before_after(user=user, query=query)
    act = Table(
        key="activity",
        caption="Sysselsättning före och efter (utfallsgruppen: avslutade med start- och "
        "slutmätning)",
        row_header="Sysselsättning",
        columns=[*kmt_columns("Före:"), *kmt_columns("Efter:")],
        triples=kmt_triples(2),
        chart=True,
    )
    for cat in maths.CATEGORIES:
        act.rows.append(
            Row(
                maths.CATEGORY_LABELS[cat],
                [*_count_kmt(data, (), f"start_{cat}"), *_count_kmt(data, (), f"end_{cat}")],
                key=cat,
            )
        )
    figures = selectors.headline(user=user, query=query)
    main = Table(
        key="results",
        caption="Resultat för utfallsgruppen",
        row_header="Indikator",
        columns=kmt_columns(),
        triples=kmt_triples(1),
        chart=False,
    )
    for k in ("participants_ended", "work_or_studies_before", "work_or_studies_after"):
        main.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)]) for s in KMT], key=k)
        )
    main.rows.append(
        Row(
            "Förändring arbete eller studier (procentenheter)",
            [change_cell(main.cell(1, c), main.cell(2, c), ((1, c), (2, c))) for c in range(3)],
            key="work_or_studies_change",
        )
    )
    for k in ("no_public_support_before", "no_public_support_after"):
        main.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)]) for s in KMT], key=k)
        )
    main.rows.append(
        Row(
            "Förändring utan offentlig försörjning (procentenheter)",
            [change_cell(main.cell(4, c), main.cell(5, c), ((4, c), (5, c))) for c in range(3)],
            key="no_public_support_change",
        )
    )
    for k in ("started_or_increased_extent", "step_progress", "median_days_in_intervention"):
        main.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)]) for s in KMT], key=k)
        )
    return Report("standard", REPORT_TITLES["standard"], query, [act, main])


def _code_table(
    data: dict[tuple[Any, ...], dict[str, int]],
    *,
    key: str,
    caption: str,
    row_header: str,
    rows: list[tuple[str, str]],
    missing_label: str = "Uppgift saknas",
) -> Table:
    """A K/M/T distribution with a total row; values not in ``rows`` go to ``missing``."""
    known = {k for k, _ in rows}
    table = Table(key=key, caption=caption, row_header=row_header, columns=kmt_columns(),
                  triples=kmt_triples(1))
    missing = dict.fromkeys(KMT, 0)
    for (value, sex), counts in data.items():
        if value not in known:
            missing[sex] += counts["n"]
    for k, label in rows:
        table.rows.append(Row(label, _count_kmt(data, (k,), "n"), key=k))
    if any(missing.values()):
        table.rows.append(Row(missing_label, [Cell(COUNT, missing[s]) for s in KMT], key=""))
    totals = dict.fromkeys(KMT, 0)
    for (_, sex), counts in data.items():
        totals[sex] += counts["n"]
    table.total_row = len(table.rows)
    table.rows.append(Row("Totalt", [Cell(COUNT, totals[s]) for s in KMT], key="total"))
    return table


def participants(*, user: Any, query: ReportQuery) -> Report:
    income_codes = selectors.codes(CodeList.INCOME_SOURCE)
    keys = [c.key for c in income_codes] + [NO_PUBLIC]
    labels = [c.label for c in income_codes] + ["Ingen offentlig försörjning"]
    data = selectors.income_before_after(user=user, query=query, keys=keys)
    income = Table(
        key="income",
        caption="Försörjning före och efter (utfallsgruppen; flera källor per person möjligt)",
        row_header="Försörjning",
        columns=[*kmt_columns("Före:"), *kmt_columns("Efter:")],
        triples=kmt_triples(2),
        chart=True,
    )
    for i, label in enumerate(labels):
        income.rows.append(
            Row(label, [*_count_kmt(data, (), f"s{i}"), *_count_kmt(data, (), f"e{i}")],
                key=keys[i])
        )
    matrix_data = selectors.transition_matrix(user=user, query=query, keys=keys)
    matrix = Table(
        key="transition",
        caption="Övergångsmatris: försörjning vid start (rad) och vid avslut (kolumn)",
        row_header="Vid start \\ vid avslut",
        columns=list(labels),
    )
    sex_label = {"K": "kvinnor", "M": "män", "T": "totalt"}
    for i, x in enumerate(labels):
        base = len(matrix.rows)
        for s in KMT:
            matrix.rows.append(
                Row(
                    f"{x} – {sex_label[s]}",
                    [
                        Cell(COUNT, selectors._get(matrix_data, (s,), f"x{i}_{j}"))
                        for j in range(len(labels))
                    ],
                    key=f"{keys[i]}:{s}",
                )
            )
        matrix.row_triples.append((base, base + 1, base + 2))
    from stegvis.indicators.periods import AGE_GROUP_LABELS, AGE_GROUPS

    ages = _code_table(
        selectors.distribution(user=user, query=query, field_name="age_group",
                               population="started"),
        key="age", caption="Påbörjade deltaganden efter åldersgrupp vid start",
        row_header="Åldersgrupp",
        rows=[(k, AGE_GROUP_LABELS[k]) for k, _, _ in AGE_GROUPS],
        missing_label=AGE_GROUP_LABELS[periods.UNKNOWN],
    )
    education = _code_table(
        selectors.distribution(user=user, query=query, field_name="education_level",
                               population="started"),
        key="education", caption="Påbörjade deltaganden efter utbildningsnivå",
        row_header="Utbildningsnivå",
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.EDUCATION_LEVEL)],
    )
    support = _code_table(
        selectors.distribution(user=user, query=query, field_name="public_support_duration",
                               population="started"),
        key="support_duration",
        caption="Påbörjade deltaganden efter tid i offentlig försörjning före start",
        row_header="Tid i offentlig försörjning",
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.PUBLIC_SUPPORT_DURATION)],
    )
    exits = _code_table(
        selectors.distribution(user=user, query=query, field_name="exit_reason",
                               population="ended"),
        key="exit_reasons", caption="Avslutade deltaganden efter avslutsanledning",
        row_header="Avslutsanledning",
        rows=[
            (c.key, c.label) for c in selectors.codes(CodeList.EXIT_REASON)
            if c.key != "felregistrering"
        ],
    )
    return Report(
        "deltagare", REPORT_TITLES["deltagare"], query,
        [income, matrix, ages, education, support, exits],
        notes=["Försörjningskällorna är flervalda: raderna i övergångsmatrisen summerar inte "
               "till utfallsgruppen."],
    )


def interventions(*, user: Any, query: ReportQuery) -> Report:
    items = selectors.interventions_overview(user=user, query=query)
    text_cols = ["Förbund", "Inriktning", "Preciserad inriktning", "Målgrupper",
                 "Uppföljningsmetod", "Anordnare", "Startdatum", "Slutdatum"]
    table = Table(
        key="interventions",
        caption="Insatser med planerat och faktiskt antal deltagare",
        row_header="Insats",
        columns=[*text_cols, "Planerat antal deltagare",
                 *kmt_columns("Identifierade:"), *kmt_columns("Anonyma:"), "Volym"],
    )
    n = len(text_cols)
    table.triples = [(n + 1, n + 2, n + 3), (n + 4, n + 5, n + 6)]
    for item in items:
        i = item["intervention"]
        ak, am = item["anonymous"]
        table.rows.append(
            Row(
                i.name,
                [
                    Cell(TEXT, i.association.name),
                    Cell(TEXT, i.get_orientation_display()),
                    Cell(TEXT, str(i.precise_orientation or "")),
                    Cell(TEXT, ", ".join(c.label for c in i.target_groups.all())),
                    Cell(TEXT, i.get_follow_up_method_display()),
                    Cell(TEXT, str(i.organiser)),
                    Cell(TEXT, i.start_date.isoformat()),
                    Cell(TEXT, i.end_date.isoformat() if i.end_date else ""),
                    Cell(AMOUNT, item["planned"]),
                    *[Cell(COUNT, item["identified"][s]) for s in KMT],
                    Cell(COUNT, ak), Cell(COUNT, am), Cell(COUNT, ak + am),
                    Cell(AMOUNT, item["volume"]),
                ],
                key=str(i.pk),
            )
        )
    return Report("insatser", REPORT_TITLES["insatser"], query, [table],
                  notes=["Volymräkningar redovisas utan uppdelning och blandas aldrig in i "
                         "andelar."])


def costs(*, user: Any, query: ReportQuery) -> Report:
    rows = selectors.costs(user=user, query=query)
    table = Table(
        key="costs",
        caption="Budget och utfall per insats och år",
        row_header="Insats",
        columns=["År", "Budget (kr)", "Utfall (kr)", *kmt_columns("Deltagare:"),
                 "Kostnad per deltagare (kr)"],
        triples=[(3, 4, 5)],
    )
    totals = {"budget": 0, "actual": 0, "K": 0, "M": 0, "T": 0}
    for r in rows:
        actual = r["actual"]
        part = r["participants"]
        per = round(float(actual) / part["T"]) if actual is not None and part["T"] else None
        table.rows.append(
            Row(
                r["intervention"].name,
                [Cell(TEXT, str(r["year"])), Cell(AMOUNT, int(r["budget"] or 0)),
                 Cell(AMOUNT, int(actual) if actual is not None else None),
                 *[Cell(COUNT, part[s]) for s in KMT], Cell(AMOUNT, per)],
                key=f"{r['intervention'].pk}:{r['year']}",
            )
        )
        totals["budget"] += int(r["budget"] or 0)
        totals["actual"] += int(actual or 0)
        for s in KMT:
            totals[s] += part[s]
    table.total_row = len(table.rows)
    table.rows.append(
        Row("Totalt", [Cell(TEXT, ""), Cell(AMOUNT, totals["budget"]),
                       Cell(AMOUNT, totals["actual"]),
                       *[Cell(COUNT, totals[s]) for s in KMT], Cell(AMOUNT, None)], key="total")
    )
    figures = selectors.headline(user=user, query=query)
    cpp = Table(
        key="cost_per_participant",
        caption="Kostnad per deltagare för perioden (utfall / aktiva identifierade + anonyma)",
        row_header="Indikator",
        columns=["Totalt"],
    )
    cpp.rows.append(
        Row(maths.HEADLINE_LABEL["cost_per_participant"],
            [headline_cell("cost_per_participant", figures[("cost_per_participant", "T")])],
            key="cost_per_participant")
    )
    return Report("kostnader", REPORT_TITLES["kostnader"], query, [table, cpp])


def follow_up(*, user: Any, query: ReportQuery) -> Report:
    tables = []
    for k in maths.FOLLOW_UP_MONTHS:
        d = selectors.follow_up_details(user=user, query=query, k=k)
        t = Table(
            key=f"followup_{k}m",
            caption=f"Uppföljning {k} månader efter avslut (uppföljningsdatum i perioden)",
            row_header="Mått",
            columns=kmt_columns(),
            triples=kmt_triples(1),
            chart=k == 12,
        )

        def g(name: str, s: str, data: dict[tuple[Any, ...], dict[str, int]] = d) -> int:
            return selectors._get(data, (s,), name)

        t.rows.append(Row("Ska följas upp (samtycke)", [Cell(COUNT, g("due", s)) for s in KMT],
                          key="due"))
        t.rows.append(Row("Svarsandel", [rate_cell(g("measured", s), g("due", s)) for s in KMT],
                          key="response"))
        for name, label in (
            ("wos_start", "I arbete eller studier vid start"),
            ("wos_end", "I arbete eller studier vid avslut"),
            ("wos_fu", f"I arbete eller studier efter {k} mån"),
            ("nps_start", "Utan offentlig försörjning vid start"),
            ("nps_end", "Utan offentlig försörjning vid avslut"),
            ("nps_fu", f"Utan offentlig försörjning efter {k} mån"),
        ):
            t.rows.append(
                Row(label, [rate_cell(g(name, s), g("measured", s)) for s in KMT], key=name)
            )
        tables.append(t)
    return Report(
        "uppfoljning", REPORT_TITLES["uppfoljning"], query, tables,
        notes=["Gruppen bestäms av uppföljningsdatumet (slutdatum + k månader) inom perioden "
               "och senast i dag. Andelarna vid start, avslut och uppföljning gäller samma "
               "personer: de som har uppföljningsmätningen."],
    )


COVERAGE_SHARE: Final = 0.05


def coverage(*, user: Any, query: ReportQuery) -> Report:
    data = selectors.coverage(user=user, query=query)
    table = Table(
        key="coverage",
        caption="Aktiva deltaganden per bostadskommun mot uppskattat behov (5 % av "
        "befolkningen 16–64 år)",
        row_header="Kommun",
        columns=[*kmt_columns("Deltagare:"), "Befolkning 16–64", "Uppskattat behov",
                 "Täckning"],
        triples=kmt_triples(1),
        chart=True,
    )
    for r, row in enumerate(data["rows"]):
        part = row["participants"]
        pop = row["population"]
        need = round(pop * COVERAGE_SHARE) if pop else None
        cov = rate_cell(part["T"], need or 0)
        table.rows.append(
            Row(row["name"],
                [*[Cell(COUNT, part[s]) for s in KMT], Cell(AMOUNT, pop), Cell(AMOUNT, need),
                 cov],
                key=row["code"])
        )
        table.linked.append(((r, 5), (r, 2)))
    notes = [f"Befolkning enligt SCB {data['population_year']}."] if data["population_year"] \
        else ["Befolkningsuppgifter saknas."]
    return Report("tackning", REPORT_TITLES["tackning"], query, [table], notes=notes)


REPORTS: Final[dict[str, Callable[..., Report]]] = {
    "standard": standard,
    "deltagare": participants,
    "insatser": interventions,
    "kostnader": costs,
    "uppfoljning": follow_up,
    "tackning": coverage,
}


def build(name: str, *, user: Any, query: ReportQuery) -> Report:
    """Build and suppress report ``name`` (KeyError for an unknown name)."""
    builder = REPORTS[name]
    return finalise_report(builder(user=user, query=query))


# --- start page and national view ----------------------------------------------------------


def association_start(*, user: Any, association_id: int, today: dt.date | None = None) -> Report:
    association = selectors.association_for_reports(user=user, association_id=association_id)
    now = today or timezone.localdate()
    current = selectors.resolve_query(
        user=user, period=periods.year_period(now.year), association_ids=[association.pk]
    )
    previous = selectors.resolve_query(
        user=user, period=periods.year_period(now.year - 1), association_ids=[association.pk]
    )
    cur = headline_table(selectors.headline(user=user, query=current),
                         f"Huvudindikatorer {now.year}", key="headline_current")
    prev = headline_table(selectors.headline(user=user, query=previous),
                          f"Huvudindikatorer {now.year - 1}", key="headline_previous")
    months = selectors.started_by_month(user=user, query=current)
    month_names = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                   "september", "oktober", "november", "december"]
    by_month = Table(key="started_by_month", caption=f"Påbörjade deltaganden per månad {now.year}",
                     row_header="Månad", columns=kmt_columns(), triples=kmt_triples(1),
                     chart=True)
    for m in range(1, 13):
        by_month.rows.append(Row(month_names[m - 1].capitalize(),
                                 _count_kmt(months, (), f"m{m}"), key=str(m)))
    by_month.total_row = 12
    by_month.rows.append(
        Row("Totalt", [Cell(COUNT, sum(selectors._get(months, (s,), f"m{m}")
                                       for m in range(1, 13))) for s in KMT], key="total")
    )
    due = selectors.follow_ups_due(user=user, query=current, today=now)
    fu = Table(key="follow_ups_due", caption="Uppföljningar som ska göras nu",
               row_header="Uppföljning", columns=kmt_columns(), triples=kmt_triples(1))
    for k in maths.FOLLOW_UP_MONTHS:
        fu.rows.append(Row(f"{k} månader", _count_kmt(due, (), f"fu{k}"), key=str(k)))
    report = Report("start", association.name, current, [cur, prev, by_month, fu])
    return finalise_report(report)


def national(*, user: Any, query: ReportQuery) -> Report:
    associations, data = selectors.by_association(user=user, query=query)
    table = Table(
        key="national",
        caption=f"Alla förbund {query.period.label}",
        row_header="Förbund",
        columns=[*kmt_columns("Aktiva:"), *kmt_columns("Påbörjade:"), *kmt_columns("Avslutade:"),
                 "I arbete eller studier efter", "Utan offentlig försörjning efter"],
        triples=kmt_triples(3),
        chart=True,
    )
    totals: dict[str, dict[str, int]] = {s: {} for s in KMT}

    def cells(get: Callable[[str, str], int]) -> list[Cell]:
        out: list[Cell] = []
        for name in ("participants_active", "participants_started", "participants_ended"):
            out.extend(Cell(COUNT, get(name, s)) for s in KMT)
        out.append(rate_cell(get("work_or_studies_after", "T"), get("cohort", "T")))
        out.append(rate_cell(get("no_public_support_after", "T"), get("cohort", "T")))
        return out

    for a in associations:
        def get(name: str, s: str, pk: int = a.pk) -> int:
            return selectors._get(data, (pk, s), name)

        for s in KMT:
            for name in ("participants_active", "participants_started", "participants_ended",
                         "work_or_studies_after", "no_public_support_after", "cohort"):
                totals[s][name] = totals[s].get(name, 0) + get(name, s)
        table.rows.append(Row(a.name, cells(get), key=str(a.pk)))
    table.total_row = len(table.rows)
    table.rows.append(Row("Hela landet", cells(lambda n, s: totals[s].get(n, 0)), key="total"))
    report = Report("nationellt", "Nationell översikt", query, [table])
    return finalise_report(report)


def yearly_aggregate(*, user: Any, association_id: int, year: int) -> Report:
    """The national follow-up's yearly figures of one förbund: insatser with participants by
    sex, budget and actual cost (suppressed like every other export)."""
    association = selectors.association_for_reports(user=user, association_id=association_id)
    query = selectors.resolve_query(
        user=user, period=periods.year_period(year), association_ids=[association.pk]
    )
    items = selectors.interventions_overview(user=user, query=query)
    money = {
        r["intervention"].pk: r for r in selectors.costs(user=user, query=query)
    }
    table = Table(
        key="yearly",
        caption=f"Insatser {year}: deltagare efter kön, budget och utfall",
        row_header="Insats",
        columns=["Inriktning", "Uppföljningsmetod", *kmt_columns("Identifierade:"),
                 *kmt_columns("Anonyma:"), "Volym", "Planerat antal deltagare",
                 "Budget (kr)", "Utfall (kr)"],
        triples=[(2, 3, 4), (5, 6, 7)],
    )
    for item in items:
        i = item["intervention"]
        ak, am = item["anonymous"]
        cost = money.get(i.pk)
        table.rows.append(
            Row(
                i.name,
                [
                    Cell(TEXT, i.get_orientation_display()),
                    Cell(TEXT, i.get_follow_up_method_display()),
                    *[Cell(COUNT, item["identified"][s]) for s in KMT],
                    Cell(COUNT, ak), Cell(COUNT, am), Cell(COUNT, ak + am),
                    Cell(AMOUNT, item["volume"]),
                    Cell(AMOUNT, item["planned"]),
                    Cell(AMOUNT, int(cost["budget"]) if cost and cost["budget"] is not None
                         else None),
                    Cell(AMOUNT, int(cost["actual"]) if cost and cost["actual"] is not None
                         else None),
                ],
                key=str(i.pk),
            )
        )
    report = Report("arsuppgifter", f"Årsuppgifter {year}", query, [table])
    return finalise_report(report)
