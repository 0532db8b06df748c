"""A small fixed-window rate limit on the cache, for the public one-time link pages.

Counted per token (its hash) and per client address. The default cache is per process: with
several worker processes the limit applies per worker (a shared cache makes it global).
"""

from __future__ import annotations

from django.core.cache import cache

WINDOW_SECONDS = 600
PER_TOKEN = 20
PER_ADDRESS = 60


def _hit(key: str, limit: int) -> bool:
    """Count one request; ``True`` while the count is within ``limit``."""
    if cache.add(key, 1, WINDOW_SECONDS):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        return True


def allowed(*, token_hash: str, address: str) -> bool:
    by_address = _hit(f"followup:rl:addr:{address}", PER_ADDRESS)
    by_token = _hit(f"followup:rl:token:{token_hash}", PER_TOKEN)
    return by_address and by_token
