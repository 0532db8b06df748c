"""Rotating the keys that encrypt and blind the personnummer.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import crypto
from stegvis.participants.models import (
    Person,
)


def rotate_identity_keys(*, actor: Any = None, batch_size: int = 500) -> int:
    """Re-encrypt every person's identity with the newest key of the ring; returns the count."""
    done = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(
                Person.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for p in batch:
                p.identity_ciphertext = crypto.rotate(p.identity_ciphertext)
            Person.objects.bulk_update(batch, ["identity_ciphertext"])
            last_pk = batch[-1].pk
            done += len(batch)
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.UPDATE,
            object_type="participants.person",
            username="system",
            details={"rotated_identity_keys": done},
        )
    return done
