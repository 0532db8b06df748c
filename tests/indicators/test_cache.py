"""Cached protected bundles and charts (ADR 0012): a committed write is visible at once in
every report, on SQLite and PostgreSQL; unchanged data is not recomputed."""

from __future__ import annotations

import datetime as dt

import pytest

from stegvis.associations.models import AreaPart
from stegvis.indicators import charts, reports, selectors, versions
from stegvis.indicators.periods import year_period
from stegvis.indicators.reports import protected as bundles
from stegvis.indicators.tables import COUNT, Cell, Row, Table
from stegvis.interventions import services as interventions
from stegvis.reference.models import PopulationByAge
from tests.indicators.conftest import m, make_pnr, start

pytestmark = pytest.mark.django_db

NAMES = ("indikatorer", "standard", "deltagare", "insatser", "kostnader", "uppfoljning",
         "tackning")


def _query(user, year=2024, association_ids=()):
    return selectors.resolve_query(user=user, period=year_period(year),
                                   association_ids=association_ids)


def _dicts(b: reports.Bundle) -> dict[str, object]:
    out: dict[str, object] = {n: b.reports[n].as_dict() for n in NAMES}
    out.update({k: t.as_dict() for k, t in b.extra.items()})
    return out


def _started(b: reports.Bundle) -> object:
    table = b.reports["indikatorer"].tables[0]
    return [c.value for r in table.rows if r.key == "participants_started" for c in r.cells]


@pytest.fixture
def counting(monkeypatch):
    """Counts how often the bundle is really built (not taken from the cache)."""
    calls: list[object] = []
    real = reports.build_bundle

    def build(**kwargs):
        calls.append(kwargs["query"])
        return real(**kwargs)

    monkeypatch.setattr(bundles, "build_bundle", build)
    return calls


@pytest.mark.parametrize("who", ["national_reader", "reader_a"])
def test_registration_is_visible_in_every_report_at_once(scenario, settings, counting, who):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1  # every figure visible
    user = getattr(scenario.personas, who)
    q = _query(user)
    before = reports.bundle(user=user, query=q)
    assert _dicts(reports.bundle(user=user, query=q)) == _dicts(before)
    assert len(counting) == 1  # the second read came from the cache

    start(scenario.personas.officer_a, scenario.i1, make_pnr(dt.date(1991, 2, 3), woman=True),
          dt.date(2024, 9, 9), m(["sjukpenning"], [("annan_insats", 50)], 2))

    after = reports.bundle(user=user, query=q)
    assert len(counting) == 2  # the write changed the version: rebuilt, not served stale
    truth = reports.build_bundle(user=user, query=q)
    assert _dicts(after) == _dicts(truth)  # every report and shared table, cell by cell
    assert _started(after) != _started(before)
    for name in NAMES:
        assert reports.build(name, user=user, query=q).as_dict() == truth.reports[name].as_dict()


def test_page_shows_the_new_registration_on_the_next_request(scenario, settings, client_for):
    settings.STEGVIS_SUPPRESSION_THRESHOLD = 1
    c = client_for(scenario.personas.national_reader)

    def national_table() -> str:
        html = c.get("/rapporter/nationellt/", {"period": "2024"}).content.decode()
        section = html[html.index('aria-labelledby="rubrik-national"'):]
        return section[:section.index("</section>")]

    first = national_table()
    assert national_table() == first
    start(scenario.personas.officer_a, scenario.i1, make_pnr(dt.date(1992, 2, 3), woman=False),
          dt.date(2024, 10, 1), m(["a_kassa"], [("aktivt_arbetssokande", 100)], 3))
    assert national_table() != first  # the new participant is counted on the next request


def test_other_forbund_write_keeps_the_cache_of_a(scenario, counting):
    user = scenario.personas.reader_a
    q = _query(user)
    reports.bundle(user=user, query=q)
    start(scenario.personas.officer_b, scenario.ib, make_pnr(dt.date(1993, 2, 3), woman=True),
          dt.date(2024, 9, 9), m(["sjukpenning"], [("annan_insats", 50)], 2), residence="1480")
    reports.bundle(user=user, query=q)
    assert len(counting) == 1  # B's registration does not touch A's figures
    national = scenario.personas.national_reader
    reports.bundle(user=national, query=_query(national))
    start(scenario.personas.officer_b, scenario.ib, make_pnr(dt.date(1994, 2, 3), woman=True),
          dt.date(2024, 9, 9), m(["sjukpenning"], [("annan_insats", 50)], 2), residence="1480")
    reports.bundle(user=national, query=_query(national))
    assert len(counting) == 3  # ... but it does change the national figures


