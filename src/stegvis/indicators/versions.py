"""Data versions of the indicators (ADR 0012).

:func:`bump` runs inside the writer's transaction and gives the förbund a new random token;
:func:`token` reads the tokens a scope depends on. A reader reads the token *before* it reads
the data, so a cache entry may hold data newer than its key but never older.

What bumps: the fact table's writes (:mod:`facts`, explicit), and — through model signals, in
the same transaction as the service that saves — insatser and their years, budget lines,
anonymous and volume counts, förbund and their area, organisations (an insats's
anordnare is shown by name), codes, kommuner and populations.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

REFERENCE = 0  # the scope of data shared by every förbund (codes, kommuner, populations)


def _new_token() -> int:
    return secrets.randbits(62)


def bump(association_ids: Iterable[int | None]) -> None:
    """Give each förbund in ``association_ids`` (None: reference data) a new token."""
    from stegvis.indicators.models import DataVersion

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
    from stegvis.indicators.models import DataVersion

    qs = DataVersion.objects.order_by("scope").values_list("scope", "token")
    if association_ids is not None:
        qs = qs.filter(scope__in=[REFERENCE, *association_ids])
    digest = hashlib.sha256(repr(list(qs)).encode()).hexdigest()
    return digest[:32]


# --- signals: every save/delete of what the indicators read bumps its förbund --------------


def _association_of(instance: Any) -> int | None:
    from stegvis.associations.models import Association

    if isinstance(instance, Association):
        return int(instance.pk)
    if getattr(instance, "association_id", None) is not None:
        return int(instance.association_id)
    intervention_id = getattr(instance, "intervention_id", None)
    if intervention_id is not None:
        from stegvis.interventions.models import Intervention

        found = (Intervention.objects.filter(pk=intervention_id)
                 .values_list("association_id", flat=True).first())
        if found is not None:
            return int(found)
    return None


def _on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    association = _association_of(instance)
    # Not tied to one förbund (reference data, or one whose insats is gone): bump shared data,
    # which every scope's token includes.
    bump([association] if association is not None else [REFERENCE])


def _on_m2m(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _on_change(sender, instance)


def connect() -> None:
    from stegvis.associations.models import AreaPart, Association, Organisation
    from stegvis.interventions.models import (
        AnonymousCount,
        BudgetLine,
        Intervention,
        InterventionYear,
        VolumeCount,
    )
    from stegvis.reference.models import Code, Municipality, PopulationByAge

    for model in (Association, AreaPart, Organisation, Intervention, InterventionYear, BudgetLine,
                  AnonymousCount, VolumeCount, Code, Municipality, PopulationByAge):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"versions-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model,
                            dispatch_uid=f"versions-delete-{model.__name__}")
    for field in Intervention._meta.many_to_many:
        m2m_changed.connect(_on_m2m, sender=field.remote_field.through,
                            dispatch_uid=f"versions-m2m-{field.name}")
