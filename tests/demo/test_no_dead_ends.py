"""No dead ends: every link on every demo role's start page opens (no 403, 404 or 500)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from stegvis.demo import generator

pytestmark = pytest.mark.django_db

SMALL = generator.Scale(participants_per_intervention=3)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def internal_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return sorted(
        {h.split("#")[0] for h in parser.hrefs if h.startswith("/") and h.split("#")[0]}
    )


# Links that leave the session or download a file are followed too, except signing out.
SKIP = re.compile(r"^/konto/logout/")


@pytest.fixture
def demo():
    return generator.build_demo(SMALL)


def test_every_start_page_link_of_every_demo_role_opens(demo):
    users = [login.username for login in demo.logins]
    assert len(users) >= 7
    failures: list[str] = []
    for username in users:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        start = client.get("/")
        assert start.status_code == 200, username
        links = internal_links(start.content.decode())
        assert links, username
        for link in links:
            if SKIP.match(link):
                continue
            response = client.get(link)
            status = response.status_code
            if status in (403, 404) or status >= 500:
                failures.append(f"{username}: {link} → {status}")
            elif link == "/forbund/" and "Samordningsförbundet" not in response.content.decode():
                failures.append(f"{username}: {link} lists no förbund")
    assert failures == []


def test_report_reader_is_not_offered_the_forbund_page(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username="nationell.analytiker"))
    html = client.get("/").content.decode()
    assert "Alla samordningsförbund" not in html


def test_refused_forbund_admin_is_not_told_to_ask_themself(personas, client_for):
    refused = client_for(personas.admin_a).get(reverse("finance:national"))
    html = refused.content.decode()
    assert refused.status_code == 403
    assert "kontakta Stegvis systemadministratör" in html
    assert "kontakta förbundets administratör" not in html
    other = client_for(personas.reader_a).get(reverse("finance:national"))
    assert other.status_code == 403
    assert "kontakta förbundets administratör" in other.content.decode()
