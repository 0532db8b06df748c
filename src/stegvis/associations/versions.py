"""Data versions per förbund, which the indicators' caches are keyed on (ADR 0012).

:func:`bump` runs inside the writer's transaction and gives the förbund a new random token;
:func:`token` reads the tokens a scope depends on. A reader reads the token *before* it reads
the data, so a cache entry may hold data newer than its key but never older.

What bumps: the fact table's writes (:mod:`stegvis.participants.facts`, explicit), services that
write with ``.update()``, and — through model signals (:mod:`stegvis.indicators.versions`), in
the same transaction as the service that saves — insatser and their years, budget lines,
anonymous and volume counts, förbund and their area, organisations (an insats's
anordnare is shown by name), codes, kommuner and populations.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from stegvis.associations.models import DataVersion

REFERENCE = 0  # the scope of data shared by every förbund (codes, kommuner, populations)


def _new_token() -> int:
    return secrets.randbits(62)


def bump(association_ids: Iterable[int | None]) -> None:
    """Give each förbund in ``association_ids`` (None: reference data) a new token."""
    for scope in sorted({REFERENCE if a is None else int(a) for a in association_ids}):
        if DataVersion.objects.filter(scope=scope).update(token=_new_token()):
            continue
        try:
            with transaction.atomic():
                DataVersion.objects.create(scope=scope, token=_new_token())
        except IntegrityError:  # created by a concurrent writer: replace its token
            DataVersion.objects.filter(scope=scope).update(token=_new_token())


def bump_all() -> None:
    """Invalidate every förbund (a rebuild of the whole fact table)."""
    bump([REFERENCE])


def token(association_ids: Iterable[int] | None) -> str:
    """One string for the tokens that data of ``association_ids`` (None: every förbund)
    depends on; it changes whenever any of them is bumped."""
    qs = DataVersion.objects.order_by("scope").values_list("scope", "token")
    if association_ids is not None:
        qs = qs.filter(scope__in=[REFERENCE, *association_ids])
    digest = hashlib.sha256(repr(list(qs)).encode()).hexdigest()
    return digest[:32]
