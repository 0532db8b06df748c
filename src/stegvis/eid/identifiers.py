"""The identifiers an e-legitimation asserts about a user. Pure: no Django imports.

An HSA-id (SITHS eID) is ``SE`` + the organisation number (10 or 12 digits) + ``-`` + a local
part; a personnummer is normalised to its 12-digit form. Error messages never contain the value.
"""

from __future__ import annotations

import re

from stegvis.eid.config import HSA_ID, PERSONNUMMER
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop
from stegvis.lib.personnummer import PersonnummerError, parse

_HSA_ID = re.compile(r"^SE\d{10,12}-[0-9A-Z]{1,31}$")

MSG_HSA_ID = gettext_noop("HSA-id har fel format. Skriv till exempel SE2321000016-ABCD.")


class IdentifierError(ValueError):
    """An invalid identifier. ``str()`` is a Swedish message without the value."""


def normalise(kind: str, value: str) -> str:
    """The canonical form of ``value``, used for the blind index and stored encrypted."""
    value = (value or "").strip()
    if kind == HSA_ID:
        upper = value.upper()
        if not _HSA_ID.match(upper):
            raise IdentifierError(_(MSG_HSA_ID))
        return upper
    if kind == PERSONNUMMER:
        try:
            return parse(value).normalised
        except PersonnummerError as e:
            raise IdentifierError(str(e)) from None
    raise IdentifierError(_("Okänd typ av identitet."))


def index_input(kind: str, normalised: str) -> str:
    """What the blind index is computed over: the kind keeps the two namespaces apart."""
    return f"eid:{kind}:{normalised}"
