"""htmx asks for a page's region, everyone else gets the whole page (same URL, same checks)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    ("persona", "url", "region"),
    [
        ("reader_a", "/rapporter/standard/?period=2023", 'id="report-area"'),
        ("auditor_a", "/granskning/?actor_username=admin_a", 'id="audit-log"'),
    ],
)
def test_htmx_gets_the_region_and_a_browser_the_page(client_for, personas, persona, url, region):
    client = client_for(getattr(personas, persona))
    whole = client.get(url)
    part = client.get(url, headers=HTMX)
    assert whole.status_code == part.status_code == 200
    assert "<html" in whole.text and region in whole.text
    assert "<html" not in part.text and part.text.lstrip().startswith(f"<div {region}")
    assert "HX-Request" in part["Vary"] and "HX-Request" in whole["Vary"]
    # htmx restoring history after a cache miss needs the whole page
    restore = client.get(url, headers={**HTMX, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


def test_htmx_region_keeps_the_refusals(client_for, personas):
    """The region is the same view: an outsider is refused exactly as on the page."""
    client = client_for(personas.officer_b)
    assert client.get("/granskning/", headers=HTMX).status_code == 403
    assert client.get(f"/granskning/?association={personas.a.pk}", headers=HTMX).status_code == 404


def test_a_wrong_report_filter_answers_400_with_the_errors_in_the_region(client_for, personas):
    part = client_for(personas.reader_a).get("/rapporter/standard/?period=fel", headers=HTMX)
    assert part.status_code == 400
    assert "<html" not in part.text and "error-summary" in part.text
