"""The six reports of indicators.md, the start page per förbund and the national view.

Each builder reads aggregates through :mod:`selectors` (scoped to the user) and returns a
:class:`Report` of raw :class:`tables.Table`. :func:`bundle` builds every table of one scope and
period and protects them as *one* problem (:mod:`linking`, :mod:`protection`); every output —
page, CSV/XLSX/PDF, API, the yearly aggregate — takes its report out of that bundle.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from stegvis.access import scope
from stegvis.indicators import linking, maths, periods, selectors, versions
from stegvis.indicators.linking import cohort, fu_due, fu_measured, headline, step_both
from stegvis.indicators.maths import Figure
from stegvis.indicators.selectors import NO_PUBLIC, ReportQuery
from stegvis.indicators.tables import (
    AMOUNT,
    COUNT,
    MEDIAN,
    PER,
    RATE,
    TEXT,
    Cell,
    Row,
    Table,
    change_cell,
    kmt_columns,
    kmt_triples,
    protect_tables,
    rate_cell,
    threshold_sentence,
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

    @property
    def interventions_label(self) -> str:
        return ", ".join(self.query.intervention_names) or "Alla insatser"

    @property
    def filters_label(self) -> str:
        """Every active filter in words ("Inga urval" when none)."""
        return "; ".join(f"{k}: {v}" for k, v in self.query.filter_labels) or "Inga urval"

    @property
    def threshold_text(self) -> str:
        return threshold_sentence(self.threshold)

    def header_lines(self) -> list[tuple[str, str]]:
        """What the output shows: the same block on the page, in every export and the API."""
        return [
            ("Rapport", self.title),
            ("Förbund", self.scope_label),
            ("Insatser", self.interventions_label),
            ("Period", f"{self.query.period.label} ({self.query.period.start.isoformat()} – "
                       f"{self.query.period.end.isoformat()})"),
            ("Urval", self.filters_label),
            ("Sekretessgräns", self.threshold_text),
            ("Framtagen", self.generated.isoformat()),
        ]

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
            "filters_label": self.filters_label,
            "suppression_threshold": self.threshold,
            "suppression_text": self.threshold_text,
            "generated": self.generated.isoformat(),
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.meta(), "notes": self.notes, "tables": [t.as_dict() for t in self.tables]}


def threshold() -> int:
    return int(settings.STEGVIS_SUPPRESSION_THRESHOLD)


def _count_kmt(data: dict[tuple[Any, ...], dict[str, int]], prefix: tuple[Any, ...],
               name: str, ref: Callable[[str], Any] | None = None) -> list[Cell]:
    return [Cell(COUNT, selectors._get(data, (*prefix, s), name), ref=ref(s) if ref else None)
            for s in KMT]


# --- headline --------------------------------------------------------------------------------


def _rate_refs(key: str, sex: str) -> tuple[Any, Any]:
    """(numerator key, denominator key) of a headline rate."""
    if key.startswith("followup_"):
        k = int(key.split("_")[1].rstrip("m"))
        if key.endswith("_response"):
            return fu_measured(k, sex), fu_due(k, sex)
        return headline(key, sex), fu_measured(k, sex)
    if key == "step_progress":
        return headline(key, sex), step_both(sex)
    return headline(key, sex), cohort(sex)


def headline_cell(key: str, fig: Figure, sex: str) -> Cell:
    kind = maths.HEADLINE_KIND[key]
    if kind == "count":
        return Cell(COUNT, fig.value, ref=headline(key, sex), reason=fig.reason)
    if kind == "rate":
        num_ref, den_ref = _rate_refs(key, sex)
        return rate_cell(fig.numerator or 0, fig.denominator or 0, num_ref=num_ref,
                         den_ref=den_ref)
    if kind == "median":
        return Cell(MEDIAN, fig.value, denominator=fig.denominator, den_ref=cohort(sex),
                    reason=fig.reason or ("" if fig.value is not None
                                          else maths.REASON_NO_PEOPLE))
    return Cell(PER, round(fig.value) if fig.value is not None else None,
                denominator=fig.denominator,
                den_ref=linking.cost_participants() if sex == "T" else None,
                reason=fig.reason, preliminary=fig.preliminary)


def headline_table(
    figures: dict[tuple[str, str], Figure], caption: str, key: str = "headline"
) -> Table:
    table = Table(
        key=key, caption=caption, row_header="Indikator", columns=kmt_columns(),
        triples=kmt_triples(1),
    )
    for k in maths.HEADLINE_KEYS:
        table.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)], s) for s in KMT],
                key=k)
        )
    return table


# --- the six reports (raw tables; protected together by :func:`bundle`) -----------------

Figures = dict[tuple[str, str], Figure]


def standard(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
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
    main = Table(
        key="results",
        caption="Resultat för utfallsgruppen",
        row_header="Indikator",
        columns=kmt_columns(),
        triples=kmt_triples(1),
        chart=False,
    )

    def add(k: str) -> None:
        main.rows.append(
            Row(maths.HEADLINE_LABEL[k], [headline_cell(k, figures[(k, s)], s) for s in KMT],
                key=k)
        )

    for k in ("participants_ended", "work_or_studies_before", "work_or_studies_after"):
        add(k)
    main.rows.append(
        Row(
            "Förändring arbete eller studier (procentenheter)",
            [change_cell(main.cell(1, c), main.cell(2, c), ((1, c), (2, c))) for c in range(3)],
            key="work_or_studies_change",
        )
    )
    for k in ("no_public_support_before", "no_public_support_after"):
        add(k)
    main.rows.append(
        Row(
            "Förändring utan offentlig försörjning (procentenheter)",
            [change_cell(main.cell(4, c), main.cell(5, c), ((4, c), (5, c))) for c in range(3)],
            key="no_public_support_change",
        )
    )
    for k in ("started_or_increased_extent", "step_progress", "median_days_in_intervention"):
        add(k)
    return Report("standard", REPORT_TITLES["standard"], query, [act, main])


def _code_table(
    data: dict[tuple[Any, ...], dict[str, int]],
    *,
    key: str,
    caption: str,
    row_header: str,
    rows: list[tuple[str, str]],
    total_ref: Callable[[str], Any],
    missing_label: str = "Uppgift saknas",
) -> Table:
    """A K/M/T distribution with a total row (the headline count ``total_ref``); values not
    in ``rows`` go to ``missing``."""
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
    table.rows.append(Row("Totalt", [Cell(COUNT, totals[s], ref=total_ref(s)) for s in KMT],
                          key="total"))
    return table


def participants(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
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

    def started(s: str) -> Any:
        return headline("participants_started", s)

    def ended(s: str) -> Any:
        return headline("participants_ended", s)

    ages = _code_table(
        selectors.distribution(user=user, query=query, field_name="age_group",
                               population="started"),
        key="age", caption="Påbörjade deltaganden efter åldersgrupp vid start",
        row_header="Åldersgrupp",
        rows=[(k, AGE_GROUP_LABELS[k]) for k, _, _ in AGE_GROUPS],
        missing_label=AGE_GROUP_LABELS[periods.UNKNOWN], total_ref=started,
    )
    education = _code_table(
        selectors.distribution(user=user, query=query, field_name="education_level",
                               population="started"),
        key="education", caption="Påbörjade deltaganden efter utbildningsnivå",
        row_header="Utbildningsnivå",
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.EDUCATION_LEVEL)],
        total_ref=started,
    )
    support = _code_table(
        selectors.distribution(user=user, query=query, field_name="public_support_duration",
                               population="started"),
        key="support_duration",
        caption="Påbörjade deltaganden efter tid i offentlig försörjning före start",
        row_header="Tid i offentlig försörjning",
        rows=[(c.key, c.label) for c in selectors.codes(CodeList.PUBLIC_SUPPORT_DURATION)],
        total_ref=started,
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
        total_ref=ended,
    )
    return Report(
        "deltagare", REPORT_TITLES["deltagare"], query,
        [income, matrix, ages, education, support, exits],
        notes=["Försörjningskällorna är flervalda: raderna i övergångsmatrisen summerar inte "
               "till utfallsgruppen."],
    )


INTERVENTION_TEXT_COLUMNS: Final = (
    "Förbund", "Inriktning", "Preciserad inriktning", "Målgrupper", "Uppföljningsmetod",
    "Anordnare", "Startdatum", "Slutdatum",
)


def interventions(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    items = selectors.interventions_overview(user=user, query=query)
    table = Table(
        key="interventions",
        caption="Insatser med planerat och faktiskt antal deltagare",
        row_header="Insats",
        columns=[*INTERVENTION_TEXT_COLUMNS, "Planerat antal deltagare",
                 *kmt_columns("Identifierade:"), *kmt_columns("Anonyma:"), "Volym"],
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
    return Report("insatser", REPORT_TITLES["insatser"], query, [table],
                  notes=["Volymräkningar redovisas utan uppdelning och blandas aldrig in i "
                         "andelar."])


def costs(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    rows = selectors.costs(user=user, query=query)
    f = query.filters
    per_reason = maths.REASON_COST_FILTER if f.narrows_people or f.sex else ""
    table = Table(
        key="costs",
        caption="Budget och utfall per insats och år",
        row_header="Insats",
        columns=["År", "Budget (kr)", "Utfall (kr)", *kmt_columns("Deltagare:"),
                 "Kostnad per deltagare (kr)"],
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
        Row("Totalt", [Cell(TEXT, ""), Cell(AMOUNT, totals["budget"]),
                       Cell(AMOUNT, totals["actual"]),
                       *[Cell(COUNT, totals[s]) for s in KMT], Cell(TEXT, "")], key="total")
    )
    cpp = Table(
        key="cost_per_participant",
        caption="Kostnad per deltagare för perioden (utfall / aktiva identifierade + anonyma)",
        row_header="Indikator",
        columns=["Totalt"],
    )
    cpp.rows.append(
        Row(maths.HEADLINE_LABEL["cost_per_participant"],
            [headline_cell("cost_per_participant", figures[("cost_per_participant", "T")],
                           "T")],
            key="cost_per_participant")
    )
    return Report("kostnader", REPORT_TITLES["kostnader"], query, [table, cpp],
                  notes=["Kostnad per deltagare är preliminär så länge utfallet för något av "
                         "åren inte är stängt (året inte är slut eller utfall saknas)."])


def follow_up(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
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

        t.rows.append(Row("Ska följas upp (samtycke)",
                          [Cell(COUNT, g("due", s), ref=fu_due(k, s)) for s in KMT], key="due"))
        t.rows.append(Row("Svarsandel",
                          [rate_cell(g("measured", s), g("due", s), num_ref=fu_measured(k, s),
                                     den_ref=fu_due(k, s)) for s in KMT], key="response"))
        for name, label, headline_key in (
            ("wos_start", "I arbete eller studier vid start", None),
            ("wos_end", "I arbete eller studier vid avslut", None),
            ("wos_fu", f"I arbete eller studier efter {k} mån",
             f"followup_{k}m_work_or_studies"),
            ("nps_start", "Utan offentlig försörjning vid start", None),
            ("nps_end", "Utan offentlig försörjning vid avslut", None),
            ("nps_fu", f"Utan offentlig försörjning efter {k} mån",
             f"followup_{k}m_no_public_support"),
        ):
            t.rows.append(
                Row(label, [rate_cell(g(name, s), g("measured", s),
                                      num_ref=headline(headline_key, s) if headline_key else None,
                                      den_ref=fu_measured(k, s)) for s in KMT], key=name)
            )
        tables.append(t)
        tables.append(follow_up_coverage_table(user=user, query=query, k=k))
    tables.extend(register_tables(user=user, query=query))
    return Report(
        "uppfoljning", REPORT_TITLES["uppfoljning"], query, tables,
        notes=["Gruppen bestäms av uppföljningsdatumet (slutdatum + k månader) inom perioden "
               "och senast i dag. Andelarna vid start, avslut och uppföljning gäller samma "
               "personer: de som har uppföljningsmätningen.",
               "Registeruppgifter (när de finns) kommer från registerhållarens matchning av en "
               "kohortexport och visas bredvid de rapporterade uppföljningarna, aldrig "
               "sammanslagna med dem."],
    )


COVERAGE_ROWS: Final = (
    ("coach", "Mätta: registrerade av deltagaransvarig"),
    ("self_reported", "Mätta: självrapporterade"),
    ("not_reached", "Stängda: ej nådda"),
    ("declined", "Stängda: avböjt"),
    ("open", "Fortfarande öppna"),
)


def follow_up_coverage_table(*, user: Any, query: ReportQuery, k: int) -> Table:
    """Attrition of the k-month follow-up (issue 14 §3): the parts add up to those due, and the
    measured ones to the response rate's numerator, so all are protected as one problem."""
    d = selectors.follow_up_coverage(user=user, query=query, k=k)
    t = Table(
        key=f"followup_{k}m_coverage",
        caption=f"Täckning av uppföljningen {k} månader efter avslut: bortfall och källa",
        row_header="Status",
        columns=kmt_columns(),
        triples=kmt_triples(1),
    )
    for part, label in COVERAGE_ROWS:
        t.rows.append(Row(label, [Cell(COUNT, selectors._get(d, (s,), part),
                                       ref=linking.fu_part(k, part, s)) for s in KMT], key=part))
    t.total_row = len(t.rows)
    t.rows.append(Row("Ska följas upp (samtycke)",
                      [Cell(COUNT, selectors._get(d, (s,), "due"), ref=fu_due(k, s))
                       for s in KMT], key="due"))
    return t


