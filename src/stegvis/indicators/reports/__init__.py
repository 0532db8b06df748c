"""The reports of indicators.md: the report model (:mod:`.report`), the six reports' table
builders (:mod:`.builders`; the Uppföljningsrapport in :mod:`.followup`) and the tables sharing
their counts (:mod:`.extra`), the protected bundle (:mod:`.protected`) and the start page,
national view and yearly aggregate taken out of it (:mod:`.start`).
"""


from stegvis.indicators.reports.builders import (
    COVERAGE_SHARE,
    INTERVENTION_TEXT_COLUMNS,
    REPORTS,
    costs,
    coverage,
    interventions,
    participants,
    standard,
)
from stegvis.indicators.reports.extra import (
    MONTH_NAMES,
    national_table,
    started_by_month_table,
)
from stegvis.indicators.reports.followup import (
    COVERAGE_ROWS,
    REGISTER_GROUPS,
    REGISTER_ROWS,
    follow_up,
    follow_up_coverage_table,
    register_tables,
)
from stegvis.indicators.reports.protected import (
    BUNDLE_TIMEOUT,
    Bundle,
    build,
    build_bundle,
    bundle,
    cached_parts,
)
from stegvis.indicators.reports.report import (
    KMT,
    REPORT_TITLES,
    Figures,
    Report,
    headline_cell,
    headline_table,
    threshold,
)
from stegvis.indicators.reports.start import (
    FOLLOW_UP_STATES,
    association_start,
    follow_ups_to_do_table,
    national,
    yearly_aggregate,
)

__all__ = [
    "BUNDLE_TIMEOUT",
    "COVERAGE_ROWS",
    "COVERAGE_SHARE",
    "FOLLOW_UP_STATES",
    "INTERVENTION_TEXT_COLUMNS",
    "KMT",
    "MONTH_NAMES",
    "REGISTER_GROUPS",
    "REGISTER_ROWS",
    "REPORTS",
    "REPORT_TITLES",
    "Bundle",
    "Figures",
    "Report",
    "association_start",
    "build",
    "build_bundle",
    "bundle",
    "cached_parts",
    "costs",
    "coverage",
    "follow_up",
    "follow_up_coverage_table",
    "follow_ups_to_do_table",
    "headline_cell",
    "headline_table",
    "interventions",
    "national",
    "national_table",
    "participants",
    "register_tables",
    "standard",
    "started_by_month_table",
    "threshold",
    "yearly_aggregate",
]
