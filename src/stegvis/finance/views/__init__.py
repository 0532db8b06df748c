"""Pages for money (/ekonomi/...). Thin: selectors read, forms type input, services write."""

from stegvis.finance.views.national import (
    calculation,
    decide,
    import_inputs,
    national,
    notices,
    parameters,
    what_if,
)
from stegvis.finance.views.years import (
    SVG_POLICY,
    actual_costs,
    association_years,
    budget_adopt,
    budget_edit,
    budget_new,
    chart,
    export_pdf,
    export_xlsx,
    index,
    payment,
    year_detail,
    year_edit,
)

__all__ = [
    "SVG_POLICY",
    "actual_costs",
    "association_years",
    "budget_adopt",
    "budget_edit",
    "budget_new",
    "calculation",
    "chart",
    "decide",
    "export_pdf",
    "export_xlsx",
    "import_inputs",
    "index",
    "national",
    "notices",
    "parameters",
    "payment",
    "what_if",
    "year_detail",
    "year_edit",
]