REGISTER_ROWS: Final = (("nps", "no_public_support", "Utan offentlig försörjning"),
                         ("work", "work", "I arbete"),
                         ("wos", "work_or_studies", "I arbete eller studier"))
REGISTER_GROUPS: Final = ("K", "M", "T", "se", "abroad", "unknown")


def register_tables(*, user: Any, query: ReportQuery) -> list[Table]:
    """Register-matched outcomes k months after the end (and the start), by sex and born in
    Sweden / abroad (indicators.md, "Register-based follow-up"); only once register data has
    been imported for the scope. Shown beside, never merged with, the reported follow-ups."""
    from stegvis.registry import rules as registry_rules
    from stegvis.registry import selectors as registry_selectors

    facts = selectors._facts(user, query)
    if not registry_selectors.has_outcomes(facts):
        return []
    out = []
    for from_start in (False, True):
        suffix, after = ("_from_start", "start") if from_start else ("", "avslut")
        for k in registry_rules.HORIZONS:
            d = registry_selectors.register_counts(facts, start=query.period.start,
                                                   end=query.period.end, k=k,
                                                   from_start=from_start)
            t = Table(
                key=f"register_{k}m{suffix}",
                caption=f"Registeruppgifter {k} månader efter {after} (månad i perioden)",
                row_header="Mått",
                columns=[*kmt_columns(), "Född i Sverige", "Född utomlands", "Uppgift saknas"],
                triples=kmt_triples(1),
                row_sums=[(2, (3, 4, 5))],
            )

            def key(g: str, k: int = k, suffix: str = suffix) -> Any:
                return ("register", k, suffix, g)

            t.rows.append(Row("I registerkohorten",
                              [Cell(COUNT, d[g]["cohort"], ref=key(g)) for g in REGISTER_GROUPS],
                              key=f"register_{k}m{suffix}_cohort"))
            for name, indicator, label in REGISTER_ROWS:
                t.rows.append(Row(label, [rate_cell(d[g][name], d[g]["cohort"], den_ref=key(g))
                                          for g in REGISTER_GROUPS],
                                  key=f"register_{k}m_{indicator}{suffix}"))
            out.append(t)
    return out


