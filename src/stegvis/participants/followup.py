"""When follow-up measurements fall due. Pure: no Django imports.

Every förbund follows up 3, 6 and 12 months after the end; a förbund may also choose the long
horizons 24 and 36 months (``schedule``; the setting is ``followup.HorizonSetting``).
A follow-up k months after the end has a **window** in which it may be recorded: from
``WINDOW_BEFORE_DAYS`` days before its due date to ``WINDOW_AFTER_MONTHS`` months after it (the
same day, clipped to the month's end). Within the window it is *due*, and *overdue* once its due
date has passed by more than ``GRACE_DAYS`` days. Before the window it is *upcoming* (not on the
worklist); after it, *lapsed*: it can no longer be recorded, only closed with a reason. The
register link, the self-report link and the recording service all use this one rule, so a form
is never offered for a follow-up that would then be refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from stegvis.lib.dates import add_months

FOLLOW_UP_MONTHS: Final[dict[str, int]] = {
    "followup_3m": 3,
    "followup_6m": 6,
    "followup_12m": 12,
    "followup_24m": 24,
    "followup_36m": 36,
}
# Every förbund's schedule, and the long horizons a förbund may add.
BASE_OCCASIONS: Final = ("followup_3m", "followup_6m", "followup_12m")
LONG_OCCASIONS: Final = ("followup_24m", "followup_36m")
# A lapsed follow-up stays on the worklist until closed, but not for ever: until two years
# after the end, or a year after its due date for the long horizons.
WORKLIST_MONTHS: Final = 24
WINDOW_BEFORE_DAYS: Final = 14
WINDOW_AFTER_MONTHS: Final = 2
GRACE_DAYS: Final = 30

UPCOMING: Final = "upcoming"
DUE: Final = "due"
OVERDUE: Final = "overdue"
LAPSED: Final = "lapsed"


def schedule(long_horizons: bool) -> tuple[str, ...]:
    """The follow-up occasions of a förbund, in order."""
    return BASE_OCCASIONS + LONG_OCCASIONS if long_horizons else BASE_OCCASIONS


def worklist_until(end_date: dt.date, occasion: str) -> dt.date:
    """The last day a lapsed, unclosed follow-up is shown on the worklist."""
    k = FOLLOW_UP_MONTHS[occasion]
    return add_months(end_date, max(WORKLIST_MONTHS, k + 12))


def due_date(end_date: dt.date, occasion: str) -> dt.date:
    return add_months(end_date, FOLLOW_UP_MONTHS[occasion])


def window(end_date: dt.date, occasion: str) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) on which the follow-up may be recorded."""
    due = due_date(end_date, occasion)
    return due - dt.timedelta(days=WINDOW_BEFORE_DAYS), add_months(due, WINDOW_AFTER_MONTHS)


def in_window(end_date: dt.date, occasion: str, day: dt.date) -> bool:
    first, last = window(end_date, occasion)
    return first <= day <= last


def status(due: dt.date, today: dt.date) -> str:
    if today < due - dt.timedelta(days=WINDOW_BEFORE_DAYS):
        return UPCOMING
    if today > add_months(due, WINDOW_AFTER_MONTHS):
        return LAPSED
    if today > due + dt.timedelta(days=GRACE_DAYS):
        return OVERDUE
    return DUE
