"""Lockout that holds: per account whatever the spelling, per client address, same cost for all."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import MD5PasswordHasher

from stegvis.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/konto/login/"
WRONG = "fel-losenord-123"


def sign_in(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def probe(personas):
    from tests import factories

    user = factories.UserFactory(username="probe.user")
    factories.grant(user, "rapportlasare", personas.a)
    return user


@pytest.mark.parametrize("spelling", ["PROBE.USER", "Probe.User", "  probe.user  "])
def test_other_spelling_neither_bypasses_nor_clears_the_lock(client, probe, spelling):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "probe.user", WRONG)
    response = sign_in(client, spelling)
    assert response.status_code == 429
    assert "Kontot är tillfälligt låst" in response.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    # ... and the lock is still there for the exact spelling too.
    assert sign_in(client, "probe.user").status_code == 429
    assert not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_failures_spread_over_spellings_lock_the_account(client, probe):
    spellings = ["probe.user", "PROBE.USER", "Probe.User", " probe.USER", "pRoBe.UsEr "]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        sign_in(client, spelling, WRONG)
    assert sign_in(client, "probe.user").status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"probe.user"}


def test_unknown_names_are_counted_case_folded(client, db):
    for spelling in ["Ghost", "GHOST", "ghost "]:
        sign_in(client, spelling, WRONG)
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "ghost"
    assert attempt.failures_since_start == 3


def test_client_address_is_a_second_limit(client, personas, settings):
    settings.STEGVIS_LOCKOUT_ADDRESS_FAILURES = 8
    # A few guesses at each of many accounts never reaches the per-account limit ...
    names = ["admin_b", "reader_a", "manager_a", "auditor_a", "okand1", "okand2", "okand3",
             "okand4"]
    for name in names:
        sign_in(client, name, WRONG, address="203.0.113.7")
    # ... but the address is now locked, even for a right password of another account,
    response = sign_in(client, "admin_a", address="203.0.113.7")
    assert response.status_code == 429
    # while the account itself is fine from another address.
    assert sign_in(client, "admin_a", address="198.51.100.2").status_code == 302


def test_a_forged_forwarded_for_header_gives_no_new_address(client, personas, settings):
    settings.STEGVIS_LOCKOUT_ADDRESS_FAILURES = 3
    for n in range(3):
        client.post(LOGIN, {"login": f"okand{n}", "password": WRONG},
                    REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}")
    assert sign_in(client, "manager_a", address="203.0.113.7").status_code == 429


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_counts(client, personas, settings):
    settings.STEGVIS_LOCKOUT_ADDRESS_FAILURES = 3
    settings.STEGVIS_TRUSTED_PROXY_COUNT = 1
    for n in range(3):  # the client forges a left-most entry; the proxy appends the real one
        client.post(LOGIN, {"login": f"okand{n}", "password": WRONG}, REMOTE_ADDR="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.7")
    locked = client.post(LOGIN, {"login": "manager_a", "password": PASSWORD},
                         REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert locked.status_code == 429
    other = client.post(LOGIN, {"login": "manager_a", "password": PASSWORD},
                        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 302  # another client behind the same proxy is not locked


def test_own_successful_sign_in_does_not_reset_failures_against_another_account(
    client, personas, probe
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "probe.user", WRONG)
    assert sign_in(client, "reader_a").status_code == 302  # the attacker's own account
    client.post("/konto/logout/")
    sign_in(client, "probe.user", WRONG)
    assert sign_in(client, "probe.user").status_code == 429


# --- an unknown user name costs the same as a known one --------------------------------------

HASHES: list[str] = []


class CountingHasher(MD5PasswordHasher):
    """Counts every password hash computed (``verify`` computes one through ``encode``)."""

    def encode(self, password: str, salt: str) -> str:
        HASHES.append("hash")
        return super().encode(password, salt)

    def must_update(self, encoded: str) -> bool:
        return False


def test_unknown_user_name_costs_the_same_hashing_as_a_known_one(client, personas, settings):
    settings.PASSWORD_HASHERS = ["tests.access.test_lockout.CountingHasher"]
    personas.admin_a.set_password(PASSWORD)
    personas.admin_a.save()
    costs = {}
    for name in ["admin_a", "ADMIN_A", "finns_inte", "19850101-1234"]:
        HASHES.clear()
        assert sign_in(client, name, WRONG).status_code == 200
        costs[name] = len(HASHES)
    assert costs["admin_a"] >= 1
    assert len(set(costs.values())) == 1, costs
