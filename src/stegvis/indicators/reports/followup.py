"""The Uppföljningsrapport: reported follow-ups with their coverage, and the register tables.

Split from :mod:`.builders` (the other five reports); protected with them in one bundle.
"""

from __future__ import annotations

from typing import Any, Final

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from stegvis.indicators import linking, maths, selectors
from stegvis.indicators.linking import fu_due, fu_measured, headline
from stegvis.indicators.reports.report import (
    KMT,
    REPORT_TITLES,
    Figures,
    Report,
)
from stegvis.indicators.selectors import ReportQuery
from stegvis.indicators.tables import (
    COUNT,
    Cell,
    Row,
    Table,
    kmt_columns,
    kmt_triples,
    rate_cell,
)
from stegvis.registry import rules as registry_rules
from stegvis.registry import selectors as registry_selectors


def follow_up(*, user: Any, query: ReportQuery, figures: Figures) -> Report:
    """Reported follow-ups 3, 6, 12 (and, when a förbund in scope chose them, 24 and 36) months
    after the end, each with its coverage; then the register tables."""
    tables = []
    horizons = maths.FOLLOW_UP_MONTHS
    if selectors.long_horizons_in_scope(user=user, query=query):
        horizons = maths.REPORTED_FOLLOW_UP_MONTHS
    with_register = registry_selectors.has_outcomes(selectors.scoped_facts(user, query))
    for k in horizons:
        headline_ref = k in maths.FOLLOW_UP_MONTHS
        d = selectors.follow_up_details(user=user, query=query, k=k)
        t = Table(
            key=f"followup_{k}m",
            caption=_("Uppföljning %(k)s månader efter avslut (uppföljningsdatum i perioden)")
            % {"k": k},
            row_header=_("Mått"),
            columns=kmt_columns(),
            triples=kmt_triples(1),
            chart=k == 12,
        )

        def g(name: str, s: str, data: dict[tuple[Any, ...], dict[str, int]] = d) -> int:
            return selectors.count_at(data, (s,), name)

        t.rows.append(Row(_("Ska följas upp (samtycke)"),
                          [Cell(COUNT, g("due", s), ref=fu_due(k, s)) for s in KMT], key="due"))
        t.rows.append(Row(_("Svarsandel"),
                          [rate_cell(g("measured", s), g("due", s), num_ref=fu_measured(k, s),
                                     den_ref=fu_due(k, s)) for s in KMT], key="response"))
        for name, label, headline_key in (
            ("wos_start", _("I arbete eller studier vid start"), None),
            ("wos_end", _("I arbete eller studier vid avslut"), None),
            ("wos_fu", _("I arbete eller studier efter %(k)s mån") % {"k": k},
             f"followup_{k}m_work_or_studies" if headline_ref else None),
            ("nps_start", _("Utan offentlig försörjning vid start"), None),
            ("nps_end", _("Utan offentlig försörjning vid avslut"), None),
            ("nps_fu", _("Utan offentlig försörjning efter %(k)s mån") % {"k": k},
             f"followup_{k}m_no_public_support" if headline_ref else None),
        ):
            t.rows.append(
                Row(label, [rate_cell(g(name, s), g("measured", s),
                                      num_ref=headline(headline_key, s) if headline_key else None,
                                      den_ref=fu_measured(k, s)) for s in KMT], key=name)
            )
        tables.append(t)
        tables.append(follow_up_coverage_table(user=user, query=query, k=k,
                                               with_register=with_register))
    tables.extend(register_tables(user=user, query=query))
    return Report(
        "uppfoljning",
        _(REPORT_TITLES["uppfoljning"]),
        query,
        tables,
        notes=[
            _(
                "Gruppen bestäms av uppföljningsdatumet (slutdatum + k månader) inom perioden "
                "och senast i dag. Andelarna vid start, avslut och uppföljning gäller samma "
                "personer: de som har uppföljningsmätningen."
            ),
            _(
                "Registeruppgifter (när de finns) kommer från registerhållarens matchning av en "
                "kohortexport och visas bredvid de rapporterade uppföljningarna, aldrig "
                "sammanslagna med dem."
            ),
        ],
    )


