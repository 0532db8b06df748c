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
