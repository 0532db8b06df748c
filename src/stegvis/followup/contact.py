"""Contact details at rest: encrypted with the identity key ring (see participants.identity)."""

from __future__ import annotations

from stegvis.participants.identity import IdentityDecryptionError, _ring

__all__ = ["IdentityDecryptionError", "decrypt", "encrypt"]


def encrypt(value: str) -> str:
    return _ring().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    from cryptography.fernet import InvalidToken

    try:
        return _ring().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise IdentityDecryptionError("contact cannot be decrypted with the key ring") from None


def rotate(token: str) -> str:
    return _ring().rotate(token.encode("ascii")).decode("ascii")
