"""When follow-up measurements fall due. Pure: no Django imports.

A follow-up 3, 6 or 12 months after the end is *due* from ``WINDOW_BEFORE_DAYS`` days before its
due date (it may be recorded from then on) and *overdue* once its due date has passed by more
than ``GRACE_DAYS`` days. Until it is due it is *upcoming* and not on the worklist.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Final

FOLLOW_UP_MONTHS: Final[dict[str, int]] = {
    "followup_3m": 3,
    "followup_6m": 6,
    "followup_12m": 12,
}
WINDOW_BEFORE_DAYS: Final = 14
GRACE_DAYS: Final = 30

UPCOMING: Final = "upcoming"
DUE: Final = "due"
OVERDUE: Final = "overdue"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(end_date: dt.date, occasion: str) -> dt.date:
    return add_months(end_date, FOLLOW_UP_MONTHS[occasion])


def earliest_recording(end_date: dt.date, occasion: str) -> dt.date:
    return due_date(end_date, occasion) - dt.timedelta(days=WINDOW_BEFORE_DAYS)


def status(due: dt.date, today: dt.date) -> str:
    if today < due - dt.timedelta(days=WINDOW_BEFORE_DAYS):
        return UPCOMING
    if today > due + dt.timedelta(days=GRACE_DAYS):
        return OVERDUE
    return DUE
