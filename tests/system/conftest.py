"""Browser tests: Playwright (Python) driving Debian's chromium, with axe-core.

They never download a browser. If chromium is missing they fail with a message saying how to
install it; leave them out on purpose with ``-m "not system"``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import Browser, Page, sync_playwright

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
    context = browser.new_context(base_url=live_server.url, locale="sv-SE", viewport=WIDE)
    p = context.new_page()
    p.set_default_timeout(15_000)
    cache.clear()  # allauth refuses a TOTP code used within its period
    yield p
    context.close()


# axe "best practice" rules held to as well: landmarks, headings, skip link, empty headings.
BEST_PRACTICE_RULES = {
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "heading-order",
    "page-has-heading-one",
    "empty-heading",
    "empty-table-header",
    "skip-link",
}


def _report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"\n[{v['id']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:8]:
            lines.append(f"  {node['target']}: {node['html'][:200]}")
            lines.append("    " + node.get("failureSummary", "").replace("\n", "\n    "))
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page: no WCAG 2.1 A/AA violation, nor of BEST_PRACTICE_RULES."""
    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]}}
    )
    violations = [
        v
        for v in results.response["violations"]
        if set(v["tags"]) & set(WCAG_TAGS) or v["id"] in BEST_PRACTICE_RULES
    ]
    assert violations == [], f"{page.url}: {len(violations)} axe violation(s)" + _report(violations)


def assert_page_structure(page: Page) -> None:
    """Swedish, exactly one h1, a main landmark the skip link points at."""
    assert page.locator("html").get_attribute("lang") == "sv", page.url
    assert page.locator("h1").count() == 1, f"{page.url}: expected exactly one h1"
    assert page.locator("main#main").count() == 1, page.url
    assert page.locator("a.skip-link[href='#main']").count() == 1, page.url
    # every hint and error message of a form field is tied to its field (aria-describedby)
    unreferenced = page.evaluate(
        """() => {
            const described = new Set();
            document.querySelectorAll('[aria-describedby]').forEach(
                el => el.getAttribute('aria-describedby').split(/\\s+/).forEach(
                    id => described.add(id)));
            return Array.from(document.querySelectorAll(
                'main form .hint[id], main form .field-error[id]'))
                .filter(el => !described.has(el.id)).map(el => el.id);
        }"""
    )
    assert unreferenced == [], f"{page.url}: hints/errors no field refers to: {unreferenced}"


NARROW = {"width": 320, "height": 720}  # WCAG 2.1 1.4.10: 1280 px zoomed to 400 %
WIDE = {"width": 1280, "height": 720}


