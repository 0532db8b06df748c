"""Keeping the data versions (ADR 0012) current on writes that do not call :func:`bump` themselves.

The tokens and :func:`bump` live with the förbund (:mod:`stegvis.associations.versions`), so
every writer below the indicators can bump; this module connects the model signals: every
save/delete of what the indicators read bumps its förbund, in the same transaction as the
service that saves. Readers use :func:`token`.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from stegvis.associations.models import AreaPart, Association, Organisation
from stegvis.associations.versions import REFERENCE, bump, token
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    Intervention,
    InterventionYear,
    VolumeCount,
)
from stegvis.reference.models import Code, Municipality, PopulationByAge

__all__ = ["connect", "token"]


# --- signals: every save/delete of what the indicators read bumps its förbund --------------


def _association_of(instance: Any) -> int | None:
    if isinstance(instance, Association):
        return int(instance.pk)
    if getattr(instance, "association_id", None) is not None:
        return int(instance.association_id)
    intervention_id = getattr(instance, "intervention_id", None)
    if intervention_id is not None:
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
    for model in (Association, AreaPart, Organisation, Intervention, InterventionYear, BudgetLine,
                  AnonymousCount, VolumeCount, Code, Municipality, PopulationByAge):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"versions-save-{model.__name__}")
        post_delete.connect(_on_change, sender=model,
                            dispatch_uid=f"versions-delete-{model.__name__}")
    for field in Intervention._meta.many_to_many:
        m2m_changed.connect(_on_m2m, sender=field.remote_field.through,
                            dispatch_uid=f"versions-m2m-{field.name}")
