"""The demo: realistic förbund through the services, printed sign-ins, safe to run twice."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stegvis.access.totp import current_code
from stegvis.associations.models import Association, Membership
from stegvis.demo import generator

pytestmark = pytest.mark.django_db


def test_demo_is_lawful_and_idempotent():
    first = generator.build_demo()
    assert len(first.created_associations) == 3
    counts = (Association.objects.count(), Membership.objects.count(),
              get_user_model().objects.count())
    second = generator.build_demo()
    assert second.created_associations == []
    assert (Association.objects.count(), Membership.objects.count(),
            get_user_model().objects.count()) == counts
    assert all(a.is_demo for a in Association.objects.all())
    gotland = Association.objects.get(name="Samordningsförbundet Gotland")
    kinds = sorted(gotland.memberships.values_list("organisation__kind", flat=True))
    assert kinds == ["AF", "FK", "KOMMUN"]  # Gotland needs no region


def test_demo_command_prints_every_sign_in(client):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for username in ["sysadmin", "nationell.analytiker", "sodertorn.forbundsadmin",
                     "nordost.granskare", "sodertorn.deltagaransvarig"]:
        assert username in text
    assert generator.DEMO_PASSWORD in text
    assert "otpauth://totp/sodertorn.deltagaransvarig?secret=" in text
    # The printed sign-in works.
    response = client.post("/konto/login/", {"login": "sodertorn.forbundsadmin",
                                             "password": generator.DEMO_PASSWORD})
    assert response.status_code == 302
    assert "Samordningsförbundet Östra Södertörn" in client.get("/").content.decode()


def test_demo_totp_secret_is_stable_and_valid():
    secret = generator.demo_totp_secret("sodertorn.deltagaransvarig")
    assert secret == generator.demo_totp_secret("sodertorn.deltagaransvarig")
    assert len(current_code(secret)) == 6