COVERAGE_SHARE: Final = 0.05


def coverage(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
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
    notes = [f"Befolkning enligt SCB {data['population_year']}; för kommundelar den "
             "befolkning som förbundet har angett."] if data["population_year"] \
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

MONTH_NAMES: Final = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
                      "september", "oktober", "november", "december")


def started_by_month_table(*, user: Any, query: ReportQuery) -> Table:
    months = selectors.started_by_month(user=user, query=query)
    year = query.period.start.year
    table = Table(key="started_by_month", caption=f"Påbörjade deltaganden per månad {year}",
                  row_header="Månad", columns=kmt_columns(), triples=kmt_triples(1), chart=True)
    for m in range(1, 13):
        table.rows.append(Row(MONTH_NAMES[m - 1].capitalize(),
                              _count_kmt(months, (), f"m{m}",
                                         lambda s, m=m: linking.month_started(m, s)),
                              key=str(m)))
    table.total_row = 12
    table.rows.append(
        Row("Totalt", [Cell(COUNT, sum(selectors._get(months, (s,), f"m{m}")
                                       for m in range(1, 13)),
                            ref=headline("participants_started", s)) for s in KMT],
            key="total")
    )
    return table


def national_table(*, user: Any, query: ReportQuery) -> Table:
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
    names = ("participants_active", "participants_started", "participants_ended")
    totals: dict[str, dict[str, int]] = {s: {} for s in KMT}

    def cells(get: Callable[[str, str], int], total: bool = False) -> list[Cell]:
        out: list[Cell] = []
        for name in names:
            out.extend(Cell(COUNT, get(name, s), ref=headline(name, s) if total else None)
                       for s in KMT)
        for name in ("work_or_studies_after", "no_public_support_after"):
            out.append(rate_cell(get(name, "T"), get("cohort", "T"),
                                 num_ref=headline(name, "T") if total else None,
                                 den_ref=cohort("T") if total else None))
        return out

    for a in associations:
        def get(name: str, s: str, pk: int = a.pk) -> int:
            return selectors._get(data, (pk, s), name)

        for s in KMT:
            for name in (*names, "work_or_studies_after", "no_public_support_after", "cohort"):
                totals[s][name] = totals[s].get(name, 0) + get(name, s)
        table.rows.append(Row(a.name, cells(get), key=str(a.pk)))
    table.total_row = len(table.rows)
    table.rows.append(Row("Totalt", cells(lambda n, s: totals[s].get(n, 0), total=True),
                          key="total"))
    return table


