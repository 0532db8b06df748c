"""Pages for money: who sees what (404/403), forms with error summaries, chart, exports."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from stegvis.associations.models import Organisation
from stegvis.finance import services
from stegvis.finance.models import AllocationInput, Budget, FinanceYear
from tests.finance.conftest import YEAR
from tests.finance.test_national import GOOD, SCALE

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_a(personas, key_a, insatser_a):
    fy = services.finance_year_set(actor=personas.admin_a, association=personas.a, year=YEAR,
                                   frame="2 000 000", opening_equity="100 000")
    return fy


def url(name, personas, **kw):
    return reverse(f"finance:{name}", kwargs={"association_id": personas.a.pk, "year": YEAR,
                                              **kw})


YEAR_PAGES = ["year", "year_edit", "actual", "chart", "export_xlsx", "export_pdf"]


@pytest.mark.parametrize("name", YEAR_PAGES)
def test_year_pages_scoped(personas, year_a, client_for, name):
    assert client_for(personas.admin_b).get(url(name, personas)).status_code == 404
    assert client_for(personas.reader_a).get(url(name, personas)).status_code == 403
    assert client_for(personas.admin_a).get(url(name, personas)).status_code == 200


def test_outsider_cannot_post(personas, year_a, client_for):
    fk = Organisation.objects.get(kind="FK")
    response = client_for(personas.admin_b).post(
        url("payment", personas, organisation_id=fk.pk), {f"p{fk.pk}-paid_on": "2024-01-02"}
    )
    assert response.status_code == 404
    response = client_for(personas.admin_b).post(
        reverse("finance:years", args=[personas.a.pk]), {"year": YEAR, "frame": "1"}
    )
    assert response.status_code == 404
    assert FinanceYear.objects.get().frame == 2_000_000


def test_year_page_shows_contributions_rounding_and_chart_as_image(personas, year_a,
                                                                  client_for):
    response = client_for(personas.admin_a).get(url("year", personas))
    html = response.content.decode()
    assert "Medlemsbidrag 2024 med avrundning" in html
    assert "1\u00a0000\u00a0000" in html  # FK's half
    assert "Steget vidare" in html
    assert reverse("finance:chart", args=[personas.a.pk, YEAR]) in html
    assert "<svg" not in html  # inline SVG would carry style attributes CSP blocks
    assert " style=" not in html
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp


def test_chart_is_svg_with_its_own_policy(personas, year_a, client_for):
    response = client_for(personas.admin_a).get(url("chart", personas))
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert "<svg" in body and "Steget vidare" in body
    csp = response["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in csp and "script-src 'none'" in csp


def test_xlsx_export_is_formula_escaped_and_audited(personas, year_a, client_for):
    response = client_for(personas.admin_a).get(url("export_xlsx", personas))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert "'=Unga i arbete" in values
    assert "=Unga i arbete" not in values
    assert 1_000_000 in values
    from stegvis.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="EXPORT", association_id=personas.a.pk).exists()


def test_pdf_export(personas, year_a, client_for):
    response = client_for(personas.admin_a).get(url("export_pdf", personas))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_create_year_form_errors_are_summarised(personas, key_a, client_for):
    client = client_for(personas.admin_a)
    response = client.post(reverse("finance:years", args=[personas.a.pk]),
                           {"year": "2009", "frame": "1,234", "opening_equity": "-5"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'href="#id_frame"' in html and "tvetydigt" in html
    assert "utanför förbundets verksamhetstid" in html
    assert 'aria-invalid="true"' in html
    assert not FinanceYear.objects.exists()
    response = client.post(reverse("finance:years", args=[personas.a.pk]),
                           {"year": YEAR, "frame": "1 000 000"})
    assert response.status_code == 302
    assert FinanceYear.objects.get().frame == 1_000_000


def test_payment_for_non_member_via_page(personas, year_a, client_for):
    outsider = Organisation.objects.get(municipality_id="1480")
    response = client_for(personas.admin_a).post(
        url("payment", personas, organisation_id=outsider.pk),
        {f"p{outsider.pk}-organisation": outsider.pk, f"p{outsider.pk}-paid_on": "2024-01-02"},
    )
    assert response.status_code == 400
    assert "är inte medlem" in response.content.decode()


def test_budget_flow_through_pages(personas, year_a, client_for):
    client = client_for(personas.admin_a)
    response = client.post(url("budget_new", personas))
    assert response.status_code == 302
    response = client.post(url("budget", personas, version=1),
                           {"board": "10 000", "administration": "200 000", "audit": "5 000"})
    assert response.status_code == 302
    response = client.post(url("budget_adopt", personas, version=1), {"decided_on": ""})
    assert response.status_code == 400
    response = client.post(url("budget_adopt", personas, version=1),
                           {"decided_on": (dt.date.today()).isoformat()})
    assert response.status_code == 302
    assert Budget.objects.get().is_locked
    page = client.get(url("budget", personas, version=1)).content.decode()
    assert "låst" in page and "<form" not in page.split("<main")[1].split("</main>")[0]
    assert client_for(personas.admin_b).get(url("budget", personas, version=1)).status_code == 404


NATIONAL = ["national", "parameters"]
NATIONAL_YEAR = ["calculation", "import", "what_if", "notices", "decide"]


def national_urls():
    return [reverse(f"finance:{n}") for n in NATIONAL] + [
        reverse(f"finance:{n}", args=[2025]) for n in NATIONAL_YEAR
    ]


def test_national_pages_only_for_sysadmin(personas, client_for):
    services.parameters_create(
        actor=personas.sysadmin, allocation_year=2025, state_total="10 000 000",
        base_amount="400 000", key_support_pct="75", key_population_pct="25", age_to="64",
        max_reduction_pct="10", equity_scale=SCALE,
    )
    services.allocation_inputs_import(actor=personas.sysadmin, allocation_year=2025, text=GOOD)
    for address in national_urls():
        assert client_for(personas.admin_a).get(address).status_code == 403, address
        assert client_for(personas.national_reader).get(address).status_code == 403, address
        assert client_for(personas.sysadmin).get(address).status_code == 200, address
    page = client_for(personas.sysadmin).get(reverse("finance:calculation", args=[2025]))
    html = page.content.decode()
    assert "Beräkning per förbund 2025" in html and "10\u00a0000\u00a0000" in html
    what_if = client_for(personas.sysadmin).get(
        reverse("finance:what_if", args=[2025]),
        {"base_amount": "0", "new_name": "Nytt", "kommunkoder": "0136"},
    )
    assert what_if.status_code == 200 and "Nytt" in what_if.content.decode()
    bad = client_for(personas.sysadmin).get(reverse("finance:what_if", args=[2025]),
                                            {"state_total": "1,234"})
    assert bad.status_code == 400 and "tvetydigt" in bad.content.decode()


def test_parameters_form_refuses_keys_not_summing_to_100(personas, client_for):
    response = client_for(personas.sysadmin).post(reverse("finance:parameters"), {
        "allocation_year": 2025, "state_total": "10 000 000", "base_amount": "400 000",
        "key_support_pct": "80", "key_population_pct": "25", "age_to": "64",
        "max_reduction_pct": "10", "scale_size_1": "0", "scale_pct_1": "20",
    })
    html = response.content.decode()
    assert "error-summary" in html and "100 %" in html
    response = client_for(personas.admin_a).post(reverse("finance:parameters"), {})
    assert response.status_code == 403


def test_import_preview_then_commit(personas, client_for):
    client = client_for(personas.sysadmin)
    address = reverse("finance:import", args=[2025])
    bad = SimpleUploadedFile("indata.csv", (GOOD + "9999;1;1\n0180;1;1\n").encode())
    response = client.post(address, {"file": bad, "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Okänd kommunkod ”9999”" in html and "Dubblett" in html
    assert 'name="commit"' not in html
    good = SimpleUploadedFile("indata.csv", GOOD.encode("utf-8-sig"))
    response = client.post(address, {"file": good, "preview": "1"})
    assert response.status_code == 200 and 'name="commit"' in response.content.decode()
    assert not AllocationInput.objects.exists()
    response = client.post(address, {"content": GOOD, "commit": "1"})
    assert response.status_code == 302
    assert AllocationInput.objects.count() == 2
    response = client_for(personas.admin_a).post(address, {"content": GOOD, "commit": "1"})
    assert response.status_code == 403


def test_home_links(personas, client_for):
    html = client_for(personas.admin_a).get(reverse("web:home")).content.decode()
    assert reverse("finance:years", args=[personas.a.pk]) in html
    html = client_for(personas.sysadmin).get(reverse("web:home")).content.decode()
    assert reverse("finance:national") in html


def test_what_if_without_parameters_says_what_is_missing(personas, client_for):
    response = client_for(personas.sysadmin).get(reverse("finance:what_if", args=[2031]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Det finns inga parametrar för fördelningsåret 2031" in html
    assert reverse("finance:parameters") in html
    assert 'name="base_amount"' not in html
