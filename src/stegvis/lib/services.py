"""The one way to write a service: guard, then one transaction, then the audit event.

Uses Django (``transaction``). Every write of the project is a named, keyword-only service
function. ``@service`` gives it the same three steps in the same order::

    @service(guard=manage_of("association"), audit=lambda year, kw: record_event(...))
    def finance_year_set(*, actor, association, year, ...): ...

1. ``guard(kwargs)`` runs **outside** the transaction. It checks permission and scope (usually
   ``stegvis.access.scope.require``); a refusal records its own PERMISSION_DENIED event and
   raises ``PermissionDenied``, and that event must not be rolled back with the write.
2. The function runs inside one ``transaction.atomic()``. It validates first (collecting every
   problem in ``stegvis.lib.errors.Errors`` and raising one ``ValidationError``) and then writes.
3. ``audit(result, kwargs)`` runs inside the same transaction, after the write: the event is
   stored if and only if the write is.

When the audit event needs values only the function body knows (the fields that changed, the
state before the write, a count computed on the way), leave ``audit`` out and call
``record_event`` at the end of the body instead: it is still inside the one transaction, so
the guarantee is the same. ``lib`` sits below ``audit`` in the layers, so this module never
imports it: the caller passes the audit step in.

Two patterns the decorator does not take over, kept as they are in the services that need them:

- A unique constraint that turns a race into a Swedish message (``except IntegrityError:
  raise ValidationError(...)``) needs the write in its own ``transaction.atomic()`` block with
  the ``except`` outside it (a failed statement spoils the transaction it runs in). Those
  services keep ``guard(); validate; try: with atomic(): write + record_event``.
- Work split into several transactions on purpose (gallring in chunks, a batch import that
  commits per batch) cannot be one transaction: those services say so in their docstring.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

Guard = Callable[[dict[str, Any]], None]
Audit = Callable[[Any, dict[str, Any]], None]


def service(
    guard: Guard | None = None, *, audit: Audit | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a keyword-only service: ``guard``, then one transaction with ``audit`` last."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            if args:
                raise TypeError(f"{function.__name__}() takes keyword arguments only")
            if guard is not None:
                guard(kwargs)
            with transaction.atomic():
                result = function(*args, **kwargs)
                if audit is not None:
                    audit(result, kwargs)
            return result

        return wrapper

    return decorate
