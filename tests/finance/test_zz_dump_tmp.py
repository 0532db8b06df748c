import pytest
from django.urls import reverse
from tests.finance.test_views import *  # noqa

pytestmark = pytest.mark.django_db


def test_dump(personas, year_a, client_for):
    html = client_for(personas.admin_a).get(url("year", personas)).content.decode()
    open("/tmp/finance_year.html", "w").write(html)
    services.parameters_create(
        actor=personas.sysadmin, allocation_year=2025, state_total="10 000 000",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10", equity_scale=SCALE,
    )
    services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=2025, text=GOOD)
    html = client_for(personas.sysadmin).get(reverse("finance:calculation", args=[2025])).content.decode()
    open("/tmp/finance_calc.html", "w").write(html)
