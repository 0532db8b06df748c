"""Closing a follow-up with a reason: the service, the worklist, the counts and the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from stegvis.audit.models import Action, AuditEvent
from stegvis.followup import selectors, services
from stegvis.followup.models import Closure
from stegvis.reference.models import Code, CodeList
from tests.followup.conftest import ended

pytestmark = pytest.mark.django_db


def test_closure_code_list_is_seeded():
    keys = set(Code.objects.filter(list=CodeList.FOLLOWUP_CLOSURE).values_list("key", flat=True))
    assert {"ej_nadd", "avbojt", "avliden", "flyttat_utomlands"} <= keys


def test_closing_drops_the_follow_up_from_the_worklist_and_counts(personas, ended_factory):
    p = ended_factory(100)  # 3-month follow-up is due
    today = timezone.localdate()
    before = selectors.followup_worklist(user=personas.officer_a)
    assert [(i.participation.pk, i.occasion) for i in before] == [(p.pk, "followup_3m")]
    assert selectors.followup_counts(user=personas.officer_a)["total"] == 1

    closure = services.follow_up_close(
        actor=personas.officer_a, participation=p, occasion="followup_3m", reason="ej_nadd",
        date=today,
    )
    assert closure.reason.key == "ej_nadd" and closure.date == today
    assert selectors.followup_worklist(user=personas.officer_a) == []
    assert selectors.followup_counts(user=personas.officer_a)["total"] == 0
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="followup.closure")
    assert event.details == {"participation": p.pk, "occasion": "followup_3m",
                             "reason": "ej_nadd", "date": today.isoformat()}
    assert selectors.closures_by_follow_up([p.pk]) == {(p.pk, 3): "not_reached"}


def test_declined_is_its_own_group_for_coverage(personas, ended_factory):
    p = ended_factory(100)
    services.follow_up_close(actor=personas.officer_a, participation=p, occasion="followup_6m",
                             reason="avbojt", date=timezone.localdate())
    assert selectors.closures_by_follow_up([p.pk]) == {(p.pk, 6): "declined"}


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"reason": None}, "reason", "välj ett skäl"),
        ({"reason": "arbete"}, "reason", "giltigt skäl"),  # an exit reason, not a closure code
        ({"date": None}, "date", "ange ett datum"),
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "date", "framtiden"),
        ({"date": dt.date(2000, 1, 1)}, "date", "före deltagandets slutdatum"),
        ({"occasion": "followup_24m"}, "occasion", "3, 6 eller 12"),
    ],
)
def test_closing_refuses_bad_input(personas, ended_factory, kwargs, field, text):
    p = ended_factory(100)
    values = {"occasion": "followup_3m", "reason": "ej_nadd", "date": timezone.localdate()}
    values.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        services.follow_up_close(actor=personas.officer_a, participation=p, **values)
    assert text in exc.value.message_dict[field][0]
    assert not Closure.objects.exists()


def test_closing_twice_or_after_a_measurement_is_refused(personas, ended_factory):
    p = ended_factory(100)
    services.follow_up_close(actor=personas.officer_a, participation=p, occasion="followup_3m",
                             reason="avliden", date=timezone.localdate())
    with pytest.raises(ValidationError) as exc:
        services.follow_up_close(actor=personas.officer_a, participation=p,
                                 occasion="followup_3m", reason="ej_nadd",
                                 date=timezone.localdate())
    assert "redan" in exc.value.message_dict["occasion"][0]
    # a closed follow-up cannot then be recorded either
    from stegvis.participants import services as participant_services
    from tests.participants.conftest import end_measurement

    with pytest.raises(ValidationError) as exc:
        participant_services.measurement_record(
            actor=personas.officer_a, participation=p, occasion="followup_3m",
            measurement=end_measurement(date=timezone.localdate()),
        )
    assert "avslutad utan mätning" in exc.value.message_dict["occasion"][0]


def test_no_follow_up_consent_cannot_be_closed(personas, ended_factory):
    p = ended_factory(100, follow_up=False)
    with pytest.raises(ValidationError):
        services.follow_up_close(actor=personas.officer_a, participation=p,
                                 occasion="followup_3m", reason="ej_nadd",
                                 date=timezone.localdate())


def test_outsiders_cannot_close(personas, ended_factory):
    p = ended_factory(100)
    for outsider in (personas.officer_b, personas.admin_a, personas.manager_a, personas.sysadmin):
        with pytest.raises(PermissionDenied):
            services.follow_up_close(actor=outsider, participation=p, occasion="followup_3m",
                                     reason="ej_nadd", date=timezone.localdate())
    assert not Closure.objects.exists()


def test_close_page_by_form(personas, ended_factory, client_for):
    p = ended_factory(100)
    client = client_for(personas.officer_a)
    url = reverse("followup:close", args=[p.pk, "followup_3m"])
    page = client.get(url)
    assert page.status_code == 200 and "Flyttat utomlands" in page.content.decode()
    bad = client.post(url, {"reason": "", "date": timezone.localdate().isoformat()})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Skäl: välj ett skäl." in html
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date is kept
    ok = client.post(url, {"reason": "flyttat_utomlands",
                           "date": timezone.localdate().isoformat()})
    assert ok.status_code == 302 and ok["Location"] == reverse("followup:overview", args=[p.pk])
    overview = client.get(ok["Location"]).content.decode()
    assert "Avslutad: Flyttat utomlands" in overview
    worklist = client.get(reverse("followup:worklist")).content.decode()
    assert "Inga uppföljningar är aktuella just nu." in worklist


@pytest.mark.parametrize("who", ["officer_b", "admin_a", "reader_a", "auditor_a", "sysadmin"])
def test_outsider_personas_get_no_follow_up_pages(personas, ended_factory, client_for, who):
    p = ended_factory(100)
    client = client_for(getattr(personas, who))
    for url in (
        reverse("followup:overview", args=[p.pk]),
        reverse("followup:close", args=[p.pk, "followup_3m"]),
        reverse("followup:contact", args=[p.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("followup:close", args=[p.pk, "followup_3m"]),
                       {"reason": "ej_nadd", "date": "2025-01-01"}).status_code == 404
    assert client.post(reverse("followup:letter", args=[p.pk, "followup_3m"])).status_code == 404
    assert not Closure.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(ended_factory, client):
    p = ended_factory(100)
    response = client.get(reverse("followup:overview", args=[p.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_register_link_only_in_window_and_lapsed_only_closable(personas, ended_factory,
                                                               client_for):
    upcoming = ended_factory(30)  # 3-month window opens in ~46 days
    in_window = ended_factory(80)  # 3-month due in ~10 days: window open
    lapsed = ended_factory(160)  # 3-month window closed (due + 2 months passed)
    client = client_for(personas.officer_a)
    measure = reverse("participants:measure", args=[in_window.pk])
    html = client.get(reverse("followup:worklist")).content.decode()
    assert f'{measure}?occasion=followup_3m' in html
    assert reverse("participants:measure", args=[lapsed.pk]) not in html
    assert reverse("followup:close", args=[lapsed.pk, "followup_3m"]) in html
    assert "Missad" in html
    assert reverse("followup:close", args=[upcoming.pk, "followup_3m"]) not in html
    # the participant page offers only what the service accepts
    detail = client.get(reverse("participants:detail", args=[upcoming.pk])).content.decode()
    assert "?occasion=followup_" not in detail
    detail = client.get(reverse("participants:detail", args=[in_window.pk])).content.decode()
    assert "?occasion=followup_3m" in detail and "?occasion=followup_6m" not in detail


def test_start_page_counts_per_forbund_equal_the_worklist(personas, insats, insats_b,
                                                           client_for):
    from stegvis.access.models import InterventionAssignment
    from stegvis.access.roles import Role
    from tests import factories

    # officer_a is deltagaransvarig in both förbund, with one insats in each
    factories.grant(personas.officer_a, Role.PARTICIPANT_OFFICER.value, personas.b)
    InterventionAssignment.objects.create(intervention=insats_b, user=personas.officer_a)
    ended(personas, insats, days_ago=100)  # A: 3m due
    ended(personas, insats, days_ago=200)  # A: 6m due, 3m lapsed
    ended(personas, insats_b, days_ago=85)  # B: 3m due
    client = client_for(personas.officer_a)
    home = client.get(reverse("web:home")).content.decode()
    for association, expected in ((personas.a, 3), (personas.b, 1)):
        worklist = selectors.followup_worklist(
            user=personas.officer_a, association_id=association.pk
        )
        assert len(worklist) == expected
        assert f"?forbund={association.pk}\">Uppföljningar att göra: {expected}" in home
        page = client.get(reverse("followup:worklist") + f"?forbund={association.pk}")
        assert page.content.decode().count("Avsluta utan mätning<span") == expected


def test_report_counts_use_the_same_rule(personas, ended_factory):
    ended_factory(130)  # 3m overdue (6m upcoming)
    ended_factory(200)  # 3m lapsed, 6m due
    counts = selectors.association_follow_up_counts(
        user=personas.reader_a, association_id=personas.a.pk, today=timezone.localdate()
    )
    worklist = selectors.followup_counts(user=personas.officer_a)
    assert counts["total"] == worklist == {"due": 1, "overdue": 1, "lapsed": 1, "total": 3}
    assert counts["3"] == {"due": 0, "overdue": 1, "lapsed": 1, "total": 2}
    assert counts["6"]["due"] == 1 and counts["12"]["total"] == 0
    with pytest.raises(PermissionDenied):
        selectors.association_follow_up_counts(
            user=personas.officer_a, association_id=personas.a.pk, today=timezone.localdate()
        )
