"""Calendar arithmetic and plausible dates. Pure: no Django imports.

``add_months`` is the one month arithmetic of the project (built on ``dateutil``).

Plausible dates: what a user types must lie between Finsam's start and a year ahead. Finsam
(lag 2003:1210) started on 1 January 2004, so nothing the register records can be older; nothing
is planned more than a year ahead. Messages are Swedish and begin with the field's label, like
every other field message.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta

from stegvis.lib.i18n import gettext as _

FINSAM_START = dt.date(2004, 1, 1)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clipped to the month's last day.

    31 January + 1 month = 28 (or 29) February; ``months`` may be negative.
    """
    return day + relativedelta(months=months)


def latest(today: dt.date) -> dt.date:
    """The last date accepted: one year after ``today`` (29 February → 28 February)."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def date_reason(day: dt.date | None, *, today: dt.date) -> str | None:
    """Why ``day`` is implausible (lower case, no label), or ``None`` if it is fine."""
    if day is None:
        return None
    if day < FINSAM_START:
        return _("datumet kan inte vara före %(date)s, då Finsam började.") % {
            "date": FINSAM_START.isoformat()
        }
    last = latest(today)
    if day > last:
        return _("datumet kan inte ligga mer än ett år fram i tiden (senast %(date)s).") % {
            "date": last.isoformat()
        }
    return None


def date_problem(label: str, day: dt.date | None, *, today: dt.date) -> str | None:
    """``"<label>: <reason>"`` if ``day`` is implausible, else ``None`` (``None`` days pass)."""
    reason = date_reason(day, today=today)
    return _("%(label)s: %(reason)s") % {"label": label, "reason": reason} if reason else None


def year_problem(label: str, year: int | None, *, today: dt.date) -> str | None:
    """A Swedish message if ``year`` is before 2004 or after next year, else ``None``."""
    if year is None:
        return None
    if year < FINSAM_START.year:
        return _("%(label)s: året kan inte vara före %(year)s, då Finsam började.") % {
            "label": label, "year": FINSAM_START.year
        }
    if year > latest(today).year:
        return _(
            "%(label)s: året kan inte ligga mer än ett år fram i tiden (senast %(year)s)."
        ) % {"label": label, "year": today.year + 1}
    return None
