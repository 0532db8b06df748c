"""Object permissions for templates and views (django-rules), fed by the scoping module."""

from __future__ import annotations

from typing import Any

import rules

from stegvis.access import scope
from stegvis.access.roles import Capability


def _capability_predicate(capability: Capability) -> rules.Predicate:
    @rules.predicate(name=f"can_{capability.value}")
    def predicate(user: Any, association: Any = None) -> bool:
        if association is None:
            return scope.can_anywhere(user, capability)
        return scope.can(user, capability, association)

    return predicate


for _capability in Capability:
    rules.add_perm(f"stegvis.{_capability.value}", _capability_predicate(_capability))