# --- one protection run per scope and period ------------------------------------------------


@dataclass
class Bundle:
    """Everything one user can obtain for one scope and period, protected together."""

    query: ReportQuery
    threshold: int
    reports: dict[str, Report]
    extra: dict[str, Table]


def _layout(reports: dict[str, Report], extra: dict[str, Table]) -> linking.Layout:
    ins = reports["insatser"].tables[0]
    cost = reports["kostnader"].tables[0]
    cov = reports["tackning"].tables[0]
    return linking.Layout(
        insatser=[int(r.key) for r in ins.rows],
        cost_rows=[(int(a), int(b)) for a, b in
                   (r.key.split(":") for r in cost.rows if r.key != "total")],
        kommuner=[r.key for r in cov.rows],
        months="started_by_month" in extra,
    )


BUNDLE_TIMEOUT: Final = 24 * 3600


def _bundle_key(user: Any, query: ReportQuery) -> str:
    """Everything the bundle depends on: the user's report scope (not the user), the query,
    the threshold, today's date and — read *before* the data — the data versions of the scope
    (ADR 0012)."""
    allowed = scope.association_ids(user, selectors.REPORTS)
    parts = (
        sorted(allowed) if allowed is not None else None,
        query,
        threshold(),
        timezone.localdate().isoformat(),
        versions.token(None if allowed is None else query.association_ids),
    )
    return "stegvis:bundle:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _parts(b: Bundle) -> dict[str, Any]:
    return {**{f"report:{n}": r for n, r in b.reports.items()}, "extra": b.extra,
            "threshold": b.threshold}


