"""Kompletterande frågor: defined by the förbund's administrator, answered at registration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stegvis.participants.models import SupplementaryAnswer, SupplementaryQuestion
from tests.participants.test_views import form_data

pytestmark = pytest.mark.django_db


def test_admin_defines_question_and_officer_answers_it(personas, insats, client_for):
    url = reverse("participants:questions", args=[personas.a.pk])
    admin = client_for(personas.admin_a)
    bad = admin.post(url, {"text": "", "answer_type": "yes_no", "occasion": "start"})
    assert bad.status_code == 400 and "Fråga: skriv frågan." in bad.content.decode()
    ok = admin.post(url, {"text": "Har personen körkort?", "answer_type": "yes_no",
                          "occasion": "start", "valid_from": "2020-01-01"})
    assert ok.status_code == 302
    q = SupplementaryQuestion.objects.get()
    officer = client_for(personas.officer_a)
    register = reverse("participants:register", args=[insats.pk])
    assert "Har personen körkort?" in officer.get(register).content.decode()
    done = officer.post(register, form_data(**{f"answer_{q.pk}": "ja"}))
    assert done.status_code == 302
    assert SupplementaryAnswer.objects.get().value == "ja"


@pytest.mark.parametrize("who", ["officer_a", "manager_a", "reader_a", "admin_b"])
def test_others_cannot_define_questions(personas, client_for, who):
    url = reverse("participants:questions", args=[personas.a.pk])
    response = client_for(getattr(personas, who)).post(
        url, {"text": "Fråga", "answer_type": "text", "occasion": "start",
              "valid_from": dt.date(2024, 1, 1).isoformat()}
    )
    assert response.status_code in (403, 404)
    assert not SupplementaryQuestion.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "1800-01-01"},
         "Giltig från: datumet kan inte vara före 2004-01-01, då Finsam började."),
        ({"valid_from": "2024-01-01", "valid_to": "2999-01-01"},
         "Giltig till: datumet kan inte ligga mer än ett år fram i tiden"),
        ({"text": "Gäller 19730610-7405?"},
         "Fråga: texten ser ut att innehålla ett personnummer."),
    ],
)
def test_question_refuses_implausible_dates_and_personnummer(personas, client_for, data,
                                                             message):
    url = reverse("participants:questions", args=[personas.a.pk])
    posted = {"text": "Har personen körkort?", "answer_type": "yes_no", "occasion": "start",
              "valid_from": "2020-01-01", **data}
    response = client_for(personas.admin_a).post(url, posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SupplementaryQuestion.objects.exists()


def test_answer_with_a_phone_number_is_kept_one_with_a_personnummer_refused(
    personas, insats, client_for
):
    q = SupplementaryQuestion.objects.create(
        association=personas.a, text="Telefon till handläggare?", answer_type="text",
        occasion="start", valid_from=dt.date(2020, 1, 1),
    )
    officer = client_for(personas.officer_a)
    register = reverse("participants:register", args=[insats.pk])
    refused = officer.post(register, form_data(**{f"answer_{q.pk}": "19730610-7405"}))
    assert "svaret får inte innehålla personnummer" in refused.content.decode()
    done = officer.post(register, form_data(**{f"answer_{q.pk}": "0701234567"}))
    assert done.status_code == 302
    assert SupplementaryAnswer.objects.get().value == "0701234567"