def _budget(s):
    interventions.intervention_year_set(
        actor=s.personas.admin_a, intervention=s.i1, year=2024, planned_participants=30,
        lines=[("insatskostnad", 950_000, 900_000)])


def _anonymous_add(s):
    interventions.anonymous_count_add(actor=s.personas.officer_a, intervention=s.i1,
                                      start_year=2024, sex="M")


def _anonymous_set(s):
    interventions.anonymous_count_set(actor=s.personas.admin_a, intervention=s.i1,
                                      start_year=2024, women=9, men=9)


def _volume(s):
    interventions.volume_count_record(actor=s.personas.admin_a, intervention=s.i3,
                                      period_start=dt.date(2024, 7, 1),
                                      period_end=dt.date(2024, 12, 31), total=7, women=3, men=4)


def _area_population(s):
    part = AreaPart.objects.filter(association=s.personas.a).first()
    part.district_population = 1234
    part.save()


def _kommun_population(s):
    row = PopulationByAge.objects.first()
    row.save()


def _organiser_renamed(s):
    organiser = s.i1.organiser
    organiser.name = "Nytt namn"
    organiser.save()


def _mark_error(s):
    from stegvis.participants import services as ps

    ps.participation_mark_error(actor=s.personas.officer_a, participation=s.p["P4"],
                               reason="Fel person")


@pytest.mark.parametrize("write", [_budget, _anonymous_add, _anonymous_set, _volume,
                                   _area_population, _kommun_population, _organiser_renamed,
                                   _mark_error])
def test_every_kind_of_write_changes_the_version_of_a(scenario, write):
    user = scenario.personas.reader_a
    before = versions.token(_query(user).association_ids)
    national = versions.token(None)
    write(scenario)
    assert versions.token(_query(user).association_ids) != before
    assert versions.token(None) != national


def test_a_write_that_fails_leaves_the_version(scenario):
    from django.db import transaction

    user = scenario.personas.reader_a
    before = versions.token(_query(user).association_ids)
    with pytest.raises(RuntimeError), transaction.atomic():
        _budget(scenario)
        raise RuntimeError("rolled back")
    assert versions.token(_query(user).association_ids) == before


def _table(value: int) -> Table:
    t = Table(key="t", caption="Påbörjade", row_header="Rad", columns=["Antal"], chart=True)
    t.rows.append(Row("Rad 1", [Cell(COUNT, value)], key="1"))
    return t


def test_chart_drawn_once_per_content(monkeypatch):
    drawn: list[int] = []
    real = charts.chart_svg

    def draw(table):
        drawn.append(1)
        return real(table)

    monkeypatch.setattr(charts, "chart_svg", draw)
    first = charts.data_uri(_table(7))
    assert charts.data_uri(_table(7)) == first
    assert len(drawn) == 1
    other = charts.data_uri(_table(8))
    assert other != first and len(drawn) == 2  # a changed figure is a new drawing


def test_long_national_list_is_paged_and_exports_keep_every_row(scenario, client_for,
                                                                monkeypatch):
    from stegvis.indicators import views

    monkeypatch.setattr(views, "PAGE_ROWS", 2)
    c = client_for(scenario.personas.national_reader)
    names = ["Steg till arbete", "Unga vuxna", "Seminarier", "Beta-insatsen"]

    def section(params):
        html = c.get("/rapporter/insatser/", {"period": "2024", **params}).content.decode()
        return html[html.index('aria-labelledby="rubrik-interventions"'):]

    first, last = section({}), section({"sida": "2"})
    shown_first = [n for n in names if n in first.split("</table>")[0]]
    shown_last = [n for n in names if n in last.split("</table>")[0]]
    assert len(shown_first) == 2 and len(shown_last) == 2
    assert not set(shown_first) & set(shown_last)  # no row on two pages, none left out
    assert "Rad 1–2 av 4 (sida 1 av 2)" in first and 'rel="next"' in first
    assert "sida=2" in first and "period=2024" in first  # the link keeps the filters
    assert "Rad 3–4 av 4" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert "Totalt" in first.split("</table>")[0] and "Totalt" in last.split("</table>")[0]
    assert "Rad 3–4" in section({"sida": "99"})  # past the end: the last page
    csv = c.get("/rapporter/insatser/export/csv/", {"period": "2024"}).content.decode()
    assert all(n in csv for n in names)
