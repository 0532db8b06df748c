"""Browser tests: Playwright (Python) driving Debian's chromium, with axe-core.

They never download a browser. If chromium is missing they fail with a message saying how to
install it; leave them out on purpose with ``-m "not system"``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.plugin import blocking_manager_key

from stegvis.reference.loading import reload_reference_data

# Playwright's sync API runs an event loop in this thread; Django's ORM is used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def chromium_path() -> str | None:
    return os.environ.get("STEGVIS_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/system/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    if path is None:
        pytest.fail(
            "Browser tests need Debian's chromium: apt-get install chromium "
            "(or set STEGVIS_CHROMIUM). Leave them out on purpose with -m 'not system'.",
            pytrace=False,
        )
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    p = context.new_page()
    p.set_default_timeout(15_000)
    cache.clear()  # allauth refuses a TOTP code used within its period
    yield p
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Transactional tests flush every table at teardown: put the migrations' reference data back.

    This runs after every fixture's teardown (so after the flush). After the last test the test
    database is gone, so nothing is loaded then.
    """
    result = yield
    if nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            reload_reference_data()
    return result


def assert_accessible(page: Page) -> None:
    """Run axe-core (WCAG 2.1 A/AA) on the current page and fail on any violation."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert violations == [], f"{page.url}: " + results.generate_report()


def sign_in(page: Page, username: str, password: str, totp_secret: str | None = None) -> None:
    page.goto("/konto/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    if totp_secret:
        from stegvis.access.totp import current_code

        page.get_by_label("Kod").fill(current_code(totp_secret))
        page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()
