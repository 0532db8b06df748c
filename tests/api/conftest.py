from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    """PBKDF2 at full cost makes every persona slow to create; sign-in still checks passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth remembers used TOTP codes in the cache; tests must not share that memory."""
    cache.clear()
    yield
    cache.clear()
