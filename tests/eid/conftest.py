"""Real identity providers for the e-legitimation tests, started by the tests themselves.

- OIDC: the npm package ``oidc-provider`` run with node (``tests/eid/oidc_idp/server.mjs``);
  its packages are installed with ``npm ci`` on first use. Missing node or npm fails the tests.
- SAML: a pysaml2 IdP served over HTTP from a thread (``tests/eid/saml_idp.py``); it signs
  with the ``xmlsec1`` binary, whose absence fails the tests.

Both sign in test accounts whose personnummer or HSA-id the tests record for Stegvis users.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from stegvis.access.roles import Role
from stegvis.eid import config as eid_config
from stegvis.eid.config import HSA_ID, PERSONNUMMER
from stegvis.eid.models import EidIdentity
from stegvis.lib.crypto import blind_index, encrypt
from stegvis.lib.personnummer import check_digit
from tests import factories
from tests.eid.saml_idp import HSA_ATTRIBUTE, SamlIdp, parse_post_form
from tests.support.ports import free_port

OIDC_DIR = Path(__file__).parent / "oidc_idp"
CLIENT_ID = "stegvis"
CLIENT_SECRET = "test-hemlighet-for-stegvis"
TESTSERVER = "http://testserver"
OIDC_CALLBACK = "/konto/oidc/eid-oidc/login/callback/"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"
LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"


def pnr(first_nine_after_century: str, century: str = "19") -> str:
    """A valid 12-digit personnummer."""
    return f"{century}{first_nine_after_century}{check_digit(first_nine_after_century)}"


# Test persons (never real): officer_a, a new deltagaransvarig, a user without a role, nobody.
PNR_OFFICER = pnr("811228987")
PNR_NEW = pnr("900101123")
PNR_NO_ROLE = pnr("750505555")
PNR_UNKNOWN = pnr("650303333")
HSA_OFFICER = "SE2321000016-A1B2"
HSA_UNKNOWN = "SE2321000016-ZZZZ"
HSA_NO_ROLE = "SE2321000016-NR01"

OIDC_ACCOUNTS = {
    "officer": {PNR_CLAIM: PNR_OFFICER, "name": "Olle Officer"},
    "new": {PNR_CLAIM: PNR_NEW, "name": "Nora Ny"},
    "norole": {PNR_CLAIM: PNR_NO_ROLE, "name": "Rolf Rollös"},
    "unknown": {PNR_CLAIM: PNR_UNKNOWN, "name": "Okänd Person"},
    "noidentity": {"name": "Utan Nummer"},
}


# --- OIDC: node + oidc-provider ---------------------------------------------------------------


@dataclass
class OidcIdp:
    issuer: str

    def set_mode(self, **mode: object) -> None:
        """Make the next ID tokens carry another audience (``aud=``) or be expired."""
        requests.post(f"{self.issuer}/__test__/mode", data=json.dumps(mode), timeout=5)


def _npm_install() -> None:
    if (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm saknas: installera Debians nodejs och npm för e-legitimationstesterna")
    result = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--silent"],
        cwd=OIDC_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(f"npm ci misslyckades för test-IdP:n:\n{result.stderr[-2000:]}")


@contextlib.contextmanager
def running_oidc_idp(redirect_uri: str) -> Iterator[OidcIdp]:
    """Run oidc-provider under node for a client whose callback is ``redirect_uri``."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node saknas: installera Debians nodejs för e-legitimationstesterna")
    _npm_install()
    port = free_port()
    env = {
        **os.environ,
        "IDP_PORT": str(port),
        "IDP_CLIENT_ID": CLIENT_ID,
        "IDP_CLIENT_SECRET": CLIENT_SECRET,
        "IDP_REDIRECT_URI": redirect_uri,
        "IDP_ACCOUNTS": json.dumps(OIDC_ACCOUNTS),
        "NODE_NO_WARNINGS": "1",
    }
    process = subprocess.Popen(
        [node, "server.mjs"],
        cwd=OIDC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        if not line.startswith("ready"):
            process.kill()
            err = process.stderr.read() if process.stderr else ""
            pytest.fail(f"Test-IdP:n (oidc-provider) startade inte: {line}{err[-2000:]}")
        yield OidcIdp(issuer=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def oidc_idp() -> Iterator[OidcIdp]:
    with running_oidc_idp(TESTSERVER + OIDC_CALLBACK) as idp:
        yield idp


def configure(settings, env: dict[str, str], *, local_passwords: bool = True) -> None:
    """Configure e-legitimation as a deployment would through its environment."""
    settings.STEGVIS_EID = eid_config.from_env(env.get)
    settings.SOCIALACCOUNT_PROVIDERS = eid_config.socialaccount_providers(settings.STEGVIS_EID)
    settings.STEGVIS_LOCAL_PASSWORDS = local_passwords
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [
        "'self'",
        *eid_config.form_action_origins(settings.STEGVIS_EID),
    ]
    settings.CONTENT_SECURITY_POLICY = policy


def oidc_env(idp: OidcIdp) -> dict[str, str]:
    return {
        "STEGVIS_OIDC_ISSUER": idp.issuer,
        "STEGVIS_OIDC_CLIENT_ID": CLIENT_ID,
        "STEGVIS_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "STEGVIS_OIDC_NAME": "Freja eID",
        "STEGVIS_OIDC_ACR_VALUES": f"{LOA3},{LOA2}",
    }


@pytest.fixture
def oidc(settings, oidc_idp) -> Iterator[OidcIdp]:
    """Stegvis configured for the OIDC IdP, which issues normal tokens."""
    configure(settings, oidc_env(oidc_idp))
    oidc_idp.set_mode()
    yield oidc_idp
    oidc_idp.set_mode()


def oidc_authorise(client, idp: OidcIdp, account: str, acr: str = LOA3) -> str:
    """Start sign-in at Stegvis, sign in at the IdP; the callback path the IdP sends back."""
    start = client.post("/konto/oidc/eid-oidc/login/")
    assert start.status_code == 302, start.content
    return oidc_browser_to_callback(idp, start["Location"], account, acr)


def oidc_browser_to_callback(idp: OidcIdp, location: str, account: str, acr: str) -> str:
    """A browser at the IdP's authorisation URL signs in; the Stegvis path it is sent back to."""
    assert location.startswith(idp.issuer + "/auth?")
    browser = requests.Session()
    page = browser.get(location, timeout=10)
    assert page.status_code == 200, page.text
    assert "/interaction/" in page.url
    response = browser.post(
        page.url, data={"account": account, "acr": acr}, allow_redirects=False, timeout=10
    )
    for _ in range(10):
        assert response.is_redirect, response.text
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(TESTSERVER + "/"):
            return location[len(TESTSERVER) :]
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError("the IdP never sent the browser back to Stegvis")


def oidc_sign_in(client, idp: OidcIdp, account: str, acr: str = LOA3):
    return client.get(oidc_authorise(client, idp, account, acr))


# --- users with recorded identities ----------------------------------------------------------


def record_identity(user, kind: str, value: str) -> None:
    from stegvis.eid import identifiers

    normalised = identifiers.normalise(kind, value)
    EidIdentity.objects.create(
        user=user,
        kind=kind,
        value_encrypted=encrypt(normalised),
        value_index=blind_index(identifiers.index_input(kind, normalised)),
    )


@dataclass
class EidUsers:
    officer: object  # officer_a: deltagaransvarig in A with TOTP
    new: object  # deltagaransvarig in A without TOTP
    norole: object  # an account without any role


@pytest.fixture
def eid_users(personas) -> EidUsers:
    return make_eid_users(personas)


def make_eid_users(personas) -> EidUsers:
    """officer_a, a new deltagaransvarig and a role-less account, with identities recorded."""
    record_identity(personas.officer_a, PERSONNUMMER, PNR_OFFICER)
    record_identity(personas.officer_a, HSA_ID, HSA_OFFICER)
    new = factories.UserFactory(username="ny_handlaggare")
    factories.grant(new, Role.PARTICIPANT_OFFICER.value, personas.a)
    record_identity(new, PERSONNUMMER, PNR_NEW)
    norole = factories.UserFactory(username="utan_roll")
    record_identity(norole, PERSONNUMMER, PNR_NO_ROLE)
    record_identity(norole, HSA_ID, HSA_NO_ROLE)
    return EidUsers(officer=personas.officer_a, new=new, norole=norole)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()



# --- SAML: pysaml2 ----------------------------------------------------------------------------

SAML_HOST = "stegvis.test"
SAML_ACCOUNTS = {
    "officer": {HSA_ATTRIBUTE: [HSA_OFFICER], "displayName": ["Olle Officer"]},
    "norole": {HSA_ATTRIBUTE: [HSA_NO_ROLE]},
    "unknown": {HSA_ATTRIBUTE: [HSA_UNKNOWN]},
}


def require_xmlsec1() -> str:
    """The xmlsec1 binary pysaml2 signs with; its absence fails the tests (never skips)."""
    xmlsec = shutil.which("xmlsec1")
    if xmlsec is None:
        pytest.fail("xmlsec1 saknas: installera Debians paket xmlsec1 för e-legitimationstesterna")
    return xmlsec


@pytest.fixture(scope="session")
def saml_idp(tmp_path_factory) -> Iterator[SamlIdp]:
    idp = SamlIdp(
        port=free_port(),
        directory=tmp_path_factory.mktemp("saml-idp"),
        xmlsec_binary=require_xmlsec1(),
        accounts=SAML_ACCOUNTS,
    )
    idp.start()
    yield idp
    idp.stop()


def saml_env(idp: SamlIdp) -> dict[str, str]:
    return {
        "STEGVIS_SAML_IDP_ENTITY_ID": idp.entity_id,
        "STEGVIS_SAML_IDP_SSO_URL": idp.sso_url,
        "STEGVIS_SAML_IDP_X509CERT": idp.cert_pem,
        "STEGVIS_SAML_NAME": "SITHS eID",
    }


@pytest.fixture
def saml(settings, client, saml_idp) -> Iterator[SamlIdp]:
    """Stegvis configured for the SAML IdP, and the IdP trusting Stegvis' SP metadata."""
    configure(settings, saml_env(saml_idp))
    # python3-saml refuses single-label host names such as Django's "testserver".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, SAML_HOST]
    client.defaults["HTTP_HOST"] = SAML_HOST
    metadata = client.get("/konto/saml/eid-saml/metadata/")
    assert metadata.status_code == 200, metadata.content
    saml_idp.trust_sp(metadata.content.decode())
    saml_idp.mode = {}
    yield saml_idp
    saml_idp.mode = {}


def saml_authenticate(client, idp: SamlIdp, account: str, acr: str = LOA3) -> tuple[str, dict]:
    """Start sign-in at Stegvis, sign in at the IdP; the ACS path and the form the IdP posts."""
    start = client.post("/konto/saml/eid-saml/login/")
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(idp.sso_url + "?")
    browser = requests.Session()
    page = browser.get(start["Location"], timeout=10)
    assert page.status_code == 200, page.text
    action, fields = parse_post_form(page.text)
    fields.update(account=account, acr=acr)
    answer = browser.post(urljoin(page.url, action), data=fields, timeout=30)
    assert answer.status_code == 200, answer.text
    acs, posted = parse_post_form(answer.text)
    assert acs.startswith(f"http://{SAML_HOST}/")
    return acs[len(f"http://{SAML_HOST}") :], posted


def saml_post(client, acs: str, posted: dict):
    """What the browser does with the IdP's form: post it, then follow Stegvis' redirect."""
    response = client.post(acs, posted)
    assert response.status_code == 302, response.content
    return client.get(response["Location"])


def saml_sign_in(client, idp: SamlIdp, account: str, acr: str = LOA3):
    return saml_post(client, *saml_authenticate(client, idp, account, acr))
