import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas fixture hashes 11 passwords per test; a fast hasher keeps tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