def _cached(
    user: Any, query: ReportQuery, names: list[str]
) -> tuple[dict[str, Any], Bundle | None]:
    """The parts ``names`` of the bundle of ``query``: from the cache (each part stored on its
    own, so a page unpickles only the report it shows), else built and stored."""
    key = _bundle_key(user, query)
    got = cache.get_many([f"{key}:{n}" for n in names])
    if len(got) == len(names):
        return {n: got[f"{key}:{n}"] for n in names}, None
    built = build_bundle(user=user, query=query)
    parts = _parts(built)
    cache.set_many({f"{key}:{n}": v for n, v in parts.items()}, BUNDLE_TIMEOUT)
    return {n: parts[n] for n in names}, built


def bundle(*, user: Any, query: ReportQuery) -> Bundle:
    """The protected bundle of ``query`` for ``user``: from the cache when nothing it depends
    on has changed since it was built (every get is a fresh copy), else :func:`build_bundle`."""
    names = [f"report:{n}" for n in ("indikatorer", *REPORTS)] + ["extra", "threshold"]
    parts, built = _cached(user, query, names)
    if built is not None:
        return built
    return Bundle(query, parts["threshold"],
                  {n.removeprefix("report:"): parts[n] for n in names if n.startswith("report:")},
                  parts["extra"])


