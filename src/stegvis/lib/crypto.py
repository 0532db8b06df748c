"""Secrets at rest: encryption with a rotatable key ring and an HMAC blind index.

One place for the project's cryptography, used for personnummer (participants, e-legitimation,
register extracts), follow-up contact details and two-factor secrets:

- ``encrypt``/``decrypt``: Fernet (AES-128-CBC + HMAC-SHA256) through ``MultiFernet`` over
  ``settings.STEGVIS_IDENTITY_KEYS`` (newest first). Decrypting tries every key in the ring, so
  old ciphertexts stay readable after a new key is put first; ``rotate`` re-encrypts a token with
  the newest key (``stegvis rotate_identity_keys`` does it for every stored secret), after which
  the old key can be removed from the ring.
- ``blind_index``: HMAC-SHA256 keyed with ``settings.STEGVIS_BLIND_INDEX_KEY``: exact look-up
  without storing the value. This key is not rotated by the command above (changing it requires
  recomputing every index from the plaintext).

Both keys come from the environment and are separate from ``SECRET_KEY``. Uses Django settings.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class DecryptionError(Exception):
    """No key in the ring can decrypt the stored value (the message holds no data)."""


def _ring() -> MultiFernet:
    keys = list(settings.STEGVIS_IDENTITY_KEYS)
    if not keys:
        raise ImproperlyConfigured("STEGVIS_IDENTITY_KEYS is empty")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(plaintext: str) -> str:
    """Ciphertext (an ASCII Fernet token) of ``plaintext``; randomised, so never compare two."""
    return _ring().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _ring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("value cannot be decrypted with the key ring") from None


def rotate(token: str) -> str:
    """The same plaintext encrypted with the newest key."""
    try:
        return _ring().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise DecryptionError("value cannot be decrypted with the key ring") from None


def blind_index(value: str) -> str:
    """Hex HMAC-SHA256 of ``value`` (64 characters): the same value always gives the same index."""
    key = settings.STEGVIS_BLIND_INDEX_KEY
    return hmac.new(
        key.encode() if isinstance(key, str) else key,
        value.encode("utf-8"),
        hashlib.sha256,
    ).hexdigest()
