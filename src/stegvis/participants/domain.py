"""The registration rules of a participation, with their Swedish messages. Pure: no Django imports.

Single registration (the pages, through ``services``), the bulk import (``imports``) and the API
(through ``services``) all call these functions, so what one accepts the others accept too.
The database is reached only by the callers: they hand over what the rules need to know as
plain values (a :class:`Catalogue` of codes, municipalities, members and questions, and a
function telling whether a person already takes part in the insats).

Each function returns a list of :class:`Problem` (empty when the input is fine), keyed by the
field names of the registration form; measurement fields can be prefixed (the import writes
``end.income_sources``). Messages start with the field's Swedish label and never contain a
personnummer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from stegvis.lib import dates, freetext
from stegvis.lib import personnummer as pnr
from stegvis.lib.i18n import gettext as _
from stegvis.lib.i18n import gettext_noop
from stegvis.lib.problems import Problem
from stegvis.participants import followup

MIN_AGE = 16
MAX_AGE = 67
EXIT_REASON_ERROR = "felregistrering"
RATINGS = ("rating_work", "rating_health", "rating_future")

# Occasions (participants.models.Occasion values).
START, INTERIM, END = "start", "interim", "end"
FOLLOW_UPS = tuple(followup.FOLLOW_UP_MONTHS)

# Code lists (reference.models.CodeList values).
INCOME_SOURCE = "income_source"
ACTIVITY = "activity"
EDUCATION_LEVEL = "education_level"
PUBLIC_SUPPORT_DURATION = "public_support_duration"
REFERRED_BY = "referred_by"
EXIT_REASON = "exit_reason"
PROGRESSION_STEP = "progression_step"

# Answer types of supplementary questions (participants.models.AnswerType values).
YES_NO, NUMBER = "yes_no", "number"

MSG_PROTECTED = gettext_noop(
    "Skyddad identitet: personer med skyddade personuppgifter registreras aldrig med "
    "personnummer. Räkna personen i insatsens anonyma räkning i stället."
)
MSG_NOT_IDENTIFIED = gettext_noop(
    "Insats: insatsen följs inte upp med identifierade deltagare. Använd anonym räkning eller "
    "volymräkning."
)
MSG_SECOND_OPEN = gettext_noop(
    "Personnummer: personen har redan ett pågående deltagande i insatsen."
)
MSG_SECOND_OPEN_IN_FILE = gettext_noop(
    "Personnummer: personen har redan ett pågående deltagande på en annan rad i filen."
)
MSG_RATING = gettext_noop("Självskattning: ange ett värde från 1 till 10.")
MSG_UNKNOWN_MUNICIPALITY = gettext_noop("Bostadskommun: okänd kommun.")


def msg_unknown_code(label: str) -> str:
    return _("%(label)s: okänd kod.") % {"label": label}


@dataclass
class ConsentInput:
    date: dt.date | None
    form_version: str
    scope_registration: bool = True
    scope_follow_up: bool = False
    sharing_parties: list[int] = field(default_factory=list)  # Organisation ids


@dataclass
class MeasurementInput:
    """One measurement; codes by their stable keys."""

    date: dt.date | None = None  # defaults to the start/end date for those occasions
    income_sources: list[str] = field(default_factory=list)
    activities: list[tuple[str, int | None]] = field(default_factory=list)  # (key, extent %)
    education_level: str | None = None
    public_support_duration: str | None = None  # start only
    step: str | None = None
    rating_work: int | None = None
    rating_health: int | None = None
    rating_future: int | None = None
    answers: dict[int, str] = field(default_factory=dict)  # SupplementaryQuestion id -> answer


@dataclass
class Registration:
    """Everything a start of a participation is registered with."""

    personnummer: str = field(repr=False)
    consent: ConsentInput
    referred_by: str | None
    start_date: dt.date | None
    residence: str | None
    measurement: MeasurementInput
    protected_identity: bool = False
    confirm_young: bool = False


@dataclass(frozen=True)
class Validity:
    """When a code (or question) may be used."""

    valid_from: dt.date
    valid_to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Question:
    """A förbund's supplementary question."""

    occasion: str  # "start" or "end"
    answer_type: str
    validity: Validity


@dataclass(frozen=True)
class InterventionFacts:
    start_date: dt.date
    end_date: dt.date | None
    identified: bool  # individual orientation followed up with identified participants


@dataclass
class Catalogue:
    """What the rules need to know from the database, as plain values."""

    today: dt.date
    codes: Mapping[tuple[str, str], Validity] = field(default_factory=dict)  # (list, key)
    municipalities: Collection[str] = ()
    member_ids: Collection[int] = ()  # organisations of the förbund
    questions: Mapping[int, Question] = field(default_factory=dict)  # of the förbund