def build_bundle(*, user: Any, query: ReportQuery) -> Bundle:
    """Build the headline, the six reports and the tables that share their counts (the start
    page's months for a single year; the national table for a national reader) and protect
    them as one problem with the links of :mod:`linking`."""
    figures = selectors.headline(user=user, query=query)
    built = {
        "indikatorer": Report(
            "indikatorer", "Huvudindikatorer", query,
            [headline_table(figures, f"Huvudindikatorer {query.period.label}")],
        ),
        **{name: builder(user=user, query=query, figures=figures)
           for name, builder in REPORTS.items()},
    }
    extra: dict[str, Table] = {}
    p = query.period
    if p.whole_years and p.start.year == p.end.year:
        extra["started_by_month"] = started_by_month_table(user=user, query=query)
    if selectors.is_national_reader(user=user):
        extra["national"] = national_table(user=user, query=query)
    limit = threshold()
    tables = [t for r in built.values() for t in r.tables] + list(extra.values())
    protect_tables(tables, linking.relations(_layout(built, extra)), limit)
    for r in built.values():
        r.threshold = limit
    return Bundle(query, limit, built, extra)


def build(name: str, *, user: Any, query: ReportQuery) -> Report:
    """Report ``name`` (or ``indikatorer``) out of its scope's one protection run
    (KeyError for an unknown name)."""
    if name != "indikatorer" and name not in REPORTS:
        raise KeyError(name)
    parts, _built = _cached(user, query, [f"report:{name}"])
    return parts[f"report:{name}"]  # type: ignore[no-any-return]


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
    cur_bundle = bundle(user=user, query=current)
    cur = cur_bundle.reports["indikatorer"].tables[0]
    cur.key, cur.caption = "headline_current", f"Huvudindikatorer {now.year}"
    prev = bundle(user=user, query=previous).reports["indikatorer"].tables[0]
    prev.key, prev.caption = "headline_previous", f"Huvudindikatorer {now.year - 1}"
    by_month = cur_bundle.extra["started_by_month"]
    fu = follow_ups_to_do_table(user=user, association_id=association.pk, today=now)
    protect_tables([fu], [], cur_bundle.threshold)
    return Report("start", association.name, current, [cur, prev, by_month, fu],
                  threshold=cur_bundle.threshold)


