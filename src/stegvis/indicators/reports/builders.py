"""The six reports of indicators.md and the tables that share their counts.

Each builder reads aggregates through :mod:`stegvis.indicators.selectors` (scoped to the user)
and returns a :class:`Report` of raw :class:`stegvis.indicators.tables.Table`;
:mod:`.protected` protects them together, and every output takes its report out of that bundle.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.indicators import linking, maths, periods, selectors
from stegvis.indicators.linking import headline
from stegvis.indicators.reports.followup import follow_up
from stegvis.indicators.reports.report import (
    KMT,
    REPORT_TITLES,
    Figures,
    Report,
    _code_table,
    _count_kmt,
    headline_cell,
)
from stegvis.indicators.selectors import NO_PUBLIC, ReportQuery
from stegvis.indicators.tables import (
    AMOUNT,
    COUNT,
    PER,
    RATE,
    TEXT,
    Cell,
    Row,
    Table,
    change_cell,
    kmt_columns,
    kmt_triples,
)
from stegvis.participants.fact_rules import AGE_GROUPS
from stegvis.reference.models import CodeList

# --- the six reports (raw tables; protected together by :func:`bundle`) -----------------


def standard(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    data = selectors.activity_before_after(user=user, query=query)
    act = Table(
        key="activity",
        caption=_(
            "Sysselsättning före och efter (utfallsgruppen: avslutade med start- och slutmätning)"
        ),
        row_header=_("Sysselsättning"),
        columns=[*kmt_columns(_("Före:")), *kmt_columns(_("Efter:"))],
        triples=kmt_triples(2),
        chart=True,
    )
    for cat in maths.CATEGORIES:
        act.rows.append(
            Row(
                _(maths.CATEGORY_LABELS[cat]),
                [*_count_kmt(data, (), f"start_{cat}"), *_count_kmt(data, (), f"end_{cat}")],
                key=cat,
            )
        )
    main = Table(
        key="results",
        caption=_("Resultat för utfallsgruppen"),
        row_header=_("Indikator"),
        columns=kmt_columns(),
        triples=kmt_triples(1),
        chart=False,
    )

    def add(k: str) -> None:
        main.rows.append(
            Row(_(maths.HEADLINE_LABEL[k]), [headline_cell(k, figures[(k, s)], s) for s in KMT],
                key=k)
        )

    for k in ("participants_ended", "work_or_studies_before", "work_or_studies_after"):
        add(k)
    main.rows.append(
        Row(
            _("Förändring arbete eller studier (procentenheter)"),
            [change_cell(main.cell(1, c), main.cell(2, c), ((1, c), (2, c))) for c in range(3)],
            key="work_or_studies_change",
        )
    )
    for k in ("no_public_support_before", "no_public_support_after"):
        add(k)
    main.rows.append(
        Row(
            _("Förändring utan offentlig försörjning (procentenheter)"),
            [change_cell(main.cell(4, c), main.cell(5, c), ((4, c), (5, c))) for c in range(3)],
            key="no_public_support_change",
        )
    )
    for k in ("started_or_increased_extent", "step_progress", "median_days_in_intervention"):
        add(k)
    return Report("standard", _(REPORT_TITLES["standard"]), query, [act, main])


def _income_table(*, user: Any, query: ReportQuery, keys: list[str], labels: list[str]) -> Table:
    data = selectors.income_before_after(user=user, query=query, keys=keys)
    income = Table(
        key="income",
        caption=_("Försörjning före och efter (utfallsgruppen; flera källor per person möjligt)"),
        row_header=_("Försörjning"),
        columns=[*kmt_columns(_("Före:")), *kmt_columns(_("Efter:"))],
        triples=kmt_triples(2),
        chart=True,
    )
    for i, label in enumerate(labels):
        before_ref = after_ref = None
        if keys[i] == NO_PUBLIC:  # the numerators of the headline's no_public_support rates
            def before_ref(s: str) -> Any:
                return headline("no_public_support_before", s)

            def after_ref(s: str) -> Any:
                return headline("no_public_support_after", s)
        income.rows.append(
            Row(label, [*_count_kmt(data, (), f"s{i}", before_ref),
                        *_count_kmt(data, (), f"e{i}", after_ref)],
                key=keys[i])
        )
    return income


def _transition_matrix(*, user: Any, query: ReportQuery, keys: list[str],
                       labels: list[str]) -> Table:
    matrix_data = selectors.transition_matrix(user=user, query=query, keys=keys)
    matrix = Table(
        key="transition",
        caption=_("Övergångsmatris: försörjning vid start (rad) och vid avslut (kolumn)"),
        row_header=_("Vid start \\ vid avslut"),
        columns=list(labels),
    )
    sex_label = {"K": _("kvinnor"), "M": _("män"), "T": _("totalt")}
    for i, x in enumerate(labels):
        base = len(matrix.rows)
        for s in KMT:
            matrix.rows.append(
                Row(
                    f"{x} – {sex_label[s]}",
                    [
                        Cell(COUNT, selectors.count_at(matrix_data, (s,), f"x{i}_{j}"))
                        for j in range(len(labels))
                    ],
                    key=f"{keys[i]}:{s}",
                )
            )
        matrix.row_triples.append((base, base + 1, base + 2))
    return matrix


def _started(s: str) -> Any:
    return headline("participants_started", s)


def _ended(s: str) -> Any:
    return headline("participants_ended", s)


def _distribution_tables(*, user: Any, query: ReportQuery) -> list[Table]:
    """Started participations by age group, education and time in public support; ended ones
    by exit reason."""
    ages = _code_table(
        selectors.distribution(user=user, query=query, field_name="age_group",
                               population="started"),
        key="age", caption=_("Påbörjade deltaganden efter åldersgrupp vid start"),
        row_header=_("Åldersgrupp"),
        rows=[(k, _(periods.AGE_GROUP_LABELS[k])) for k, _low, _high in AGE_GROUPS],
        missing_label=_(periods.AGE_GROUP_LABELS[periods.UNKNOWN]), total_ref=_started,
    )
    education = _code_table(
        selectors.distribution(user=user, query=query, field_name="education_level",
                               population="started"),
        key="education", caption=_("Påbörjade deltaganden efter utbildningsnivå"),
        row_header=_("Utbildningsnivå"),
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.EDUCATION_LEVEL)],
        total_ref=_started,
    )
    support = _code_table(
        selectors.distribution(user=user, query=query, field_name="public_support_duration",
                               population="started"),
        key="support_duration",
        caption=_("Påbörjade deltaganden efter tid i offentlig försörjning före start"),
        row_header=_("Tid i offentlig försörjning"),
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.PUBLIC_SUPPORT_DURATION)],
        total_ref=_started,
    )
    exits = _code_table(
        selectors.distribution(user=user, query=query, field_name="exit_reason",
                               population="ended"),
        key="exit_reasons", caption=_("Avslutade deltaganden efter avslutsanledning"),
        row_header=_("Avslutsanledning"),
        rows=[
            (c.key, c.label) for c in selectors.codes(CodeList.EXIT_REASON)
            if c.key != "felregistrering"
        ],
        total_ref=_ended,
    )
    return [ages, education, support, exits]


def participants(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    income_codes = selectors.codes(CodeList.INCOME_SOURCE)
    keys = [c.key for c in income_codes] + [NO_PUBLIC]
    labels = [c.label for c in income_codes] + [_("Ingen offentlig försörjning")]
    return Report(
        "deltagare",
        _(REPORT_TITLES["deltagare"]),
        query,
        [
            _income_table(user=user, query=query, keys=keys, labels=labels),
            _transition_matrix(user=user, query=query, keys=keys, labels=labels),
            *_distribution_tables(user=user, query=query),
        ],
        notes=[
            _(
                "Försörjningskällorna är flervalda: raderna i övergångsmatrisen summerar inte "
                "till utfallsgruppen."
            )
        ],
    )


# Column headers (msgids, translated where the table is built).
INTERVENTION_TEXT_COLUMNS: Final = (
    gettext_noop("Förbund"),
    gettext_noop("Inriktning"),
    gettext_noop("Preciserad inriktning"),
    gettext_noop("Målgrupper"),
    gettext_noop("Uppföljningsmetod"),
    gettext_noop("Anordnare"),
    gettext_noop("Startdatum"),
    gettext_noop("Slutdatum"),
)


def interventions(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    items = selectors.interventions_overview(user=user, query=query)
    table = Table(
        key="interventions",
        caption=_("Insatser med planerat och faktiskt antal deltagare"),
        row_header=_("Insats"),
        columns=[*map(_, INTERVENTION_TEXT_COLUMNS), _("Planerat antal deltagare"),
                 *kmt_columns(_("Identifierade:")), *kmt_columns(_("Anonyma:")), _("Volym")],
    )
    n = len(INTERVENTION_TEXT_COLUMNS)
    table.triples = [(n + 1, n + 2, n + 3), (n + 4, n + 5, n + 6)]
    for item in items:
        i = item["intervention"]
        if item["anonymous"] is None:
            anon = [Cell(COUNT, None, ref=linking.insats_anonymous(i.pk, s),
                         reason=item["anonymous_reason"]) for s in KMT]
        else:
            ak, am = item["anonymous"]
            anon = [Cell(COUNT, v, ref=linking.insats_anonymous(i.pk, s))
                    for v, s in zip((ak, am, ak + am), KMT, strict=True)]
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
                    *[Cell(COUNT, item["identified"][s],
                           ref=linking.insats_identified(i.pk, s)) for s in KMT],
                    *anon,
                    Cell(COUNT, item["volume"], ref=linking.insats_volume(i.pk),
                         reason=item["volume_reason"]),
                ],
                key=str(i.pk),
            )
        )
    return Report(
        "insatser",
        _(REPORT_TITLES["insatser"]),
        query,
        [table],
        notes=[_("Volymräkningar redovisas utan uppdelning och blandas aldrig in i andelar.")],
    )


def costs(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    rows = selectors.costs(user=user, query=query)
    f = query.filters
    per_reason = maths.REASON_COST_FILTER if f.narrows_people or f.sex else ""
    table = Table(
        key="costs",
        caption=_("Budget och utfall per insats och år"),
        row_header=_("Insats"),
        columns=[_("År"), _("Budget (kr)"), _("Utfall (kr)"), *kmt_columns(_("Deltagare:")),
                 _("Kostnad per deltagare (kr)")],
        triples=[(3, 4, 5)],
    )
    totals = {"budget": 0, "actual": 0, "K": 0, "M": 0, "T": 0}
    today = timezone.localdate()
    for r in rows:
        actual = r["actual"]
        part = r["participants"]
        pk, year = r["intervention"].pk, r["year"]
        per = (round(float(actual) / part["T"]) if actual is not None and part["T"]
               and not per_reason else None)
        reason = per_reason or ("" if per is not None else maths.REASON_NO_COST
                                if actual is None else maths.REASON_NO_PEOPLE)
        table.rows.append(
            Row(
                r["intervention"].name,
                [Cell(TEXT, str(year)), Cell(AMOUNT, int(r["budget"] or 0)),
                 Cell(AMOUNT, int(actual) if actual is not None else None,
                      reason=maths.REASON_NO_COST),
                 *[Cell(COUNT, part[s], ref=linking.cost_row(pk, year, s)) for s in KMT],
                 Cell(PER, per, denominator=part["T"], den_ref=linking.cost_row(pk, year, "T"),
                      reason=reason, preliminary=per is not None and year >= today.year)],
                key=f"{pk}:{year}",
            )
        )
        totals["budget"] += int(r["budget"] or 0)
        totals["actual"] += int(actual or 0)
        for s in KMT:
            totals[s] += part[s]
    table.total_row = len(table.rows)
    table.rows.append(
        Row(_("Totalt"), [Cell(TEXT, ""), Cell(AMOUNT, totals["budget"]),
                       Cell(AMOUNT, totals["actual"]),
                       *[Cell(COUNT, totals[s]) for s in KMT], Cell(TEXT, "")], key="total")
    )
    cpp = Table(
        key="cost_per_participant",
        caption=_("Kostnad per deltagare för perioden (utfall / aktiva identifierade + anonyma)"),
        row_header=_("Indikator"),
        columns=[_("Totalt")],
    )
    cpp.rows.append(
        Row(_(maths.HEADLINE_LABEL["cost_per_participant"]),
            [headline_cell("cost_per_participant", figures[("cost_per_participant", "T")],
                           "T")],
            key="cost_per_participant")
    )
    return Report(
        "kostnader",
        _(REPORT_TITLES["kostnader"]),
        query,
        [table, cpp],
        notes=[
            _(
                "Kostnad per deltagare är preliminär så länge utfallet för något av "
                "åren inte är stängt (året inte är slut eller utfall saknas)."
            )
        ],
    )


COVERAGE_SHARE: Final = 0.05


def coverage(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    data = selectors.coverage(user=user, query=query)
    table = Table(
        key="coverage",
        caption=_(
            "Aktiva deltaganden per bostadskommun mot uppskattat behov (5 % av "
            "befolkningen 16–64 år)"
        ),
        row_header=_("Kommun"),
        columns=[
            *kmt_columns(_("Deltagare:")),
            _("Befolkning 16–64"),
            _("Uppskattat behov"),
            _("Täckning"),
        ],
        triples=kmt_triples(1),
        chart=True,
        chart_column=5,
    )
    for row in data["rows"]:
        part = row["participants"]
        pop = row["population"]
        code = row["code"]
        need = round(pop * COVERAGE_SHARE) if pop else None
        reason = row["reason"] or ("" if need else maths.REASON_NO_POPULATION)
        cov = Cell(RATE, part["T"] / need if need else None, numerator=part["T"],
                   num_ref=linking.kommun_active(code, "T"), reason=reason)
        table.rows.append(
            Row(row["name"],
                [*[Cell(COUNT, part[s], ref=linking.kommun_active(code, s)) for s in KMT],
                 Cell(AMOUNT, pop, reason=reason), Cell(AMOUNT, need, reason=reason), cov],
                key=code)
        )
    notes = (
        [
            _(
                "Befolkning enligt SCB %(value)s; för kommundelar den befolkning som "
                "förbundet har angett."
            )
            % {"value": data["population_year"]}
        ]
        if data["population_year"]
        else [_("Befolkningsuppgifter saknas.")]
    )
    return Report("tackning", _(REPORT_TITLES["tackning"]), query, [table], notes=notes)


REPORTS: Final[dict[str, Callable[..., Report]]] = {
    "standard": standard,
    "deltagare": participants,
    "insatser": interventions,
    "kostnader": costs,
    "uppfoljning": follow_up,
    "tackning": coverage,
}