class _Problems(list[Problem]):
    def add(self, name: str, message: str) -> None:
        self.append(Problem(name, message))


def _code(
    problems: _Problems, name: str, label: str, code_list: str, key: str | None,
    day: dt.date, cat: Catalogue, *, required: bool,
) -> None:
    if not key:
        if required:
            problems.add(name, _("%(label)s: välj ett värde.") % {"label": label})
        return
    validity = cat.codes.get((code_list, key))
    if validity is None:
        problems.add(name, msg_unknown_code(label))
    elif not validity.covers(day):
        problems.add(name, _("%(label)s: koden gäller inte det datumet.") % {"label": label})


def _day_problem(
    problems: _Problems, name: str, label: str, day: dt.date, today: dt.date
) -> None:
    """A day something happened: not in the future, not before Finsam."""
    if day > today:
        problems.add(name, _("%(label)s: datumet kan inte ligga i framtiden.") % {"label": label})
    elif problem := dates.date_problem(label, day, today=today):
        problems.add(name, problem)


def intervention_problems(intervention: InterventionFacts) -> list[Problem]:
    """Only an identified, individual insats has registered participants."""
    return [] if intervention.identified else [Problem("intervention", _(MSG_NOT_IDENTIFIED))]


def measurement_problems(
    m: MeasurementInput, *, occasion: str, day: dt.date | None, cat: Catalogue,
    prefix: str = "",
) -> list[Problem]:
    """A measurement's own rules: its date, codes, extents, ratings and answers."""
    problems = _Problems()
    if day is None:
        problems.add("measurement_date", _("Mätdatum: ange ett datum."))
        day = cat.today
    else:
        _day_problem(problems, "measurement_date", _("Mätdatum"), day, cat.today)
    full = occasion in (START, END)

    if not m.income_sources:
        problems.add("income_sources", _("Försörjning: välj minst en försörjningskälla."))
    for key in dict.fromkeys(m.income_sources):
        _code(problems, "income_sources", _("Försörjning"), INCOME_SOURCE, key, day, cat,
              required=True)

    if not m.activities:
        problems.add("activities", _("Sysselsättning: välj minst en sysselsättning."))
    seen: set[str] = set()
    for key, pct in m.activities:
        if key in seen:
            problems.add(
                "activities", _("Sysselsättning: samma sysselsättning är vald två gånger.")
            )
            continue
        seen.add(key)
        _code(problems, "activities", _("Sysselsättning"), ACTIVITY, key, day, cat, required=True)
        if pct is None:
            problems.add(
                "activities", _("Omfattning: ange omfattning i procent för varje sysselsättning.")
            )
        elif not 0 <= pct <= 100:
            problems.add("activities", _("Omfattning: ange en procentsats mellan 0 och 100."))

    _code(problems, "education_level", _("Utbildningsnivå"), EDUCATION_LEVEL, m.education_level,
          day, cat, required=full)
    if occasion == START:
        _code(problems, "public_support_duration", _("Tid i offentlig försörjning"),
              PUBLIC_SUPPORT_DURATION, m.public_support_duration, day, cat, required=True)
    elif m.public_support_duration:
        problems.add("public_support_duration",
                     _("Tid i offentlig försörjning: anges bara vid start."))
    _code(problems, "step", _("Steg"), PROGRESSION_STEP, m.step, day, cat, required=full)

    for name in RATINGS:
        value = getattr(m, name)
        if value is not None and not 1 <= value <= 10:
            problems.add(name, _(MSG_RATING))

    answers = {qid: (raw or "").strip() for qid, raw in m.answers.items()}
    answers = {qid: value for qid, value in answers.items() if value}
    if answers and not full:
        problems.add("answers", _("Kompletterande frågor: besvaras bara vid start eller avslut."))
    elif answers:
        for qid, value in answers.items():
            question = cat.questions.get(int(qid))
            if question is None or question.occasion != occasion or not (
                question.validity.covers(day)
            ):
                problems.add("answers", _("Kompletterande frågor: okänd eller ogiltig fråga."))
            elif question.answer_type == YES_NO and value not in ("ja", "nej"):
                problems.add(f"answer_{qid}", _("Kompletterande fråga: svara ja eller nej."))
            elif question.answer_type == NUMBER and not _is_number(value):
                problems.add(f"answer_{qid}", _("Kompletterande fråga: ange ett tal."))
            elif freetext.contains_personnummer(value, today=cat.today):
                problems.add(
                    f"answer_{qid}",
                    _("Kompletterande fråga: svaret får inte innehålla personnummer."),
                )
    return [Problem(f"{prefix}{p.field}", p.message) for p in problems]


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", "."))
    except ValueError:
        return False
    return True


