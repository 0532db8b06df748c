"""Translation for the modules that import no Django. Pure: no Django imports.

The pure rule modules (``participants/domain.py``, ``finance/allocation.py``, ``lib/dates.py``
…) write their messages as ``_("Swedish text")`` with ``from stegvis.lib.i18n import gettext
as _``, so ``makemessages`` finds them, and the text is translated when the rule runs, through
the function the Django layer installed at start-up (``stegvis.web.apps`` installs Django's
``gettext``). Outside Django (a script, a pure unit test) the Swedish source text comes back
unchanged: Swedish is the source language, its msgids are the Swedish texts.

Parameters go in after translation, with named placeholders so a translation may reorder them:
``_("%(label)s: välj ett värde.") % {"label": label}``. Texts that must be defined before a
language is active (module constants) are marked with ``gettext_noop`` and translated where used.
"""

from __future__ import annotations

from collections.abc import Callable


def _source(message: str) -> str:
    return message


_translate: Callable[[str], str] = _source


def install(translate: Callable[[str], str]) -> None:
    """Make ``gettext`` translate with ``translate`` (called once, by the Django layer)."""
    global _translate  # set once at start-up
    _translate = translate


def gettext(message: str) -> str:
    """``message`` (a Swedish msgid) in the active language; ``""`` stays ``""`` (gettext would
    give the catalogue's header)."""
    return _translate(message) if message else message


def gettext_noop(message: str) -> str:
    """Mark ``message`` for ``makemessages`` without translating it now."""
    return message