COVERAGE_ROWS: Final = (
    ("coach", gettext_noop("Mätta: registrerade av deltagaransvarig")),
    ("self_reported", gettext_noop("Mätta: självrapporterade")),
    ("not_reached", gettext_noop("Stängda: ej nådda")),
    ("declined", gettext_noop("Stängda: avböjt")),
    ("open", gettext_noop("Fortfarande öppna")),
)


REGISTER_COVERAGE_ROWS: Final = (
    ("register", gettext_noop("Mätta i register (registeruppgift för månaden)")),
    ("register_missing", gettext_noop("Utan registeruppgift för månaden")),
)


def follow_up_coverage_table(
    *, user: Any, query: ReportQuery, k: int, with_register: bool = False
) -> Table:
    """Attrition of the k-month follow-up (issue 14 §3): the parts add up to those due, and the
    measured ones to the response rate's numerator, so all are protected as one problem.

    With register data in scope, the register is the third source, counted for the same
    people: those due whose register outcome for the month end + k months was imported. It
    overlaps coach and self-report, so it splits *due* on its own (register + without = due),
    declared in ``linking`` and protected with the rest."""
    d = selectors.follow_up_coverage(user=user, query=query, k=k)
    t = Table(
        key=f"followup_{k}m_coverage",
        caption=_("Täckning av uppföljningen %(k)s månader efter avslut: bortfall och källa")
        % {"k": k},
        row_header=_("Status"),
        columns=kmt_columns(),
        triples=kmt_triples(1),
    )
    for part, label in COVERAGE_ROWS:
        t.rows.append(Row(_(label), [Cell(COUNT, selectors.count_at(d, (s,), part),
                                       ref=linking.fu_part(k, part, s)) for s in KMT], key=part))
    t.total_row = len(t.rows)
    t.rows.append(Row(_("Ska följas upp (samtycke)"),
                      [Cell(COUNT, selectors.count_at(d, (s,), "due"), ref=fu_due(k, s))
                       for s in KMT], key="due"))
    if with_register:
        for part, label in REGISTER_COVERAGE_ROWS:
            t.rows.append(Row(_(label), [Cell(COUNT, selectors.count_at(d, (s,), part),
                                           ref=linking.fu_part(k, part, s)) for s in KMT],
                              key=part))
    return t


REGISTER_ROWS: Final = (
    ("nps", "no_public_support", gettext_noop("Utan offentlig försörjning")),
    ("work", "work", gettext_noop("I arbete")),
    ("wos", "work_or_studies", gettext_noop("I arbete eller studier")),
)
REGISTER_GROUPS: Final = ("K", "M", "T", "se", "abroad", "unknown")


def register_tables(*, user: Any, query: ReportQuery) -> list[Table]:
    """Register-matched outcomes k months after the end (and the start), by sex and born in
    Sweden / abroad (indicators.md, "Register-based follow-up"); only once register data has
    been imported for the scope. Shown beside, never merged with, the reported follow-ups."""
    facts = selectors.scoped_facts(user, query)
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
                caption=_("Registeruppgifter %(k)s månader efter %(after)s (månad i perioden)")
                % {"k": k, "after": after},
                row_header=_("Mått"),
                columns=[
                    *kmt_columns(),
                    _("Född i Sverige"),
                    _("Född utomlands"),
                    _("Uppgift saknas"),
                ],
                triples=kmt_triples(1),
                row_sums=[(2, (3, 4, 5))],
            )

            def key(g: str, k: int = k, suffix: str = suffix) -> Any:
                return ("register", k, suffix, g)

            t.rows.append(Row(_("I registerkohorten"),
                              [Cell(COUNT, d[g]["cohort"], ref=key(g)) for g in REGISTER_GROUPS],
                              key=f"register_{k}m{suffix}_cohort"))
            for name, indicator, label in REGISTER_ROWS:
                t.rows.append(Row(_(label), [rate_cell(d[g][name], d[g]["cohort"], den_ref=key(g))
                                          for g in REGISTER_GROUPS],
                                  key=f"register_{k}m_{indicator}{suffix}"))
            out.append(t)
    return out
