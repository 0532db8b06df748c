"""Reads of the e-legitimation app."""

from __future__ import annotations

from typing import Any

from stegvis.access import selectors as access_selectors
from stegvis.eid import identifiers
from stegvis.eid.models import EidIdentity
from stegvis.lib.crypto import blind_index


def user_for_identity(*, kind: str, normalised: str) -> Any | None:
    """The account an asserted identity signs in as (used by the sign-in itself, before there
    is an acting user)."""
    identity = (
        EidIdentity.objects.filter(
            kind=kind, value_index=blind_index(identifiers.index_input(kind, normalised))
        )
        .select_related("user")
        .first()
    )
    return identity.user if identity is not None else None


def member_identities(
    *, user: Any, association_id: int, user_id: int
) -> tuple[Any, Any, list[EidIdentity]]:
    """A förbund member (as the user administration shows them) and their recorded kinds."""
    association, member = access_selectors.association_member(
        user=user, association_id=association_id, user_id=user_id
    )
    return association, member, list(EidIdentity.objects.filter(user=member.user))