def registration_problems(
    reg: Registration,
    *,
    intervention: InterventionFacts,
    cat: Catalogue,
    already_open: Callable[[pnr.Identity], bool],
    prefix: str = "",
) -> tuple[pnr.Identity | None, list[Problem]]:
    """Every rule of a start: identity, age, dates, consent, codes and the start measurement.

    Returns the parsed identity (``None`` if the number is invalid) and the problems, in the
    order of the form. ``already_open`` tells whether the person already has an open
    participation in the insats. ``prefix`` is put before the start measurement's field names.
    """
    if reg.protected_identity:
        return None, [Problem("protected_identity", _(MSG_PROTECTED))]
    if refused := intervention_problems(intervention):
        return None, refused
    problems = _Problems()
    ident = _identity(problems, reg, cat.today)
    _start_date(problems, reg.start_date, intervention, cat.today)
    if ident is not None and reg.start_date is not None:
        _age_at_start(problems, ident, reg)
    _consent(problems, reg, cat)
    _referral_and_residence(problems, reg, cat)
    _start_measurement(problems, reg, cat, prefix)
    if ident is not None and already_open(ident):
        problems.add("personnummer", _(MSG_SECOND_OPEN))
    return ident, list(problems)


def _identity(problems: _Problems, reg: Registration, today: dt.date) -> pnr.Identity | None:
    try:
        return pnr.parse(reg.personnummer, today=today)
    except pnr.PersonnummerError as exc:
        problems.add("personnummer", _("Personnummer: %(reason)s") % {"reason": exc.message})
        return None


def _start_date(
    problems: _Problems, start: dt.date | None, intervention: InterventionFacts, today: dt.date
) -> None:
    """The start lies within the insats and is a plausible day that has happened."""
    if start is None:
        problems.add("start_date", _("Startdatum: ange ett datum."))
        return
    if start < intervention.start_date:
        problems.add(
            "start_date",
            _(
                "Startdatum: insatsen började %(date)s; deltagandet kan inte starta före det."
            ) % {"date": intervention.start_date.isoformat()},
        )
    if intervention.end_date is not None and start > intervention.end_date:
        problems.add(
            "start_date",
            _(
                "Startdatum: insatsen slutade %(date)s; deltagandet kan inte starta efter det."
            ) % {"date": intervention.end_date.isoformat()},
        )
    _day_problem(problems, "start_date", _("Startdatum"), start, today)


def _age_at_start(problems: _Problems, ident: pnr.Identity, reg: Registration) -> None:
    """Too old is refused; too young must be confirmed."""
    assert reg.start_date is not None  # the caller checks
    age = ident.age_on(reg.start_date)
    if age > MAX_AGE:
        problems.add(
            "personnummer",
            _(
                "Personnummer: personen är över %(age)s år vid start och kan inte registreras."
            ) % {"age": MAX_AGE},
        )
    elif age < MIN_AGE and not reg.confirm_young:
        problems.add(
            "confirm_young",
            _(
                "Personen är under %(age)s år vid start. Kontrollera uppgifterna och bekräfta "
                "att personen ska registreras."
            ) % {"age": MIN_AGE},
        )


def _consent(problems: _Problems, reg: Registration, cat: Catalogue) -> None:
    """The consent's date, form version, scope and the parties it may be shared with."""
    consent, start, today = reg.consent, reg.start_date, cat.today
    if consent.date is None:
        problems.add("consent_date", _("Datum för samtycke: ange ett datum."))
    elif start is not None and consent.date > start:
        problems.add(
            "consent_date",
            _("Datum för samtycke: samtycket måste vara lämnat senast på startdatumet."),
        )
    else:
        _day_problem(problems, "consent_date", _("Datum för samtycke"), consent.date, today)
    version = (consent.form_version or "").strip()
    if not version:
        problems.add(
            "consent_form_version", _("Blankettversion: ange samtyckesblankettens version.")
        )
    elif len(version) > 40:
        problems.add("consent_form_version", _("Blankettversion: högst 40 tecken."))
    elif problem := freetext.text_problem(_("Blankettversion"), version, today=today):
        problems.add("consent_form_version", problem)
    if not consent.scope_registration:
        problems.add(
            "consent_scope_registration",
            _("Samtycke: utan samtycke till registrering kan personen bara räknas anonymt."),
        )
    if not set(consent.sharing_parties) <= set(cat.member_ids):
        problems.add(
            "consent_sharing_parties", _("Delning mellan parter: välj bland förbundets medlemmar.")
        )


