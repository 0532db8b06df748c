"""Contact channels, one-time links, the participant's questionnaire and every refusal path."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from stegvis.audit.models import Action, AuditEvent
from stegvis.followup import services
from stegvis.followup.models import Closure, ContactChannel, Invitation, InvitationToken
from stegvis.participants import services as participant_services
from stegvis.participants.models import Measurement, MeasurementSource

pytestmark = pytest.mark.django_db
EMAIL = "kim.andersson@exempel.se"
LINK_RE = re.compile(r"https?://\S+/svar/([A-Za-z0-9_-]+)/")


def at(day: dt.date) -> time_machine.travel:
    return time_machine.travel(dt.datetime.combine(day, dt.time(9)).astimezone(), tick=True)


def with_contact(personas, ended_factory, days_ago: int = 60, **kwargs):
    p = ended_factory(days_ago)
    services.contact_record(actor=personas.officer_a, participation=p,
                            email=kwargs.get("email", EMAIL), mobile=kwargs.get("mobile", ""),
                            agreed=True)
    return p


def window_open_day(p) -> dt.date:
    from stegvis.participants import followup

    return followup.window(p.end_date, "followup_3m")[0]


def token_from_last_mail() -> str:
    match = LINK_RE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def answers(**overrides):
    data = {"activity": "arbete_osubventionerat", "extent": "75",
            "income_sources": ["lon_eget_foretag"], "rating_work": "7", "rating_health": "",
            "rating_future": "8"}
    data.update(overrides)
    return data


# --- the contact channel -------------------------------------------------------------------


def test_contact_is_encrypted_masked_and_audited_when_read(personas, ended_factory, client_for):
    p = with_contact(personas, ended_factory, mobile="070-123 45 67")
    channel = ContactChannel.objects.get(participation=p)
    assert EMAIL not in channel.email_ciphertext and "701234567" not in channel.mobile_ciphertext
    with connection.cursor() as cursor:
        cursor.execute("SELECT email_ciphertext, mobile_ciphertext FROM followup_contactchannel")
        assert EMAIL not in repr(cursor.fetchall())
    created = AuditEvent.objects.get(object_type="followup.contactchannel", action=Action.CREATE)
    assert created.details == {"participation": p.pk, "email": True, "mobile": True}
    client = client_for(personas.officer_a)
    html = client.get(reverse("followup:overview", args=[p.pk])).content.decode()
    assert "k***@e***.se" in html and "070-*** ** 67" in html
    assert EMAIL not in html and "123 45 67" not in html
    read = AuditEvent.objects.filter(object_type="followup.contactchannel", action=Action.READ)
    assert read.count() == 1 and read.get().details["participation"] == p.pk
    assert EMAIL not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))


def test_contact_form_refuses_bad_input_and_keeps_it(personas, ended_factory, client_for):
    p = ended_factory(60)
    client = client_for(personas.officer_a)
    url = reverse("followup:contact", args=[p.pk])
    bad = client.post(url, {"email": "inte-en-adress", "mobile": "12345"})
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "E-post: ange en e-postadress" in html and "Mobilnummer: ange ett svenskt" in html
    assert "Deltagarens godkännande" in html and 'value="inte-en-adress"' in html
    assert not ContactChannel.objects.exists()
    ok = client.post(url, {"email": EMAIL, "mobile": "", "agreed": "on"})
    assert ok.status_code == 302 and ContactChannel.objects.filter(participation=p).exists()


def test_contact_needs_follow_up_consent_and_an_assigned_officer(personas, ended_factory):
    p = ended_factory(60, follow_up=False)
    with pytest.raises(ValidationError):
        services.contact_record(actor=personas.officer_a, participation=p, email=EMAIL,
                                mobile="", agreed=True)
    q = ended_factory(60)
    for outsider in (personas.officer_b, personas.admin_a, personas.sysadmin):
        with pytest.raises(PermissionDenied):
            services.contact_record(actor=outsider, participation=q, email=EMAIL, mobile="",
                                    agreed=True)


def test_contact_and_links_erased_at_withdrawal_of_consent(personas, ended_factory):
    p = with_contact(personas, ended_factory)
    with at(window_open_day(p)):
        services.send_due_links()
    assert Invitation.objects.filter(participation=p).exists()
    participant_services.consent_withdraw(actor=personas.officer_a, participation=p)
    assert not ContactChannel.objects.filter(participation=p).exists()
    assert not Invitation.objects.filter(participation=p).exists()
    assert AuditEvent.objects.filter(
        object_type="followup.contactchannel", action=Action.DELETE,
        details__why="consent_withdrawn",
    ).exists()



def test_contact_erased_when_marked_as_felregistrering(personas, ended_factory):
    """Felregistrering (participants) erases the contact channel through the erasure hook the
    follow-up app fills at start-up."""
    p = with_contact(personas, ended_factory)
    participant_services.participation_mark_error(
        actor=personas.officer_a, participation=p, reason="Fel person registrerad"
    )
    assert not ContactChannel.objects.filter(participation=p).exists()
    assert AuditEvent.objects.filter(
        object_type="followup.contactchannel", action=Action.DELETE, details__why="error",
    ).exists()

def test_contact_erased_after_the_last_follow_up(personas, ended_factory):
    p = with_contact(personas, ended_factory, days_ago=60)
    for occasion in ("followup_3m", "followup_6m"):
        services.follow_up_close(actor=personas.officer_a, participation=p, occasion=occasion,
                                 reason="ej_nadd", date=timezone.localdate())
    assert ContactChannel.objects.filter(participation=p).exists()
    services.follow_up_close(actor=personas.officer_a, participation=p, occasion="followup_12m",
                             reason="avliden", date=timezone.localdate())
    assert not ContactChannel.objects.filter(participation=p).exists()
    # and the sweep of send_followups erases contacts whose last window has closed
    q = with_contact(personas, ended_factory, days_ago=60)
    with at(timezone.localdate() + dt.timedelta(days=500)):
        result = services.send_due_links()
    assert result.erased == 1 and not ContactChannel.objects.filter(participation=q).exists()


# --- sending -------------------------------------------------------------------------------


def test_links_go_out_when_the_window_opens_once_and_one_reminder(personas, ended_factory,
                                                                  settings):
    settings.STEGVIS_FOLLOWUP_REMINDER_DAYS = 5
    p = with_contact(personas, ended_factory)
    opens = window_open_day(p)
    with at(opens - dt.timedelta(days=1)):
        assert services.send_due_links().sent == 0
    assert mail.outbox == []
    with at(opens):
        call_command("send_followups")
        call_command("send_followups")  # idempotent
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL] and "Hur går det för dig" in message.subject
    token = token_from_last_mail()
    assert len(token) >= 43  # 256 bits, URL-safe base64
    stored = InvitationToken.objects.get()
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(InvitationToken.objects.values()), default=str)
    # nothing identifying: no insats, no förbund, no personnummer
    assert p.intervention.name not in message.body and personas.a.name not in message.body
    assert not re.search(r"\d{6}-?\d{4}", message.body)
    with at(opens + dt.timedelta(days=4)):
        assert services.send_due_links().reminded == 0
    with at(opens + dt.timedelta(days=5)):
        assert services.send_due_links().reminded == 1
        assert services.send_due_links().reminded == 0
    assert len(mail.outbox) == 2 and mail.outbox[1].subject.startswith("Påminnelse")
    first, reminder = token, token_from_last_mail()
    assert first != reminder
    invitation = Invitation.objects.get()
    assert invitation.sent_at and invitation.reminded_at
    events = AuditEvent.objects.filter(object_type="followup.invitation", action=Action.EXPORT)
    assert [e.details["reminder"] for e in events.order_by("pk")] == [False, True]


def test_no_link_for_answered_or_closed_follow_ups(personas, ended_factory):
    p = with_contact(personas, ended_factory)
    services.follow_up_close(actor=personas.officer_a, participation=p, occasion="followup_3m",
                             reason="ej_nadd", date=timezone.localdate())
    with at(window_open_day(p)):
        assert services.send_due_links().sent == 0
    assert mail.outbox == []


def test_sms_through_the_file_sender(personas, ended_factory, settings, tmp_path):
    settings.STEGVIS_SMS_BACKEND = "stegvis.followup.sms.FileSmsSender"
    settings.STEGVIS_SMS_FILE_DIR = str(tmp_path)
    p = ended_factory(60)
    services.contact_record(actor=personas.officer_a, participation=p, email="",
                            mobile="0701234567", agreed=True)
    with at(window_open_day(p)):
        assert services.send_due_links().sent == 1
    [written] = list(tmp_path.iterdir())
    sms = json.loads(written.read_text())
    assert sms["to"] == "+46701234567" and "/svar/" in sms["text"]
    assert Invitation.objects.get().channel == "sms" and mail.outbox == []


def test_without_sms_sender_a_mobile_only_contact_is_not_marked_sent(personas, ended_factory):
    p = ended_factory(60)
    services.contact_record(actor=personas.officer_a, participation=p, email="",
                            mobile="0701234567", agreed=True)
    with at(window_open_day(p)):
        result = services.send_due_links()
    assert result.sent == 0 and result.no_channel == 1
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()


def test_letter_with_link_and_qr_code(personas, ended_factory, client_for):
    p = ended_factory(80)  # window open today
    client = client_for(personas.officer_a)
    response = client.post(reverse("followup:letter", args=[p.pk, "followup_3m"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    invitation = Invitation.objects.get(participation=p)
    assert invitation.channel == "letter" and invitation.sent_at is not None
    assert InvitationToken.objects.filter(invitation=invitation).count() == 1
    assert AuditEvent.objects.filter(object_type="followup.invitation",
                                     action=Action.EXPORT).exists()
    early = ended_factory(20)  # window not open: refused with a message, no letter
    refused = client.post(reverse("followup:letter", args=[early.pk, "followup_3m"]))
    assert refused.status_code == 302
    assert not Invitation.objects.filter(participation=early).exists()


# --- answering -----------------------------------------------------------------------------


def _sent(personas, ended_factory):
    p = with_contact(personas, ended_factory)
    opens = window_open_day(p)
    with at(opens):
        services.send_due_links()
    return p, opens, token_from_last_mail()


def test_answering_creates_a_self_reported_measurement(personas, ended_factory, client):
    p, opens, token = _sent(personas, ended_factory)
    url = reverse("followup:answer", args=[token])
    with at(opens + dt.timedelta(days=1)):
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "Hur går det för dig?" in html
        assert p.intervention.name not in html and personas.a.name not in html
        assert "Jag vill inte svara" in html
        assert Invitation.objects.get().opened_at is not None
        done = client.post(url, answers())
        assert done.status_code == 302 and done["Location"] == reverse("followup:thanks")
        again = client.post(url, answers(rating_work="2"))  # a second submit
        assert again.status_code == 302 and again["Location"] == reverse("followup:thanks")
        assert client.get(url).status_code == 404  # used
    m = Measurement.objects.get(participation=p, occasion="followup_3m")
    assert m.source == MeasurementSource.SELF_REPORTED and m.rating_work == 7
    assert m.rating_health is None and m.rating_future == 8 and m.created_by is None
    assert [(a.activity.key, a.extent_pct) for a in m.activities.all()] == [
        ("arbete_osubventionerat", 75)]
    assert [c.key for c in m.income_sources.all()] == ["lon_eget_foretag"]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="participants.measurement",
                                   object_id=str(m.pk))
    assert event.actor_username == "självrapportering"
    assert event.details["source"] == "self_reported"
    assert Invitation.objects.get().answered_at is not None


def test_self_reported_source_is_shown_to_the_coach(personas, ended_factory, client, client_for):
    p, opens, token = _sent(personas, ended_factory)
    with at(opens):
        client.post(reverse("followup:answer", args=[token]), answers())
    coach = client_for(personas.officer_a)
    detail = coach.get(reverse("participants:detail", args=[p.pk])).content.decode()
    assert "Uppföljning 3 månader (självrapporterad)" in detail
    overview = coach.get(reverse("followup:overview", args=[p.pk])).content.decode()
    assert "Gjord (självrapporterad)" in overview and "Besvarad" in overview


def test_questionnaire_errors_are_plain_and_keep_the_answers(personas, ended_factory, client):
    _p, opens, token = _sent(personas, ended_factory)
    url = reverse("followup:answer", args=[token])
    with at(opens):
        bad = client.post(url, answers(activity="", income_sources=[], rating_work="7"))
    html = bad.content.decode()
    assert bad.status_code == 400
    assert "Välj det som stämmer bäst." in html and "Kryssa i minst ett alternativ." in html
    assert re.search(r'<option value="7" selected>', html)
    assert not Measurement.objects.filter(occasion="followup_3m").exists()
    with at(opens):  # the link still works after an error
        assert client.post(url, answers()).status_code == 302


def test_declining_closes_the_follow_up_as_declined(personas, ended_factory, client,
                                                    client_for):
    p, opens, token = _sent(personas, ended_factory)
    url = reverse("followup:answer", args=[token])
    with at(opens):
        response = client.post(url, {"decline": "1"})
        assert response.status_code == 302 and response["Location"] == reverse(
            "followup:declined")
        assert client.post(url, {"decline": "1"})["Location"] == reverse("followup:declined")
    closure = Closure.objects.get(participation=p, occasion="followup_3m")
    assert closure.reason.key == "avbojt" and closure.created_by is None
    assert Closure.objects.count() == 1
    assert not Measurement.objects.filter(participation=p, occasion="followup_3m").exists()
    with at(opens):
        coach = client_for(personas.officer_a)
        worklist = coach.get(reverse("followup:worklist")).content.decode()
    assert "Avböjd" in worklist  # in the list of recent link outcomes


FORGED = "A" * 43


def test_forged_expired_and_used_links_get_the_same_kind_page(personas, ended_factory, client):
    p, opens, token = _sent(personas, ended_factory)
    last_day = Invitation.objects.get().valid_until
    pages = []
    with at(opens):
        pages.append(client.get(reverse("followup:answer", args=[FORGED])))
        pages.append(client.get(reverse("followup:answer", args=["kort"])))
        pages.append(client.post(reverse("followup:answer", args=[FORGED]), answers()))
    with at(last_day + dt.timedelta(days=1)):
        pages.append(client.get(reverse("followup:answer", args=[token])))
        pages.append(client.post(reverse("followup:answer", args=[token]), answers()))
    assert not Measurement.objects.filter(participation=p, occasion="followup_3m").exists()
    with at(opens):
        client.post(reverse("followup:answer", args=[token]), answers())
        pages.append(client.get(reverse("followup:answer", args=[token])))
    bodies = {r.content.decode() for r in pages}
    assert [r.status_code for r in pages] == [404] * 6 and len(bodies) == 1
    body = bodies.pop()
    assert "Länken kan inte användas" in body
    assert p.intervention.name not in body and "Hur mycket" not in body


def test_withdrawn_consent_makes_the_link_useless(personas, ended_factory, client):
    p, opens, token = _sent(personas, ended_factory)
    participant_services.consent_withdraw(actor=personas.officer_a, participation=p)
    with at(opens):
        assert client.get(reverse("followup:answer", args=[token])).status_code == 404


def test_rate_limited_per_token_and_per_address(personas, ended_factory, client):
    from stegvis.followup import ratelimit

    _p, opens, token = _sent(personas, ended_factory)
    url = reverse("followup:answer", args=[token])
    with at(opens):
        statuses = [client.get(url).status_code for _ in range(ratelimit.PER_TOKEN + 1)]
        assert statuses[:-1] == [200] * ratelimit.PER_TOKEN and statuses[-1] == 429
        assert "Länken kan inte användas" in client.get(url).content.decode()
        # another address guessing tokens is stopped too, with any token
        other = [
            client.get(reverse("followup:answer", args=[f"{n:043d}"]),
                       REMOTE_ADDR="10.0.0.9").status_code
            for n in range(ratelimit.PER_ADDRESS + 1)
        ]
    assert other[-1] == 429 and set(other[:-1]) == {404}
