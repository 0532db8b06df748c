"""The one error type of the pure rules: a ``Problem``. Pure: no Django imports.

A pure rule returns a list of problems (empty when the input is fine); the service layer
collects them with ``stegvis.lib.errors.Errors`` and raises one ``ValidationError`` keyed by
field. ``message`` is Swedish; when ``params`` are given it is a ``%(name)s`` template, which the
collector translates with gettext before filling in the parameters (so ``makemessages`` sees
the template, not the filled-in text).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One broken rule: the field concerned (``None``: the form as a whole) and its message."""

    field: str | None
    message: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    code: str = ""

    def __str__(self) -> str:
        return self.message % dict(self.params) if self.params else self.message
