"""Pure rules for insatser. No Django imports: plain values in, Swedish messages out.

Each function returns a list of ``Problem`` (empty when the input is fine); the service layer
turns them into ``ValidationError`` keyed by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from stegvis.lib import dates, freetext
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop
from stegvis.lib.problems import Problem

# The fields fixed when an insats is created, with their Swedish names and the reason.
IMMUTABLE_FIELDS: dict[str, str] = {
    "orientation": gettext_noop("Inriktning"),
    "follow_up_method": gettext_noop("Uppföljningsmetod"),
    "esf_cofunded": gettext_noop("ESF-medfinansiering"),
}
IMMUTABLE_REASON = gettext_noop(
    "kan inte ändras när insatsen väl finns, eftersom uppföljning och statistik redan bygger på "
    "den. En insats med både individinriktat och strukturövergripande innehåll, eller med en "
    "annan uppföljningsmetod, registreras som en ny insats."
)


def immutable_message(field: str) -> str:
    return _("%(field)s %(reason)s") % {
        "field": _(IMMUTABLE_FIELDS[field]), "reason": _(IMMUTABLE_REASON)
    }


def party_errors(kinds: Iterable[str]) -> list[Problem]:
    """At least two parties must take part; all kommuner together are one party (5 §, 7 §).

    FK and AF are different parties; several regions are likewise one party.
    """
    distinct = set(kinds)
    if len(distinct) < 2:
        return [
            Problem(
                "parties",
                _(
                    "Deltagande parter: minst två olika parter måste delta i insatsen "
                    "(Försäkringskassan, Arbetsförmedlingen, region eller kommun). "
                    "Flera kommuner räknas som en part."
                ),
            )
        ]
    return []


def date_errors(start: dt.date | None, end: dt.date | None, *, today: dt.date) -> list[Problem]:
    """Start given; both dates plausible (2004 to a year ahead); the end not before the start."""
    if start is None:
        return [Problem("start_date", _("Startdatum: ange när insatsen börjar."))]
    errors = [
        Problem(field, problem)
        for field, label, day in (
            ("start_date", _("Startdatum"), start),
            ("end_date", _("Slutdatum"), end),
        )
        if (problem := dates.date_problem(label, day, today=today))
    ]
    if not errors and end is not None and end < start:
        errors.append(Problem("end_date", _("Slutdatum: kan inte vara före startdatum.")))
    return errors


def text_errors(texts: Mapping[str, tuple[str, str | None]], *, today: dt.date) -> list[Problem]:
    """Free text (field → (label, text)) that holds a personnummer is refused."""
    return [
        Problem(field, problem)
        for field, (label, text) in texts.items()
        if (problem := freetext.text_problem(label, text, today=today))
    ]


def immutable_errors(current: Mapping[str, Any], proposed: Mapping[str, Any]) -> list[Problem]:
    """Refuse any change of orientation, follow-up method or ESF co-funding."""
    return [
        Problem(field, immutable_message(field))
        for field in IMMUTABLE_FIELDS
        if field in proposed and proposed[field] != current.get(field)
    ]


def year_errors(
    year: int, start: dt.date, end: dt.date | None, *, today: dt.date
) -> list[Problem]:
    """A budget year must be plausible and fall within the insats's running time."""
    problem = dates.year_problem(_("År"), year, today=today)
    if problem:
        return [Problem("year", problem)]
    if year < start.year or (end is not None and year > end.year):
        last = str(end.year) if end is not None else "–"
        return [
            Problem(
                "year",
                _("År: insatsen pågår %(first)s–%(last)s; budget kan bara anges för de åren.")
                % {"first": start.year, "last": last},
            )
        ]
    return []


def money_errors(field: str, label: str, value: Any, *, required: bool) -> list[Problem]:
    """Whole kronor, not negative."""
    if value is None:
        return (
            [Problem(field, _("%(label)s: ange ett belopp i hela kronor.") % {"label": label})]
            if required
            else []
        )
    try:
        is_whole = value == int(value)
    except (TypeError, ValueError):
        return [Problem(field, _("%(label)s: ange ett belopp i hela kronor.") % {"label": label})]
    if not is_whole:
        return [
            Problem(
                field, _("%(label)s: ange beloppet i hela kronor, utan ören.") % {"label": label}
            )
        ]
    if value < 0:
        return [
            Problem(field, _("%(label)s: beloppet kan inte vara negativt.") % {"label": label})
        ]
    return []


def volume_errors(
    period_start: dt.date,
    period_end: dt.date,
    total: int,
    women: int | None,
    men: int | None,
    *,
    today: dt.date,
) -> list[Problem]:
    errors = [
        Problem(field, problem)
        for field, label, day in (
            ("period_start", _("Periodens början"), period_start),
            ("period_end", _("Periodens slut"), period_end),
        )
        if (problem := dates.date_problem(label, day, today=today))
    ]
    if period_end < period_start:
        errors.append(
            Problem("period_end", _("Periodens slut: kan inte vara före periodens början."))
        )
    if total < 0:
        errors.append(Problem("total", _("Antal totalt: kan inte vara negativt.")))
    for field, label, value in (("women", _("Varav kvinnor"), women), ("men", _("Varav män"), men)):
        if value is not None and value < 0:
            errors.append(
                Problem(field, _("%(label)s: kan inte vara negativt.") % {"label": label})
            )
    if (women or 0) + (men or 0) > total:
        errors.append(
            Problem(
                "total", _("Antal totalt: kan inte vara mindre än kvinnor och män tillsammans.")
            )
        )
    return errors


def count_errors(women: int, men: int) -> list[Problem]:
    errors = []
    if women < 0:
        errors.append(Problem("women", _("Kvinnor: antalet kan inte vara negativt.")))
    if men < 0:
        errors.append(Problem("men", _("Män: antalet kan inte vara negativt.")))
    return errors


# Key prefix of a precise orientation per orientation (reference.codelists_seed, repeated here
# so that this module stays free of other packages).
PRECISE_PREFIXES: dict[str, str] = {"individual": "individ_", "structural": "struktur_"}
ORIENTATION_NAMES: dict[str, str] = {
    "individual": gettext_noop("individinriktad"),
    "structural": gettext_noop("strukturövergripande"),
}
VOLUME = "volume"


def combination_errors(
    orientation: str | None, precise_key: str | None, precise_label: str = ""
) -> list[Problem]:
    """A precise orientation must refine the insats's own orientation."""
    if not orientation or not precise_key or orientation not in PRECISE_PREFIXES:
        return []
    if precise_key.startswith(PRECISE_PREFIXES[orientation]):
        return []
    other = next(
        (o for o, prefix in PRECISE_PREFIXES.items() if precise_key.startswith(prefix)), None
    )
    if other is None:
        return []
    return [
        Problem(
            "precise_orientation",
            _(
                "Preciserad inriktning: ”%(precise)s” hör till %(other)s insatser och kan inte "
                "väljas för en %(own)s insats. Välj en preciserad inriktning för %(own)s "
                "insatser, eller ingen."
            )
            % {
                "precise": precise_label or precise_key,
                "other": _(ORIENTATION_NAMES[other]),
                "own": _(ORIENTATION_NAMES[orientation]),
            },
        )
    ]


def assignment_errors(follow_up_method: str) -> list[Problem]:
    """A volume insats has no identified participants, so it has no deltagaransvariga."""
    if follow_up_method == VOLUME:
        return [
            Problem(
                "user",
                _(
                    "Deltagaransvarig: en insats som följs upp med volym har inga registrerade "
                    "deltagare och därför inga deltagaransvariga."
                ),
            )
        ]
    return []
