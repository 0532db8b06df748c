"""Issue 14 §1 end to end, and issue 11's follow-up pages: a participation ends → its window
opens → ``send_followups`` → the e-mail arrives at a real SMTP server → the participant answers
in a real browser at 320 px by keyboard → the measurement exists, marked självrapporterad → the
report reader sees it in the Uppföljningsrapport's coverage."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from stegvis.followup import services as followup_services
from stegvis.participants import followup
from stegvis.participants import services as participant_services
from stegvis.participants.models import Measurement, MeasurementSource
from tests.conftest import PASSWORD
from tests.factories import TOTP_SECRET
from tests.followup.conftest import ended as ended_elsewhere
from tests.followup.smtp import smtp_server, use_smtp
from tests.participants.conftest import consent, end_measurement, make_pnr, start_measurement
from tests.support.ports import free_port
from tests.system.conftest import check_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def ended(personas, insats, days_ago: int):
    end = timezone.localdate() - dt.timedelta(days=days_ago)
    start = end - dt.timedelta(days=300)
    p = participant_services.participation_start(
        actor=personas.officer_a, intervention=insats,
        personnummer=make_pnr(dt.date(1991, 6, 2), serial=days_ago % 90),
        consent=consent(start), protected_identity=False, referred_by="kommun",
        start_date=start, residence="0136", measurement=start_measurement(date=start),
    )
    return participant_services.participation_end(
        actor=personas.officer_a, participation=p, end_date=end, exit_reason="arbete",
        measurement=end_measurement(),
    )


def _answered_by_letter(personas, p) -> None:
    """A follow-up answered through the link of a printed letter (no e-mail)."""
    _invitation, token = followup_services.link_issue(
        actor=personas.officer_a, participation=p, occasion="followup_3m", channel="letter")
    invitation = followup_services.invitation_for_token(token)
    assert invitation is not None
    answers = followup_services.SelfReport(activity="studier", extent_pct=100,
                                           income_sources=["studiemedel"])
    followup_services.self_report_submit(invitation=invitation, answers=answers)


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('body *'))"
        ".filter(e => e.getBoundingClientRect().right > 321)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 8)"
    )
    assert width <= 320, f"{page.url}: {width} px wide at 320: {wide}"


def test_self_reported_follow_up_end_to_end(page, personas, insats, live_server, settings):
    port = free_port()
    use_smtp(settings, port)
    settings.STEGVIS_PUBLIC_URL = live_server.url
    # Two people: one whose 3-month follow-up fell due a few days ago, one whose window is not
    # open yet. (No time travel: the live server answers in another thread, and a process-wide
    # clock change made this test depend on what other tests had left running.) Four more due
    # at the same time answered on paper letters, so that the report can show five.
    p = ended(personas, insats, days_ago=95)
    for _ in range(4):
        _answered_by_letter(personas, ended_elsewhere(personas, insats, days_ago=95))
    early = ended(personas, insats, days_ago=60)
    assert followup.window(p.end_date, "followup_3m")[0] <= timezone.localdate()
    assert followup.window(early.end_date, "followup_3m")[0] > timezone.localdate()
    for person in (p, early):
        followup_services.contact_record(actor=personas.officer_a, participation=person,
                                         email="deltagare@exempel.se", mobile="", agreed=True)
    with smtp_server(port) as server:
        call_command("send_followups")  # only the open window gets a link
        [message] = server.messages
        link = re.search(r"(https?://\S+/svar/[A-Za-z0-9_-]+/)", message.get_content())
        assert link is not None

        page.set_viewport_size({"width": 320, "height": 800})
        page.goto(link.group(1))
        check_page(page)
        no_horizontal_scroll(page)
        html = page.content()
        assert insats.name not in html and personas.a.name not in html
        # by keyboard: focus each choice and press Space
        page.get_by_label("Arbete (osubventionerat)").focus()
        page.keyboard.press("Space")
        page.get_by_label("Ungefär halvtid").focus()
        page.keyboard.press("Space")
        page.get_by_label("Lön/eget företag").focus()
        page.keyboard.press("Space")
        page.get_by_label("Hur mår du?").select_option("6")
        page.get_by_role("button", name="Skicka svaren").focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        errors = page.locator(".error-summary")
        assert errors.count() == 0, errors.inner_text()
        assert page.get_by_role("heading", level=1).inner_text() == "Tack för dina svar"
        check_page(page)
        no_horizontal_scroll(page)
        # the link is used up: a kind page that tells nothing
        check_page(page, link.group(1), status=404)
        assert "Länken kan inte användas" in page.content()

    m = Measurement.objects.get(participation=p, occasion="followup_3m")
    assert m.source == MeasurementSource.SELF_REPORTED and m.rating_health == 6
    assert [(a.activity.key, a.extent_pct) for a in m.activities.all()] == [
        ("arbete_osubventionerat", 50)]

    # Visible in the reports: the report reader's Uppföljningsrapport counts five self-reported
    # 3-month follow-ups (the four letters and this one) of five due.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, "reader_a", PASSWORD)
    today = timezone.localdate()
    check_page(page, f"/rapporter/uppfoljning/?from_date={today - dt.timedelta(days=364)}"
                     f"&to_date={today}&association={personas.a.pk}")
    table = page.locator("table", has=page.locator(
        "caption", has_text="Täckning av uppföljningen 3 månader"))
    row = table.locator("tr", has=page.get_by_role("rowheader",
                                                   name="Mätta: självrapporterade"))
    assert row.locator("td").nth(2).inner_text() == "5"
    due = table.locator("tr", has=page.get_by_role("rowheader",
                                                    name="Ska följas upp (samtycke)"))
    assert due.locator("td").nth(2).inner_text() == "5"


def test_questionnaire_errors_at_320_px(page, personas, insats):
    p = ended(personas, insats, days_ago=80)  # window open today
    followup_services.contact_record(actor=personas.officer_a, participation=p,
                                     email="deltagare@exempel.se", mobile="", agreed=True)
    from django.core import mail

    followup_services.send_due_links(base_url="http://x")
    token = re.search(r"/svar/([A-Za-z0-9_-]+)/", mail.outbox[-1].body).group(1)
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/svar/{token}/")
    page.get_by_role("button", name="Skicka svaren").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    check_page(page)
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Jag vill inte svara").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Du har valt att inte svara"
    check_page(page)


def test_coach_follow_up_pages(page, personas, insats):
    in_window = ended(personas, insats, days_ago=80)
    lapsed = ended(personas, insats, days_ago=160)
    sign_in(page, "officer_a", PASSWORD, TOTP_SECRET)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        check_page(page, "/deltagare/uppfoljning/")
        for url in (f"/uppfoljning/deltagande/{in_window.pk}/",
                    f"/uppfoljning/deltagande/{in_window.pk}/kontakt/",
                    f"/uppfoljning/deltagande/{lapsed.pk}/followup_3m/avsluta/"):
            check_page(page, url)
            if width == 320:
                no_horizontal_scroll(page)
    # close the lapsed follow-up by keyboard; the worklist then no longer lists it
    page.get_by_label("Skäl").focus()
    page.keyboard.type("Ej n")
    page.get_by_role("button", name="Avsluta uppföljningen").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/uppfoljning/deltagande/{lapsed.pk}/")
    assert "Avslutad: Ej nådd" in page.content()
    check_page(page)
    page.goto("/deltagare/uppfoljning/")
    assert f"/uppfoljning/deltagande/{lapsed.pk}/followup_3m/avsluta/" not in page.content()
    # recording a contact channel with an error first
    page.goto(f"/uppfoljning/deltagande/{in_window.pk}/kontakt/")
    page.get_by_label("E-post").fill("deltagare@exempel.se")
    page.get_by_role("button", name="Spara kontaktvägen").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1
    check_page(page)
    page.get_by_label("Deltagaren har godkänt").check()
    page.get_by_role("button", name="Spara kontaktvägen").click()
    page.wait_for_url(f"**/uppfoljning/deltagande/{in_window.pk}/")
    assert "d***@e***.se" in page.content()
    check_page(page)
