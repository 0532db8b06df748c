"""Personas shared by every test: two förbund (A, B) and a user for each role.

- ``admin_a`` förbundsadministratör in A, ``manager_a`` insatsansvarig in A,
  ``officer_a`` deltagaransvarig in A, ``reader_a`` rapportläsare in A, ``auditor_a`` granskare in A
- ``admin_b`` förbundsadministratör in B (the outsider for everything in A), ``officer_b``
- ``sysadmin`` systemadministratör (national), ``national_reader`` rapportläsare (national)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from hypothesis import settings as hypothesis_settings

from stegvis.access.roles import TWO_FACTOR_ROLES, Role
from stegvis.associations.models import Association
from tests import factories

# Property tests check behaviour, never speed: a loaded CI machine must not fail them on time.
hypothesis_settings.register_profile("stegvis", deadline=None)
hypothesis_settings.load_profile("stegvis")

PASSWORD = "korrekt-hast-batteri-42"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Personas are created for every test: a fast hasher keeps that cheap. Production hashing
    # (PBKDF2) is Django's default and is not what these tests are about.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    # Transactional (browser, live-server) tests flush all but the untouched reference data.
    from tests.support import flush

    flush.install()


@dataclass
class Personas:
    a: Association
    b: Association
    admin_a: AbstractBaseUser
    manager_a: AbstractBaseUser
    officer_a: AbstractBaseUser
    reader_a: AbstractBaseUser
    auditor_a: AbstractBaseUser
    admin_b: AbstractBaseUser
    officer_b: AbstractBaseUser
    sysadmin: AbstractBaseUser
    national_reader: AbstractBaseUser


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, as a freshly started process does."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def personas(db) -> Personas:
    a = factories.association("Samordningsförbundet Alfa", ["0180", "0136"], "Region Stockholm")
    b = factories.association("Samordningsförbundet Beta", ["1480"], "Västra Götalandsregionen")

    def user(name: str, role: Role, association: Association | None) -> AbstractBaseUser:
        u = factories.UserFactory(username=name)
        factories.grant(u, role.value, association)
        if role in TWO_FACTOR_ROLES or role.value in settings.STEGVIS_MFA_REQUIRED_ROLES:
            factories.totp(u)  # two-factor is required for this role
        return u

    return Personas(
        a=a,
        b=b,
        admin_a=user("admin_a", Role.ASSOCIATION_ADMIN, a),
        manager_a=user("manager_a", Role.INTERVENTION_MANAGER, a),
        officer_a=user("officer_a", Role.PARTICIPANT_OFFICER, a),
        reader_a=user("reader_a", Role.REPORT_READER, a),
        auditor_a=user("auditor_a", Role.AUDITOR, a),
        admin_b=user("admin_b", Role.ASSOCIATION_ADMIN, b),
        officer_b=user("officer_b", Role.PARTICIPANT_OFFICER, b),
        sysadmin=user("sysadmin", Role.SYSTEM_ADMIN, None),
        national_reader=user("national_reader", Role.REPORT_READER, None),
    )


@pytest.fixture
def client_for(client):
    """Sign a test client in as a persona (two-factor is marked done for the session)."""

    def sign_in(user: AbstractBaseUser):
        client.force_login(user)
        return client

    return sign_in