FOLLOW_UP_STATES: Final = (("due", "Att göra"), ("overdue", "Försenade"),
                            ("lapsed", "Fönstret har passerat"), ("total", "Totalt"))


def follow_ups_to_do_table(*, user: Any, association_id: int, today: dt.date) -> Table:
    """The start page's follow-ups to do: the same rule and counts as the coaches' worklist
    (``followup.selectors.association_follow_up_counts``), protected as any count."""
    from stegvis.followup import selectors as followup_selectors

    counts = followup_selectors.association_follow_up_counts(
        user=user, association_id=association_id, today=today
    )
    table = Table(key="follow_ups_due", caption="Uppföljningar som ska göras nu",
                  row_header="Uppföljning", columns=[label for _k, label in FOLLOW_UP_STATES],
                  row_sums=[(3, (0, 1, 2))])
    horizons = sorted(int(k) for k in counts if k != "total")
    for k in horizons:
        table.rows.append(Row(f"{k} månader",
                              [Cell(COUNT, counts[str(k)][name]) for name, _l in FOLLOW_UP_STATES],
                              key=str(k)))
    table.total_row = len(table.rows)
    table.rows.append(Row("Totalt", [Cell(COUNT, counts["total"][name])
                                     for name, _l in FOLLOW_UP_STATES], key="total"))
    return table


def national(*, user: Any, query: ReportQuery) -> Report:
    parts, _built = _cached(user, query, ["extra", "threshold"])
    return Report("nationellt", "Nationell översikt", query, [parts["extra"]["national"]],
                  threshold=parts["threshold"])


def yearly_aggregate(*, user: Any, association_id: int, year: int) -> Report:
    """The national follow-up's yearly figures of one förbund: insatser with participants by
    sex, budget and actual cost — cells taken from the same protection run as the
    Insatsrapport and Kostnadsrapport of that förbund and year."""
    association = selectors.association_for_reports(user=user, association_id=association_id)
    query = selectors.resolve_query(
        user=user, period=periods.year_period(year), association_ids=[association.pk]
    )
    b = bundle(user=user, query=query)
    ins = b.reports["insatser"].tables[0]
    money = {row.key.split(":")[0]: row for row in b.reports["kostnader"].tables[0].rows
             if row.key != "total"}
    n = len(INTERVENTION_TEXT_COLUMNS)
    table = Table(
        key="yearly",
        caption=f"Insatser {year}: deltagare efter kön, budget och utfall",
        row_header="Insats",
        columns=["Inriktning", "Uppföljningsmetod", *kmt_columns("Identifierade:"),
                 *kmt_columns("Anonyma:"), "Volym", "Planerat antal deltagare",
                 "Budget (kr)", "Utfall (kr)"],
        triples=[(2, 3, 4), (5, 6, 7)],
        threshold=b.threshold,
    )
    for row in ins.rows:
        c = row.cells
        cost = money.get(row.key)
        table.rows.append(
            Row(
                row.header,
                [
                    copy.copy(c[1]), copy.copy(c[4]),
                    *[copy.copy(x) for x in c[n + 1:n + 8]],
                    copy.copy(c[n]),
                    copy.copy(cost.cells[1]) if cost else Cell(AMOUNT, None,
                                                               reason=maths.REASON_NO_COST),
                    copy.copy(cost.cells[2]) if cost else Cell(AMOUNT, None,
                                                               reason=maths.REASON_NO_COST),
                ],
                key=row.key,
            )
        )
    return Report("arsuppgifter", f"Årsuppgifter {year}", query, [table],
                  threshold=b.threshold)
