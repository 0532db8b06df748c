"""Issue 14 §3: 24 and 36 months after the end as an option per förbund. Without the option a
förbund's participants have 3, 6 and 12 months only (worklist, links, closures, recording,
reports); with it, 24 and 36 months follow the same window rule everywhere."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from stegvis.audit.models import Action, AuditEvent
from stegvis.followup import selectors, services
from stegvis.indicators import reports
from stegvis.indicators import selectors as indicator_selectors
from stegvis.indicators.periods import Period
from stegvis.participants import followup
from stegvis.participants.models import Measurement, Participation
from tests.followup.conftest import ended
from tests.indicators.conftest import follow, m

pytestmark = pytest.mark.django_db

# Ended 740 days ago: the 24-month follow-up fell due about ten days ago (window open).
DAYS_AGO_24 = 740


def test_schedule_and_windows_of_the_long_horizons():
    assert followup.schedule(False) == ("followup_3m", "followup_6m", "followup_12m")
    assert followup.schedule(True)[-2:] == ("followup_24m", "followup_36m")
    end = dt.date(2024, 1, 31)
    assert followup.due_date(end, "followup_24m") == dt.date(2026, 1, 31)
    assert followup.window(end, "followup_36m") == (dt.date(2027, 1, 17), dt.date(2027, 3, 31))
    windows = [followup.window(end, o) for o in followup.schedule(True)]
    assert all(a[1] < b[0] for a, b in itertools.pairwise(windows))  # no overlap
    # A lapsed follow-up leaves the worklist two years after the end, or a year after its due
    # date for the long horizons.
    assert followup.worklist_until(end, "followup_3m") == dt.date(2026, 1, 31)
    assert followup.worklist_until(end, "followup_36m") == dt.date(2028, 1, 31)


def _occasions(personas, p: Participation) -> set[str]:
    today = timezone.localdate()
    items = selectors.open_follow_ups(Participation.objects.filter(pk=p.pk), today)
    return {i.occasion for i in items}


def test_without_the_option_there_is_no_24_month_follow_up(personas, insats):
    p = ended(personas, insats, days_ago=DAYS_AGO_24)
    today = timezone.localdate()
    assert "followup_24m" not in _occasions(personas, p)
    assert [r.occasion for r in selectors.follow_up_rows(participation=p, today=today)] == [
        "followup_3m", "followup_6m", "followup_12m"]
    with pytest.raises(ValidationError) as e:
        follow(personas.officer_a, p, "followup_24m", today,
               m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)]))
    assert "24 och 36 månader" in str(e.value)
    with pytest.raises(ValidationError) as e:
        services.follow_up_close(actor=personas.officer_a, participation=p,
                                 occasion="followup_24m", reason="ej_nadd", date=today)
    assert "3, 6 eller 12 månader" in e.value.message_dict["occasion"][0]
    with pytest.raises(ValidationError):
        services.link_issue(actor=personas.officer_a, participation=p, occasion="followup_24m",
                            channel="letter")
    services.contact_record(actor=personas.officer_a, participation=p,
                            email="deltagare@exempel.se", mobile="", agreed=True)
    mail.outbox.clear()
    call_command("send_followups")
    assert mail.outbox == []  # 3/6/12 have lapsed, 24 is not on the schedule


def test_with_the_option_24_months_is_due_sent_recorded_and_reported(personas, insats):
    p = ended(personas, insats, days_ago=DAYS_AGO_24)
    other = ended(personas, insats, days_ago=DAYS_AGO_24)
    services.horizons_set(actor=personas.admin_a, association=personas.a, long_horizons=True)
    event = AuditEvent.objects.get(object_type="followup.horizonsetting")
    assert event.action == Action.CREATE and event.details["long_horizons"] is True
    today = timezone.localdate()
    assert "followup_24m" in _occasions(personas, p)
    [row] = [r for r in selectors.follow_up_rows(participation=p, today=today)
             if r.occasion == "followup_24m"]
    assert row.registrable and row.state == followup.DUE
    counts = selectors.association_follow_up_counts(user=personas.reader_a,
                                                    association_id=personas.a.pk, today=today)
    assert counts["24"]["due"] == 2 and counts["36"]["total"] == 0

    # The self-report link goes out for the 24-month follow-up.
    services.contact_record(actor=personas.officer_a, participation=p,
                            email="deltagare@exempel.se", mobile="", agreed=True)
    mail.outbox.clear()
    call_command("send_followups")
    [message] = mail.outbox
    assert re.search(r"/svar/[A-Za-z0-9_-]+/", message.body)
    assert selectors.follow_up_rows(participation=p, today=today)[3].link == "sent"

    # Recorded by the coach, closed for the other: both leave the worklist.
    follow(personas.officer_a, p, "followup_24m", today,
           m(["lon_eget_foretag"], [("arbete_osubventionerat", 100)]))
    services.follow_up_close(actor=personas.officer_a, participation=other,
                             occasion="followup_24m", reason="ej_nadd", date=today)
    assert "followup_24m" not in _occasions(personas, p) | _occasions(personas, other)
    assert Measurement.objects.get(participation=p, occasion="followup_24m")

    query = indicator_selectors.resolve_query(
        user=personas.reader_a, period=Period(today - dt.timedelta(days=364), today),
        association_ids=[personas.a.pk])
    d = indicator_selectors.follow_up_coverage(user=personas.reader_a, query=query, k=24)
    assert d[("T",)]["due"] == 2 and d[("T",)]["coach"] == 1
    assert d[("T",)]["not_reached"] == 1 and d[("T",)]["open"] == 0
    report = reports.bundle(user=personas.reader_a, query=query).reports["uppfoljning"]
    keys = [t.key for t in report.tables]
    assert "followup_24m" in keys and "followup_36m_coverage" in keys
    t24 = next(t for t in report.tables if t.key == "followup_24m")
    assert t24.rows[0].cells[2].suppressed  # 2 due: fewer than the threshold

    # Turned off again: no 24-month rows in the report, nothing on the worklist; the
    # measurement is kept.
    services.horizons_set(actor=personas.admin_a, association=personas.a, long_horizons=False)
    report = reports.bundle(user=personas.reader_a, query=query).reports["uppfoljning"]
    assert "followup_24m" not in [t.key for t in report.tables]
    assert Measurement.objects.filter(participation=p, occasion="followup_24m").exists()
    assert AuditEvent.objects.filter(object_type="followup.horizonsetting",
                                     action=Action.UPDATE).count() == 1


def test_the_option_is_per_forbund(personas, insats, insats_b):
    a = ended(personas, insats, days_ago=DAYS_AGO_24)
    b = ended(personas, insats_b, days_ago=DAYS_AGO_24, officer=personas.officer_b)
    services.horizons_set(actor=personas.admin_b, association=personas.b, long_horizons=True)
    assert "followup_24m" not in _occasions(personas, a)
    assert "followup_24m" in _occasions(personas, b)
    today = timezone.localdate()
    query = indicator_selectors.resolve_query(
        user=personas.reader_a,
        period=Period(today - dt.timedelta(days=364), today), association_ids=[personas.a.pk])
    report = reports.bundle(user=personas.reader_a, query=query).reports["uppfoljning"]
    assert "followup_24m" not in [t.key for t in report.tables]


def test_who_may_set_the_horizons(personas, insats, client_for):
    for user in (personas.officer_a, personas.reader_a):
        with pytest.raises(PermissionDenied):
            services.horizons_set(actor=user, association=personas.a, long_horizons=True)
    assert not selectors.long_horizon_ids()
    url = f"/uppfoljning/forbund/{personas.a.pk}/horisonter/"
    detail = client_for(personas.admin_a).get(f"/forbund/{personas.a.pk}/")
    assert url in detail.content.decode()
    page = client_for(personas.admin_a).get(url)
    assert page.status_code == 200 and "24 och 36 månader" in page.content.decode()
    saved = client_for(personas.admin_a).post(url, {"long_horizons": "1"})
    assert saved.status_code == 302 and selectors.long_horizon_ids() == {personas.a.pk}
    assert client_for(personas.admin_a).post(url, {"long_horizons": "x"}).status_code == 400
    assert client_for(personas.officer_a).get(url).status_code == 403
    assert client_for(personas.admin_b).get(url).status_code == 404
    officer_detail = client_for(personas.officer_a).get(f"/forbund/{personas.a.pk}/")
    assert url not in officer_detail.content.decode()


def test_migration_fills_the_long_follow_up_dates_of_existing_facts(personas, insats):
    """Facts written before the 24/36-month columns existed get their follow-up dates."""
    import importlib

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from stegvis.participants.models import ParticipationFact

    name = "0003_follow_up_facts_24_and_36_months"
    migration = importlib.import_module(f"stegvis.indicators.migrations.{name}")
    # The models as they were at that migration (the fact table was in indicators then).
    apps = MigrationLoader(connection).project_state(("indicators", name)).apps
    p = ended(personas, insats, days_ago=DAYS_AGO_24)
    ParticipationFact.objects.filter(pk=p.pk).update(fu24_date=None, fu36_date=None)
    migration.fill_follow_up_dates(apps, None)
    fact = ParticipationFact.objects.get(pk=p.pk)
    assert fact.fu24_date == followup.due_date(p.end_date, "followup_24m")
    assert fact.fu36_date == followup.due_date(p.end_date, "followup_36m")
