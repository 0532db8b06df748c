"""Session expiry after inactivity, security headers, CSRF refusal, Swedish error pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from stegvis.access.models import ApiToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(username: str) -> Client:
    c = Client()
    assert c.post("/konto/login/", {"login": username, "password": PASSWORD}).status_code == 302
    return c


def test_session_expires_after_idle_limit(personas):
    idle = settings.SESSION_COOKIE_AGE
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        c = signed_in("manager_a")
        assert c.get("/").status_code == 200
        traveller.shift(dt.timedelta(seconds=idle + 5))
        response = c.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/login/")


def test_activity_keeps_the_session_alive(personas):
    idle = settings.SESSION_COOKIE_AGE
    start = dt.datetime.now(tz=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        c = signed_in("manager_a")
        for _ in range(3):
            traveller.shift(dt.timedelta(seconds=idle * 0.8))
            assert c.get("/").status_code == 200


def test_page_carries_security_headers(personas, client_for):
    response = client_for(personas.admin_a).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_login_page_carries_security_headers(client, db):
    response = client.get("/konto/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly(personas):
    c = Client()
    response = c.post("/konto/login/", {"login": "admin_a", "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("token", [None, "forfalskad-token-1234567890123456789012345678901234"])
def test_post_without_valid_csrf_token_is_refused_and_changes_nothing(personas, token):
    c = Client(enforce_csrf_checks=True)
    c.force_login(personas.admin_a)
    data = {"name": "smygnyckel"}
    if token:
        data["csrfmiddlewaretoken"] = token
    response = c.post("/konto/api-nycklar/", data)
    body = response.content.decode()
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in body
    assert '<html lang="sv">' in body
    assert not ApiToken.objects.exists()


def test_login_post_without_csrf_is_refused(personas):
    c = Client(enforce_csrf_checks=True)
    response = c.post("/konto/login/", {"login": "admin_a", "password": PASSWORD})
    assert response.status_code == 403
    assert c.get("/").status_code == 302


def test_post_with_valid_csrf_token_works(personas):
    c = Client(enforce_csrf_checks=True)
    c.force_login(personas.admin_a)
    c.get("/konto/api-nycklar/")
    token = c.cookies[settings.CSRF_COOKIE_NAME].value
    response = c.post("/konto/api-nycklar/", {"name": "riktig", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert ApiToken.objects.filter(name="riktig").exists()


def test_404_page_is_swedish(personas, client_for):
    response = client_for(personas.admin_a).get("/finns-inte/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Sidan finns inte" in body
    assert '<html lang="sv">' in body


def test_403_page_is_swedish(personas, client_for):
    response = client_for(personas.reader_a).get(f"/forbund/{personas.a.pk}/")
    assert response.status_code == 403
    assert "Åtkomst nekad" in response.content.decode()


def test_500_page_renders_without_context():
    from django.template.loader import get_template

    html = get_template("500.html").render()
    assert "Ett fel har uppstått" in html
    assert '<html lang="sv">' in html
