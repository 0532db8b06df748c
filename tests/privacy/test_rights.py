"""Data-subject rights: the register extract (PDF), corrections with history, legal holds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from stegvis.audit.models import Action, AuditEvent
from stegvis.participants import selectors as participant_selectors
from stegvis.participants import services as participant_services
from stegvis.participants.models import Measurement
from stegvis.privacy.models import LegalHold
from tests.participants.conftest import start_measurement
from tests.privacy.conftest import register

pytestmark = pytest.mark.django_db

EXTRACT = "/integritet/registerutdrag/"


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # Table cells wrap at varying places: compare with every run of whitespace as one space.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def participant(personas, insats, people):
    p = register(personas.officer_a, insats, people["old"], dt.date(2024, 2, 5))
    # Someone reads the participant: it must show in the extract.
    participant_selectors.participation_get(user=personas.officer_a, pk=p.pk)
    participant_services.person_reveal(
        actor=personas.officer_a, participation=p, reason="Kontakt med handläggare"
    )
    return p


def test_officer_gets_a_pdf_of_everything_held_and_who_read_it(
    client_for, personas, participant, people
):
    client = client_for(personas.officer_a)
    response = client.post(EXTRACT, {"personnummer": people["old"]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "registerutdrag.pdf" in response["Content-Disposition"]
    assert people["old"][2:] not in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Registerutdrag från Stegvis" in text
    assert "19800517" in text  # the person's own number, for them
    assert "Steg till arbete" in text and "2024-02-05" in text
    assert "Sjukpenning" in text  # the start measurement
    assert "blankett 2024:1" in text  # the consent
    assert "Vem har läst eller ändrat uppgifterna" in text
    assert "officer_a" in text and "Kontakt med handläggare" in text  # the reveal, with reason
    event = AuditEvent.objects.filter(action=Action.EXPORT, actor=personas.officer_a).get()
    assert event.details["register_extract"] is True
    assert event.details["participations"] == [participant.pk]
    assert "19800517" not in str(event.details) and "19800517" not in event.reason


def test_outsider_coach_gets_nothing_about_the_person(client_for, personas, participant, people):
    client = client_for(personas.officer_b)  # deltagaransvarig in another förbund
    response = client.post(EXTRACT, {"personnummer": people["old"]})
    assert response.status_code == 200
    text = pdf_text(response)
    assert "inga uppgifter om personen" in text
    assert "Steg till arbete" not in text and "Sjukpenning" not in text
    assert "officer_a" not in text
    event = AuditEvent.objects.filter(action=Action.EXPORT, actor=personas.officer_b).get()
    assert event.details["participations"] == []


def test_extract_is_for_officers_only_and_bad_numbers_are_explained(
    client_for, personas, participant
):
    assert client_for(personas.reader_a).get(EXTRACT).status_code == 403
    assert client_for(personas.admin_a).post(
        EXTRACT, {"personnummer": "19800517-1234"}).status_code == 403
    client = client_for(personas.officer_a)
    page = client.get(EXTRACT)
    assert page.status_code == 200 and "Registerutdrag" in page.content.decode()
    bad = client.post(EXTRACT, {"personnummer": "19800517-0000"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Personnummer:" in body and "19800517-0000" not in body  # never echoed back
    refused = AuditEvent.objects.get(action=Action.EXPORT, actor=personas.officer_a)
    assert refused.details == {"register_extract": True, "valid": False, "participations": []}
    empty = client.post(EXTRACT, {"personnummer": ""})
    assert "ange personens personnummer" in empty.content.decode()


def test_correction_history_is_shown_on_the_participant_page(client_for, personas, participant):
    start = Measurement.objects.get(participation=participant, occasion="start")
    participant_services.measurement_correct(
        actor=personas.officer_a, measurement=start,
        values=start_measurement(step="steg_2", rating_work=6),
    )
    page = client_for(personas.officer_a).get(
        reverse("participants:detail", args=[participant.pk])
    ).content.decode()
    history = page[page.index('id="corrections-title"'):]
    assert "Rättelser" in history
    assert "Steg" in history and "Steg 1" in history and "Steg 2" in history
    assert "Hur nära arbete eller studier" in history and ">4<" in history and ">6<" in history
    assert "officer_a" in history


def test_page_without_corrections_says_so(client_for, personas, participant):
    page = client_for(personas.officer_a).get(
        reverse("participants:detail", args=[participant.pk])
    ).content.decode()
    assert "Inga rättelser." in page


def test_officer_places_and_releases_a_hold_in_the_ui(client_for, personas, participant):
    client = client_for(personas.officer_a)
    url = reverse("privacy:hold", args=[participant.pk])
    detail = client.get(reverse("participants:detail", args=[participant.pk])).content.decode()
    assert url in detail
    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 400 and "Anledning:" in missing.content.decode()
    assert client.post(url, {"reason": "Pågående överklagande"}).status_code == 302
    hold = LegalHold.objects.get(participation=participant, released_at__isnull=True)
    assert "Pågående överklagande" in client.get(url).content.decode()
    release = client.post(reverse("privacy:release", args=[hold.pk]))
    assert release.status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == personas.officer_a
    actions = list(AuditEvent.objects.filter(object_type="privacy.legalhold")
                   .order_by("id").values_list("action", flat=True))
    assert actions == [Action.CREATE, Action.UPDATE]


def test_forbund_administrator_lists_and_places_holds_by_participation_id(
    client_for, personas, participant, insats_b, people
):
    other = register(personas.officer_b, insats_b, people["recent"], dt.date(2024, 3, 4))
    url = reverse("privacy:association_holds", args=[personas.a.pk])
    client = client_for(personas.admin_a)
    placed = client.post(url, {"participation": participant.pk, "reason": "Begäran från JO"})
    assert placed.status_code == 302
    page = client.get(url).content.decode()
    assert "Begäran från JO" in page and f">{participant.pk}<" in page
    assert people["old"][2:] not in page
    # A participation of another förbund cannot be held from here, nor is its existence shown.
    refused = client.post(url, {"participation": other.pk, "reason": "Fel förbund"})
    assert refused.status_code == 400
    assert "inget sådant deltagande" in refused.content.decode()
    assert not LegalHold.objects.filter(participation=other).exists()
    # The other förbund's administrator does not see A's holds; its officer cannot hold A's.
    assert client_for(personas.admin_b).get(url).status_code == 404
    assert client_for(personas.officer_b).get(
        reverse("privacy:hold", args=[participant.pk])).status_code == 404
