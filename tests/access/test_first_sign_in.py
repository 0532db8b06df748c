"""Issue 11: nobody keeps a password someone else knows.

Accounts made on the pages get no password at all (activation code, ADR 0004). The one path
left, ``user_create(password=...)``, marks the password temporary: at the first sign-in the
user must choose their own before anything else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from stegvis.access import services
from stegvis.access.models import PasswordChangeRequired
from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent

pytestmark = pytest.mark.django_db

TEMPORARY = "Tillfalligt-losen-2026"
OWN = "mitt-eget-hemliga-losen-77"


def test_account_made_on_the_page_has_no_password_anyone_knows(personas, client_for):
    c = client_for(personas.admin_a)
    response = c.post(f"/konto/forbund/{personas.a.pk}/anvandare/ny/",
                      {"username": "ny.rapportlasare", "role": Role.REPORT_READER.value})
    assert response.status_code == 200 and "aktiveringskoden" in response.content.decode()
    user = get_user_model().objects.get(username="ny.rapportlasare")
    assert not user.has_usable_password()


@pytest.fixture
def temporary(personas):
    return services.user_create(actor=personas.sysadmin, username="tillfallig",
                                password=TEMPORARY, association=personas.a,
                                role=Role.REPORT_READER)


def test_temporary_password_must_be_changed_before_anything_else(personas, temporary, client):
    assert PasswordChangeRequired.objects.get(user=temporary).set_by == personas.sysadmin
    signed_in = client.post("/konto/login/", {"login": "tillfallig", "password": TEMPORARY})
    assert signed_in.status_code == 302
    for path in ("/", f"/rapporter/forbund/{personas.a.pk}/", "/konto/"):
        response = client.get(path)
        assert response.status_code == 302 and response.url == "/konto/nytt-losenord/", path
    api = client.get("/api/v1/associations/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    page = client.get("/konto/nytt-losenord/")
    assert page.status_code == 200 and "Välj ett eget lösenord" in page.content.decode()
    # Wrong current password, or keeping the temporary one, is refused.
    wrong = client.post("/konto/nytt-losenord/",
                        {"current": "fel", "password1": OWN, "password2": OWN})
    assert "Nuvarande lösenord: stämmer inte." in wrong.content.decode()
    same = client.post("/konto/nytt-losenord/",
                       {"current": TEMPORARY, "password1": TEMPORARY, "password2": TEMPORARY})
    assert "får inte vara det tillfälliga lösenordet" in same.content.decode()
    assert PasswordChangeRequired.objects.filter(user=temporary).exists()
    done = client.post("/konto/nytt-losenord/",
                       {"current": TEMPORARY, "password1": OWN, "password2": OWN})
    assert done.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user=temporary).exists()
    assert client.get("/").status_code == 200  # still signed in, free to go on
    temporary.refresh_from_db()
    assert temporary.check_password(OWN)
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="auth.user", object_id=str(temporary.pk),
        actor=temporary, association=personas.a,
    ).exists()


def test_activation_code_also_ends_the_temporary_password(personas, temporary):
    code, _expires = services.user_access_reset(actor=personas.admin_a, user=temporary)
    services.account_activate(username="tillfallig", code=code, password=OWN)
    assert not PasswordChangeRequired.objects.filter(user=temporary).exists()


def test_user_without_the_mark_is_not_stopped(personas, client_for):
    assert client_for(personas.reader_a).get("/").status_code == 200
    assert client_for(personas.reader_a).get("/konto/nytt-losenord/").status_code == 302
