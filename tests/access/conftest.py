from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth remembers used TOTP codes in the cache; tests must not share that memory."""
    cache.clear()
    yield
    cache.clear()
