"""Field types for API schemas that apply the shared input rules at the boundary.

``FreeText`` refuses text holding a valid personnummer; ``PlausibleDate`` refuses dates before
2004 or more than a year ahead. Both raise Swedish messages, which the API's validation handler
passes on as they are (see ``stegvis.api.errors``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import AfterValidator

from stegvis.lib import dates, freetext


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _free_text(value: str) -> str:
    if freetext.contains_personnummer(value, today=timezone.localdate()):
        raise ValueError(_capitalised(_(freetext.MESSAGE)))
    return value


def _plausible_date(value: dt.date) -> dt.date:
    reason = dates.date_reason(value, today=timezone.localdate())
    if reason:
        raise ValueError(_capitalised(reason))
    return value


FreeText = Annotated[str, AfterValidator(_free_text)]
PlausibleDate = Annotated[dt.date, AfterValidator(_plausible_date)]
