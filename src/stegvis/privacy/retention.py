"""Pure gallring rules (ADR 0007). No Django imports."""

from __future__ import annotations

import datetime as dt


def years_before(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def participation_cutoff(today: dt.date, years: int) -> dt.date:
    """Participations that ended *before* this day have been kept ``years`` whole years."""
    return years_before(today, years)


def audit_cutoff(now: dt.datetime, years: int) -> dt.datetime:
    """Audit events recorded before this instant have been kept ``years`` whole years."""
    day = years_before(now.date(), years)
    return now.replace(year=day.year, month=day.month, day=day.day)