def assert_reflows(page: Page) -> None:
    """At 320 CSS px the page does not scroll sideways (wide tables scroll in their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > NARROW["width"]:
        offenders = page.evaluate(
            """(limit) => {
                const wide = Array.from(document.querySelectorAll('body *'))
                    .filter(el => el.getBoundingClientRect().right > limit + 0.5)
                    .filter(el => !Array.from(el.children).some(
                        c => c.getBoundingClientRect().right > limit + 0.5))
                    .map(el => el.outerHTML.slice(0, 140));
                const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    const range = document.createRange();
                    range.selectNodeContents(n);
                    if (range.getBoundingClientRect().right > limit + 0.5) {
                        wide.push('text: ' + n.textContent.trim().slice(0, 80));
                    }
                }
                return wide.slice(0, 8);
            }""",
            NARROW["width"],
        )
        raise AssertionError(f"{page.url}: {width} px wide at 320 px: {offenders}")


def check_page(page: Page, url: str | None = None, *, status: int = 200) -> None:
    """Open ``url`` (or take the current page), check its status, structure and axe result at
    1 280 px, then its reflow and axe result at 320 px."""
    if url is not None:
        response = page.goto(url)
        assert response is not None and response.status == status, (
            f"{url}: HTTP {response.status if response else None}, expected {status}"
        )
    assert_page_structure(page)
    size = page.viewport_size  # put back afterwards: a test may be working at 320 px
    page.set_viewport_size(WIDE)
    try:
        assert_accessible(page)
        page.set_viewport_size(NARROW)
        assert_reflows(page)
        assert_accessible(page)
    finally:
        page.set_viewport_size(size or WIDE)


_DATE_ORDERS = ("%Y%m%d", "%m%d%Y", "%d%m%Y")


def type_date(page: Page, day: dt.date) -> None:
    """Type ``day`` into the focused date field, digits only, as a user would.

    The order of the field's parts (year/month/day) follows the browser's own locale, which
    headless chromium does not take from the page: it is found once by typing into a probe.
    """
    order = getattr(type_date, "order", None)
    if order is None:
        probe = page.context.new_page()
        for candidate in _DATE_ORDERS:
            probe.set_content('<label for="d">d</label><input type="date" id="d">')
            probe.focus("#d")
            probe.keyboard.type(dt.date(2024, 1, 25).strftime(candidate))
            if probe.evaluate("document.getElementById('d').value") == "2024-01-25":
                order = candidate
                break
        probe.close()
        assert order is not None, "could not find the date field's order of parts"
        type_date.order = order  # type: ignore[attr-defined]
    page.keyboard.type(day.strftime(order))


def submit_login(page: Page, username: str, password: str) -> None:
    page.goto("/konto/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def sign_in(page: Page, username: str, password: str, totp_secret: str | None = None) -> None:
    """Sign in through the real login form, and the two-factor step when asked (with the
    personas' secret unless another is given)."""
    submit_login(page, username, password)
    if totp_secret or page.url.endswith("/konto/2fa/authenticate/"):
        from tests.factories import TOTP_SECRET
        from tests.support.totp import lasting_code

        page.get_by_label("Kod").fill(lasting_code(totp_secret or TOTP_SECRET))
        page.get_by_role("button", name="Logga in").click()
        page.wait_for_load_state()
    assert page.get_by_role("button", name="Logga ut").count() == 1, f"not signed in: {page.url}"


# --- data shared by the page tests (written through the services, as the application does) ---


def _insats(personas: Any, *, name: str, follow_up_method: str, orientation: str) -> Any:
    from stegvis.associations.models import Organisation, PartyKind
    from stegvis.interventions import services
    from stegvis.reference.models import Code, CodeList

    orgs = {o.kind: o for o in Organisation.objects.filter(memberships__association=personas.a)}
    prefix = "individ_" if orientation == "individual" else "struktur_"
    return services.intervention_create(
        actor=personas.manager_a,
        association=personas.a,
        name=name,
        description="Arbetsträning med stöd.",
        orientation=orientation,
        follow_up_method=follow_up_method,
        organiser=orgs[PartyKind.KOMMUN],
        parties=[orgs[PartyKind.FK], orgs[PartyKind.KOMMUN]],
        controller=orgs[PartyKind.KOMMUN],
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date.today() + dt.timedelta(days=300),  # dates at most a year ahead
        target_groups=[Code.objects.filter(list=CodeList.TARGET_GROUP).first()],
        precise_orientation=Code.objects.filter(
            list=CodeList.PRECISE_ORIENTATION, key__startswith=prefix
        ).first(),
    )


@pytest.fixture
def insats(personas: Any) -> Any:
    """An identified, individual insats in förbund A with officer_a assigned."""
    from stegvis.interventions import services

    intervention = _insats(
        personas, name="Steg till arbete", follow_up_method="identified", orientation="individual"
    )
    services.assignment_add(actor=personas.manager_a, intervention=intervention,
                            user=personas.officer_a)
    return intervention


@pytest.fixture
def volume_insats(personas: Any) -> Any:
    """A structural insats in förbund A followed up by volume counts."""
    return _insats(
        personas, name="Nätverksträffar", follow_up_method="volume", orientation="structural"
    )


@pytest.fixture
def participation(personas: Any, insats: Any) -> Any:
    """A participant registered by officer_a in ``insats``, with a start measurement."""
    from stegvis.participants import services
    from tests.participants.conftest import consent, make_pnr, start_measurement

    start = dt.date(2024, 2, 1)
    return services.participation_start(
        actor=personas.officer_a, intervention=insats,
        personnummer=make_pnr(dt.date(1990, 5, 17), serial=42), consent=consent(start),
        protected_identity=False, referred_by="kommun", start_date=start, residence="0136",
        measurement=start_measurement(),
    )
