"""Free text must not carry a personnummer. Pure: no Django imports.

A run of 10 or 12 digits (optionally ``-``, ``+`` or a space before the last four) is refused
only when it is a valid personnummer or samordningsnummer: a real date that is not in the
future and a correct check digit. Phone numbers (``0701234567``) and organisationsnummer
(``556677-8899``) are ordinary text. Messages are Swedish and never repeat the number.
"""

from __future__ import annotations

import datetime as dt
import re

from stegvis.lib import personnummer as pnr
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop

_CANDIDATE = re.compile(r"(?<!\d)(?:\d{2})?\d{6}[-+ ]?\d{4}(?!\d)")

MESSAGE = gettext_noop(
    "texten ser ut att innehålla ett personnummer. Ta bort det: personnummer anges bara i "
    "fältet för personnummer."
)


def contains_personnummer(text: str | None, *, today: dt.date | None = None) -> bool:
    """Whether ``text`` holds something that is a valid personnummer or samordningsnummer."""
    if not text:
        return False
    return any(pnr.is_valid(m.group(), today=today) for m in _CANDIDATE.finditer(text))


def text_problem(label: str, text: str | None, *, today: dt.date | None = None) -> str | None:
    """``"<label>: <MESSAGE>"`` if ``text`` holds a personnummer, else ``None``."""
    if not contains_personnummer(text, today=today):
        return None
    return _("%(label)s: %(reason)s") % {"label": label, "reason": _(MESSAGE)}
