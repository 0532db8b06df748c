"""The participant pages: the officer's flows, outsiders refused, audit, no number in URLs."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.urls import reverse

from stegvis.audit.models import Action, AuditEvent
from stegvis.participants import services
from stegvis.participants.models import Measurement, Participation, Person
from tests.participants.conftest import consent, end_measurement, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

PNR = make_pnr(dt.date(1990, 5, 17), serial=42)
DIGITS = PNR.replace("-", "")
START = dt.date(2024, 2, 1)


def form_data(**overrides):
    data = {
        "personnummer": PNR,
        "consent_date": "2024-01-25",
        "consent_form_version": "2024:1",
        "consent_scope_registration": "on",
        "consent_follow_up": "on",
        "referred_by": "arbetsformedlingen",
        "start_date": START.isoformat(),
        "residence": "0180",
        "income_sources": ["forsorjningsstod", "a_kassa"],
        "activity_aktivt_arbetssokande": "50",
        "activity_annan_insats": "25",
        "education_level": "gymnasial",
        "public_support_duration": "2_5_ar",
        "step": "steg_2",
        "rating_health": "6",
        "form_token": "token-abc",
    }
    data.update(overrides)
    return data


def registered(personas, insats) -> Participation:
    return services.participation_start(
        actor=personas.officer_a, intervention=insats, personnummer=PNR,
        consent=consent(START), protected_identity=False, referred_by="kommun",
        start_date=START, residence="0136", measurement=start_measurement(),
    )


def no_identity(html: str) -> bool:
    return DIGITS not in html and DIGITS[2:] not in html and PNR not in html


OUTSIDERS = ("officer_b", "admin_a", "manager_a", "reader_a", "national_reader")


def test_register_in_one_page(personas, insats, client_for):
    client = client_for(personas.officer_a)
    url = reverse("participants:register", args=[insats.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="personnummer"' in html and "Förbundets kommuner" in html
    # the förbund's kommuner come first in the list
    assert html.index('<option value="0180">') < html.index('<option value="1440">')
    assert html.index('<option value="0136">') < html.index('<option value="0114">')
    response = client.post(url, form_data())
    assert response.status_code == 302
    p = Participation.objects.get()
    assert response["Location"] == reverse("participants:detail", args=[p.pk])
    assert DIGITS not in response["Location"]
    m = Measurement.objects.get(participation=p)
    assert sorted(c.key for c in m.income_sources.all()) == ["a_kassa", "forsorjningsstod"]
    assert sorted((a.activity.key, a.extent_pct) for a in m.activities.all()) == [
        ("aktivt_arbetssokande", 50), ("annan_insats", 25)
    ]
    assert m.rating_health == 6
    # double submit of the same form creates no second record
    again = client.post(url, form_data())
    assert again.status_code == 302
    assert Participation.objects.count() == 1


def test_register_errors_are_listed_and_nothing_saved(personas, insats, client_for, caplog):
    caplog.set_level(logging.DEBUG)
    client = client_for(personas.officer_a)
    bad = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    response = client.post(
        reverse("participants:register", args=[insats.pk]),
        form_data(personnummer=bad, activity_studier="140", consent_date="2024-02-05"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert 'href="#id_personnummer"' in html and "kontrollsiffra" in html
    assert "mellan 0 och 100" in html and 'href="#activities"' in html
    assert 'href="#id_consent_date"' in html
    assert not Person.objects.exists() and not Participation.objects.exists()
    bad_digits = bad.replace("-", "")
    assert bad_digits not in caplog.text and bad not in caplog.text
    for event in AuditEvent.objects.all():
        assert bad_digits not in str(event.details)


def test_under_16_second_submit_confirms(personas, insats, client_for):
    client = client_for(personas.officer_a)
    young = make_pnr(dt.date(2009, 1, 15))
    url = reverse("participants:register", args=[insats.pk])
    first = client.post(url, form_data(personnummer=young))
    assert first.status_code == 400
    assert 'name="confirm_young"' in first.content.decode()
    assert not Participation.objects.exists()
    second = client.post(url, form_data(personnummer=young, confirm_young="on"))
    assert second.status_code == 302
    assert Participation.objects.get().age_at_start == 15


def test_protected_identity_offers_anonymous_count(personas, insats, client_for):
    from stegvis.interventions.models import AnonymousCount

    client = client_for(personas.officer_a)
    response = client.post(
        reverse("participants:register", args=[insats.pk]),
        form_data(protected_identity="on"),
    )
    assert response.status_code == 400
    assert "Räkna anonymt" in response.content.decode()
    assert not Person.objects.exists()
    done = client.post(
        reverse("participants:anonymous", args=[insats.pk]), {"sex": "K", "start_year": "2024"}
    )
    assert done.status_code == 302
    assert AnonymousCount.objects.get(intervention=insats).women == 1


def test_participant_page_is_masked_and_audited(personas, insats, client_for):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    response = client.get(reverse("participants:detail", args=[p.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "19900517-****" in html and no_identity(html)
    assert AuditEvent.objects.filter(
        action=Action.READ, actor=personas.officer_a, object_id=str(p.pk)
    ).exists()


def test_reveal_asks_reason_by_post_and_audits(personas, insats, client_for):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    url = reverse("participants:reveal", args=[p.pk])
    assert client.get(url).status_code == 405
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 400 and no_identity(missing.content.decode())
    shown = client.post(url, {"reason": "Samordning med handläggare"})
    assert shown.status_code == 200
    assert f"{DIGITS[:8]}-{DIGITS[8:]}" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=Action.READ, reason="Samordning med handläggare", details__revealed="personnummer"
    ).exists()


def test_search_by_post_is_audited_without_number(personas, insats, client_for):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    response = client.post(reverse("participants:search"), {"personnummer": PNR})
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("participants:detail", args=[p.pk]) in html and no_identity(html)
    event = AuditEvent.objects.get(action=Action.SEARCH)
    assert event.details["hits"] == 1 and DIGITS not in str(event.details)
    # officer_b searching for the same number finds nothing, and is audited too
    other = client_for(personas.officer_b).post(reverse("participants:search"),
                                                {"personnummer": PNR})
    assert other.status_code == 200 and "Ingen deltagare" in other.content.decode()
    assert AuditEvent.objects.filter(action=Action.SEARCH).count() == 2


def test_end_measure_correct_flow(personas, insats, client_for):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    end_url = reverse("participants:end", args=[p.pk])
    assert client.get(end_url).status_code == 200
    bad = client.post(end_url, {"end_date": "2024-01-01", "exit_reason": "arbete",
                                "income_sources": ["lon_eget_foretag"],
                                "activity_arbete_osubventionerat": "100",
                                "education_level": "gymnasial", "step": "steg_6"})
    assert bad.status_code == 400 and "före startdatum" in bad.content.decode()
    ok = client.post(end_url, {"end_date": "2024-04-30", "exit_reason": "arbete",
                               "income_sources": ["lon_eget_foretag"],
                               "activity_arbete_osubventionerat": "100",
                               "education_level": "gymnasial", "step": "steg_6"})
    assert ok.status_code == 302
    p.refresh_from_db()
    assert p.end_date == dt.date(2024, 4, 30) and p.exit_reason.key == "arbete"
    measure_url = reverse("participants:measure", args=[p.pk])
    # Today every window of a 2024 end has closed: no follow-up form is offered.
    lapsed = client.get(measure_url + "?occasion=followup_3m").content.decode()
    assert 'value="followup_3m"' not in lapsed and "Ingen uppföljning kan registreras" in lapsed
    with time_machine.travel(dt.datetime(2024, 8, 5, 12, tzinfo=dt.UTC)):
        page = client.get(measure_url + "?occasion=followup_3m")
        html = page.content.decode()
        assert page.status_code == 200 and 'value="followup_3m" selected' in html
        assert 'value="followup_6m"' not in html  # its window opens in October
        # the form starts from the previous (end) measurement
        assert re.search(r'name="activity_arbete_osubventionerat"[^>]*value="100"', html)
        assert re.search(r'value="lon_eget_foretag"[^>]*checked', html)
        done = client.post(measure_url, {"occasion": "followup_3m",
                                         "measurement_date": "2024-07-30",
                                         "income_sources": ["lon_eget_foretag"],
                                         "activity_arbete_osubventionerat": "80"})
        assert done.status_code == 302
        twice = client.post(measure_url, {"occasion": "followup_3m",
                                          "measurement_date": "2024-08-02",
                                          "income_sources": ["lon_eget_foretag"],
                                          "activity_arbete_osubventionerat": "80"})
        assert twice.status_code == 400
    client = client_for(personas.officer_a)  # the session saved in 2024 has expired
    m = Measurement.objects.get(participation=p, occasion="start")
    correct_url = reverse("participants:correct", args=[m.pk])
    form = client.get(correct_url)
    assert form.status_code == 200 and 'value="50"' in form.content.decode()
    fixed = client.post(correct_url, {"income_sources": ["sjukersattning"],
                                      "activity_annan_insats": "75",
                                      "education_level": "gymnasial",
                                      "public_support_duration": "5_10_ar", "step": "steg_1"})
    assert fixed.status_code == 302
    assert AuditEvent.objects.get(action=Action.UPDATE, object_id=str(m.pk),
                                   object_type="participants.measurement").details[
        "before"]["income_sources"] == ["sjukpenning"]


def test_worklist_shows_due_and_overdue_and_start_page_counts(personas, insats, client_for):
    today = dt.date.today()
    p = registered(personas, insats)
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=today - dt.timedelta(days=200),
        exit_reason="arbete", measurement=end_measurement(),
    )
    client = client_for(personas.officer_a)
    response = client.get(reverse("followup:worklist") + "?sort=status")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Uppföljning 3 månader" in html and "Uppföljning 6 månader" in html
    assert "Uppföljning 12 månader" not in html
    assert "Försenad" in html and "19900517-****" in html and no_identity(html)
    assert AuditEvent.objects.filter(action=Action.READ, details__view="followup_worklist").exists()
    home = client.get(reverse("web:home")).content.decode()
    assert re.search(r"Uppföljningar att göra: 2\b", home)
    # officer_b has nothing to do and sees nothing of A
    other = client_for(personas.officer_b).get(reverse("followup:worklist"))
    assert other.status_code == 200 and "19900517" not in other.content.decode()


def test_mark_error_asks_for_a_reason_and_offers_cancel(personas, insats, client_for):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    url = reverse("participants:mark_error", args=[p.pk])
    page = client.get(url).content.decode()
    assert 'name="reason"' in page and "Avbryt" in page
    assert reverse("participants:detail", args=[p.pk]) in page
    # Without a reason nothing happens, and the summary says why.
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "Anledning: beskriv" in refused.content.decode()
    p.refresh_from_db()
    assert not p.is_error
    # A reason that looks like a personnummer is refused and not echoed into the log.
    assert client.post(url, {"reason": f"fel person {PNR}"}).status_code == 400
    p.refresh_from_db()
    assert not p.is_error
    assert client.post(url, {"reason": "Registrerad i fel insats"}).status_code == 302
    p.refresh_from_db()
    assert p.is_error
    event = AuditEvent.objects.filter(action=Action.UPDATE, details__is_error=True).get()
    assert event.reason == "Registrerad i fel insats"


def test_withdraw_names_what_is_erased_and_needs_date_and_confirmation(
    personas, insats, client_for
):
    p = registered(personas, insats)
    client = client_for(personas.officer_a)
    url = reverse("participants:withdraw", args=[p.pk])
    page = client.get(url).content.decode()
    assert "1 mätning i den här insatsen" in page
    assert "personnumret raderas helt" in page
    assert 'name="withdrawn_on"' in page and 'name="confirm"' in page
    assert f'value="{dt.date.today().isoformat()}"' in page  # the date defaults to today
    assert "Avbryt" in page and reverse("participants:detail", args=[p.pk]) in page
    # Without the explicit confirmation nothing is erased, and the date typed is kept.
    refused = client.post(url, {"withdrawn_on": "2024-03-01"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "Bekräftelse: kryssa i rutan" in html
    assert 'value="2024-03-01"' in html
    assert Person.objects.exists() and Measurement.objects.filter(participation=p).exists()
    # A date in the future or before the consent is refused.
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    assert client.post(url, {"withdrawn_on": future, "confirm": "on"}).status_code == 400
    early = client.post(url, {"withdrawn_on": "2023-01-01", "confirm": "on"})
    assert early.status_code == 400 and "före samtyckesdatumet" in early.content.decode()
    assert Person.objects.exists()
    done = client.post(url, {"withdrawn_on": "2024-03-01", "confirm": "on"})
    assert done.status_code == 302
    assert not Person.objects.exists()
    p.refresh_from_db()
    assert p.consent.withdrawn_at.date() == dt.date(2024, 3, 1)
    event = AuditEvent.objects.get(action=Action.DELETE, details__consent_withdrawn=True)
    assert event.details["withdrawn_on"] == "2024-03-01"
    # The old address says plainly that the data was erased.
    after = client.get(reverse("participants:detail", args=[p.pk]))
    assert after.status_code == 200
    text = after.content.decode()
    assert "Uppgifterna är raderade" in text and "Samtycket återkallades 2024-03-01" in text
    assert "Ålder vid start" not in text and no_identity(text)


def test_withdraw_keeps_the_number_when_the_person_has_another_participation(
    personas, insats, client_for
):
    p = registered(personas, insats)
    services.participation_end(
        actor=personas.officer_a, participation=p, end_date=START + dt.timedelta(days=30),
        exit_reason="arbete", measurement=end_measurement(),
    )
    services.participation_start(
        actor=personas.officer_a, intervention=insats, personnummer=PNR,
        consent=consent(START + dt.timedelta(days=60)), protected_identity=False,
        referred_by="kommun", start_date=START + dt.timedelta(days=60), residence="0136",
        measurement=start_measurement(),
    )
    page = client_for(personas.officer_a).get(
        reverse("participants:withdraw", args=[p.pk])
    ).content.decode()
    assert "personnumret finns kvar för personens 1 andra deltagande" in page
    assert "2 mätningar i den här insatsen" in page


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_get_nothing(personas, insats, client_for, who):
    p = registered(personas, insats)
    m = Measurement.objects.get(participation=p)
    client = client_for(getattr(personas, who))
    for url in (
        reverse("participants:detail", args=[p.pk]),
        reverse("participants:end", args=[p.pk]),
        reverse("participants:measure", args=[p.pk]),
        reverse("participants:mark_error", args=[p.pk]),
        reverse("participants:withdraw", args=[p.pk]),
        reverse("participants:correct", args=[m.pk]),
        reverse("participants:intervention", args=[insats.pk]),
        reverse("participants:register", args=[insats.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert no_identity(response.content.decode())
    for url, data in (
        (reverse("participants:reveal", args=[p.pk]), {"reason": "bara nyfiken"}),
        (reverse("participants:withdraw", args=[p.pk]), {"confirm": "on"}),
        (reverse("participants:mark_error", args=[p.pk]), {"reason": "Fel insats"}),
        (reverse("participants:register", args=[insats.pk]), form_data(form_token="x")),
    ):
        response = client.post(url, data)
        assert response.status_code == 404, url
        assert no_identity(response.content.decode())
    for url in (reverse("participants:index"), reverse("followup:worklist")):
        response = client.get(url)
        assert response.status_code in (200, 403)
        assert "19900517" not in response.content.decode()
    search = client.post(reverse("participants:search"), {"personnummer": PNR})
    assert search.status_code in (200, 403)
    assert "19900517" not in search.content.decode()
    p.refresh_from_db()
    assert p.person_id is not None and Participation.objects.count() == 1
    assert not AuditEvent.objects.filter(action=Action.READ, reason="bara nyfiken").exists()


def test_non_officers_are_refused_the_officer_pages(personas, client_for):
    for who in ("admin_a", "manager_a", "reader_a", "national_reader"):
        client = client_for(getattr(personas, who))
        assert client.get(reverse("participants:index")).status_code == 403
        assert client.get(reverse("followup:worklist")).status_code == 403
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


def test_registration_defaults_and_choices(personas, insats, client_for):
    client = client_for(personas.officer_a)
    html = client.get(reverse("participants:register", args=[insats.pk])).content.decode()
    today = dt.date.today().isoformat()
    assert re.search(rf'name="consent_date"[^>]*value="{today}"', html)
    assert re.search(rf'name="start_date"[^>]*value="{today}"', html)
    box = re.search(r'<input[^>]*name="consent_scope_registration"[^>]*>', html).group(0)
    assert "checked" not in box
    # The hint describes every accepted format.
    assert "10 eller 12 siffror, med eller utan bindestreck" in html
    # Protected identity is a choice leading to the anonymous count, not an error.
    assert 'name="protected_identity"' not in html
    anonymous = reverse("participants:anonymous", args=[insats.pk])
    assert f'href="{anonymous}"' in html
    page = client.get(anonymous)
    assert page.status_code == 200 and 'name="sex"' in page.content.decode()


def test_registration_error_summary_follows_the_form(personas, insats, client_for):
    response = client_for(personas.officer_a).post(
        reverse("participants:register", args=[insats.pk]),
        form_data(personnummer="", consent_date="", start_date="", residence="", form_token="t1"),
    )
    assert response.status_code == 400
    anchors = [a for a, _m in response.context["error_links"]]
    fields = list(response.context["form"].fields)
    positions = [fields.index(a.removeprefix("#id_").removesuffix("_0")) for a in anchors
                 if a.startswith("#id_")]
    assert positions == sorted(positions) and len(positions) >= 3
    html = response.content.decode()
    for anchor in anchors:  # every error names a field that is on the page
        if anchor.startswith("#id_"):
            assert f'id="{anchor[1:]}"' in html


def test_duplicate_links_to_the_existing_participation(personas, insats, client_for):
    p = registered(personas, insats)
    response = client_for(personas.officer_a).post(
        reverse("participants:register", args=[insats.pk]),
        form_data(start_date=dt.date.today().isoformat(), form_token="again"),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "redan ett pågående deltagande" in html
    assert f'href="{reverse("participants:detail", args=[p.pk])}"' in html