def _referral_and_residence(problems: _Problems, reg: Registration, cat: Catalogue) -> None:
    day = reg.start_date or cat.today
    _code(problems, "referred_by", _("Aktualiserad av"), REFERRED_BY, reg.referred_by, day, cat,
          required=True)
    if not reg.residence:
        problems.add("residence", _("Bostadskommun: välj en kommun."))
    elif reg.residence not in cat.municipalities:
        problems.add("residence", _(MSG_UNKNOWN_MUNICIPALITY))


def _start_measurement(problems: _Problems, reg: Registration, cat: Catalogue, prefix: str) -> None:
    """The start measurement's own rules, and that it is made on the start date."""
    start, m = reg.start_date, reg.measurement
    measured = measurement_problems(m, occasion=START, day=m.date or start, cat=cat, prefix=prefix)
    problems.extend(measured)
    if not measured and start is not None and m.date is not None and m.date != start:
        problems.add(
            f"{prefix}measurement_date", _("Mätdatum: startmätningen görs på startdatumet.")
        )


def ending_problems(
    *,
    start_date: dt.date,
    end_date: dt.date | None,
    exit_reason: str | None,
    measurement: MeasurementInput | None,
    cat: Catalogue,
    prefix: str = "",
) -> list[Problem]:
    """Every rule of an end: the end date, the exit reason and the end measurement."""
    problems = _Problems()
    if end_date is None:
        problems.add("end_date", _("Slutdatum: ange ett datum."))
    elif end_date < start_date:
        problems.add("end_date", _("Slutdatum: slutdatum kan inte vara före startdatum."))
    else:
        _day_problem(problems, "end_date", _("Slutdatum"), end_date, cat.today)
    if exit_reason == EXIT_REASON_ERROR:
        problems.add(
            "exit_reason",
            _(
                "Avslutsanledning: använd ”Markera som felregistrering” för att ta bort "
                "deltagandet ur statistiken."
            ),
        )
    else:
        _code(problems, "exit_reason", _("Avslutsanledning"), EXIT_REASON, exit_reason,
              end_date or cat.today, cat, required=True)
    m = measurement or MeasurementInput()
    measured = measurement_problems(m, occasion=END, day=m.date or end_date, cat=cat,
                                    prefix=prefix)
    problems.extend(measured)
    if not measured and end_date is not None and m.date is not None and m.date != end_date:
        problems.add(f"{prefix}measurement_date", _("Mätdatum: slutmätningen görs på slutdatumet."))
    return list(problems)


def later_measurement_problems(
    *,
    occasion: str,
    start_date: dt.date,
    end_date: dt.date | None,
    consent_follow_up: bool,
    measurement: MeasurementInput,
    cat: Catalogue,
    closed: bool = False,
    prefix: str = "",
) -> list[Problem]:
    """An interim measurement while the participation runs, or a follow-up after its end.

    ``closed`` tells whether the follow-up was already closed without a measurement.
    """
    problems = _Problems()
    day = measurement.date
    if occasion == INTERIM:
        if end_date is not None:
            problems.add("occasion", _("Mättillfälle: delmätningar görs medan deltagandet pågår."))
        elif day is not None and day < start_date:
            problems.add("measurement_date", _("Mätdatum: datumet är före deltagandets start."))
    elif occasion in FOLLOW_UPS:
        if end_date is None:
            problems.add(
                "occasion", _("Mättillfälle: uppföljning görs efter att deltagandet avslutats.")
            )
        elif not consent_follow_up:
            problems.add(
                "occasion", _("Mättillfälle: samtycket omfattar inte uppföljning efter avslut.")
            )
        elif closed:
            problems.add(
                "occasion", _("Mättillfälle: uppföljningen är redan avslutad utan mätning.")
            )
        elif day is not None and not followup.in_window(end_date, occasion, day):
            first, last = followup.window(end_date, occasion)
            problems.add(
                "measurement_date",
                _("Mätdatum: uppföljningen registreras med ett datum från %(first)s till %(last)s.")
                % {"first": first.isoformat(), "last": last.isoformat()},
            )
    else:
        problems.add("occasion", _("Mättillfälle: välj delmätning eller en uppföljning."))
    problems.extend(measurement_problems(measurement, occasion=occasion, day=day, cat=cat))
    return [Problem(f"{prefix}{p.field}", p.message) for p in problems]
