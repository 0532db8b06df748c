"""One set of registration rules (issue 9 §6, §7): every rule is run against all three entry
points, the registration page, the bulk import and the API, and each refuses with the same
Swedish message and writes nothing."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.urls import reverse

from stegvis.lib.dates import add_months
from stegvis.participants import domain, followup
from stegvis.participants.forms import MSG_OCCASION_NOT_OFFERED
from stegvis.participants.imports import ImportRejected, ImportRow, participations_import
from stegvis.participants.models import Measurement, Participation
from stegvis.participants.services import ConsentInput, MeasurementInput
from tests.participants.conftest import end_measurement, make_pnr, start_measurement

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
# Ended three months ago, so the 3-month follow-up is open today (the page offers only those).
END = add_months(TODAY, -3)
START = add_months(END, -6)
FIRST, LAST = followup.window(END, "followup_3m")
_tokens = itertools.count()


@dataclass
class History:
    """One participant's history, as every entry point takes it."""

    personnummer: str = field(default_factory=lambda: make_pnr(dt.date(1990, 5, 17)))
    start_date: dt.date = START
    consent: ConsentInput = field(
        default_factory=lambda: ConsentInput(date=START, form_version="2024:1",
                                             scope_follow_up=True)
    )
    referred_by: str = "kommun"
    residence: str = "0180"
    confirm_young: bool = False
    start: MeasurementInput = field(default_factory=start_measurement)
    end_date: dt.date | None = None
    exit_reason: str = "arbete"
    end: MeasurementInput = field(default_factory=end_measurement)
    follow_up: tuple[str, MeasurementInput] | None = None


def _follow_up(day: dt.date) -> tuple[str, MeasurementInput]:
    return ("followup_3m", end_measurement(date=day, education_level=None, step=None))


# --- the three entry points ----------------------------------------------------------------


def _measurement_form(m: MeasurementInput) -> dict[str, Any]:
    data: dict[str, Any] = {
        "income_sources": list(m.income_sources),
        "education_level": m.education_level or "",
        "public_support_duration": m.public_support_duration or "",
        "step": m.step or "",
    }
    data.update({f"activity_{key}": str(pct) for key, pct in m.activities})
    for name in domain.RATINGS:
        if getattr(m, name) is not None:
            data[name] = str(getattr(m, name))
    if m.date is not None:
        data["measurement_date"] = m.date.isoformat()
    return data


def _measurement_json(m: MeasurementInput) -> dict[str, Any]:
    body: dict[str, Any] = {
        "income_sources": list(m.income_sources),
        "activities": [{"activity": k, "extent_pct": pct} for k, pct in m.activities],
        "education_level": m.education_level,
        "public_support_duration": m.public_support_duration,
        "step": m.step,
        **{name: getattr(m, name) for name in domain.RATINGS},
    }
    if m.date is not None:
        body["date"] = m.date.isoformat()
    return body


def via_page(client: Any, insats: Any, h: History) -> str:
    """Register, end and follow up on the pages; the text of the first page that refuses."""
    data = {
        "personnummer": h.personnummer,
        "consent_date": h.consent.date.isoformat() if h.consent.date else "",
        "consent_form_version": h.consent.form_version,
        "referred_by": h.referred_by,
        "start_date": h.start_date.isoformat(),
        "residence": h.residence,
        "form_token": f"token-{next(_tokens)}",  # a new form each time
        **_measurement_form(h.start),
    }
    data.pop("measurement_date", None)
    for name, on in (("consent_scope_registration", h.consent.scope_registration),
                     ("consent_follow_up", h.consent.scope_follow_up),
                     ("confirm_young", h.confirm_young)):
        if on:
            data[name] = "on"
    response = client.post(reverse("participants:register", args=[insats.pk]), data)
    if response.status_code != 302:
        return html.unescape(response.content.decode())
    pk = Participation.objects.order_by("-pk").first().pk
    if h.end_date is not None:
        end = {"end_date": h.end_date.isoformat(), "exit_reason": h.exit_reason,
               **_measurement_form(h.end)}
        end.pop("measurement_date", None)
        response = client.post(reverse("participants:end", args=[pk]), end)
        if response.status_code != 302:
            return html.unescape(response.content.decode())
    if h.follow_up is not None:
        occasion, m = h.follow_up
        response = client.post(reverse("participants:measure", args=[pk]),
                               {"occasion": occasion, **_measurement_form(m)})
        if response.status_code != 302:
            return html.unescape(response.content.decode())
    return ""


def via_import(client: Any, insats: Any, h: History, actor: Any) -> str:
    row = ImportRow(
        personnummer=h.personnummer, referred_by=h.referred_by, start_date=h.start_date,
        residence=h.residence, consent=h.consent, start=h.start, confirm_young=h.confirm_young,
        end_date=h.end_date, exit_reason=h.exit_reason if h.end_date else None,
        end=h.end if h.end_date else None,
        follow_ups=dict([h.follow_up]) if h.follow_up else {},
    )
    try:
        participations_import(actor=actor, intervention=insats, rows=[row], today=TODAY)
    except ImportRejected as rejected:
        return "\n".join(f"{p.row} {p.field} {p.message}" for p in rejected.problems)
    return ""


def via_api(client: Any, insats: Any, h: History) -> str:
    def post(url: str, body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    response = post("/api/v1/participations/", {
        "intervention_id": insats.pk,
        "personnummer": h.personnummer,
        "consent": {"date": h.consent.date.isoformat() if h.consent.date else None,
                    "form_version": h.consent.form_version,
                    "scope_registration": h.consent.scope_registration,
                    "scope_follow_up": h.consent.scope_follow_up},
        "referred_by": h.referred_by,
        "start_date": h.start_date.isoformat(),
        "residence": h.residence,
        "confirm_young": h.confirm_young,
        "measurement": _measurement_json(h.start),
    })
    if response.status_code != 201:
        assert response.status_code == 422, response.content
        return "\n".join(e["message"] for e in response.json()["errors"])
    pk = response.json()["id"]
    if h.end_date is not None:
        response = post(f"/api/v1/participations/{pk}/end", {
            "end_date": h.end_date.isoformat(), "exit_reason": h.exit_reason,
            "measurement": _measurement_json(h.end),
        })
        if response.status_code != 200:
            assert response.status_code == 422, response.content
            return "\n".join(e["message"] for e in response.json()["errors"])
    if h.follow_up is not None:
        occasion, m = h.follow_up
        response = post(f"/api/v1/participations/{pk}/measurements",
                        {"occasion": occasion, "measurement": _measurement_json(m)})
        if response.status_code != 201:
            assert response.status_code == 422, response.content
            return "\n".join(e["message"] for e in response.json()["errors"])
    return ""


@pytest.fixture(params=["page", "import", "api"])
def submit(request, personas, insats, client_for):
    client = client_for(personas.officer_a)

    def run(h: History) -> str:
        if request.param == "page":
            return via_page(client, insats, h)
        if request.param == "import":
            return via_import(client, insats, h, personas.officer_a)
        return via_api(client, insats, h)

    run.entry = request.param  # type: ignore[attr-defined]
    return run


# --- the rules -----------------------------------------------------------------------------

FUTURE = TODAY + dt.timedelta(days=10)
YOUNG = make_pnr(add_months(START, -14 * 12))  # 14 at START
OLD = make_pnr(add_months(START, -73 * 12))  # 73 at START

START_RULES = [
    ("future start", lambda h: replace(h, start_date=FUTURE, consent=replace(h.consent,
                                                                             date=FUTURE),
                                       start=replace(h.start, date=None)),
     "Startdatum: datumet kan inte ligga i framtiden."),
    ("unknown referred-by code", lambda h: replace(h, referred_by="okand"),
     "Aktualiserad av: okänd kod."),
    ("unknown income code", lambda h: replace(h, start=replace(h.start,
                                                               income_sources=["okand"])),
     "Försörjning: okänd kod."),
    ("unknown step code", lambda h: replace(h, start=replace(h.start, step="steg_99")),
     "Steg: okänd kod."),
    ("unknown municipality", lambda h: replace(h, residence="9999"),
     domain.MSG_UNKNOWN_MUNICIPALITY),
    ("consent not covering registration",
     lambda h: replace(h, consent=replace(h.consent, scope_registration=False)),
     "Samtycke: utan samtycke till registrering kan personen bara räknas anonymt."),
    ("consent after start",
     lambda h: replace(h, consent=replace(h.consent, date=START + dt.timedelta(days=1))),
     "Datum för samtycke: samtycket måste vara lämnat senast på startdatumet."),
    ("consent before Finsam",
     lambda h: replace(h, consent=replace(h.consent, date=dt.date(2003, 12, 31))),
     "Datum för samtycke: datumet kan inte vara före 2004-01-01, då Finsam började."),
    ("under 16 without confirmation", lambda h: replace(h, personnummer=YOUNG),
     "Personen är under 16 år vid start."),
    ("over 67", lambda h: replace(h, personnummer=OLD),
     "Personnummer: personen är över 67 år vid start och kan inte registreras."),
    ("invalid personnummer", lambda h: replace(h, personnummer="19900517-0000"),
     "Personnummer: Personnumrets kontrollsiffra stämmer inte."),
    ("rating 99", lambda h: replace(h, start=replace(h.start, rating_work=99)),
     domain.MSG_RATING),
    ("extent over 100", lambda h: replace(h, start=replace(h.start,
                                                           activities=[("annan_insats", 150)])),
     "Omfattning: ange en procentsats mellan 0 och 100."),
    ("personnummer in the consent form version",
     lambda h: replace(h, consent=replace(h.consent, form_version="197306107405")),
     "Blankettversion: texten ser ut att innehålla ett personnummer."),
]


@pytest.mark.parametrize(("rule", "change", "message"), START_RULES,
                         ids=[r[0] for r in START_RULES])
def test_start_rule_refused_everywhere(request, submit, rule, change, message):
    refused = submit(change(History()))
    if rule == "personnummer in the consent form version" and "[page-" in request.node.name:
        # The page offers only the managed list's versions (issue 11): anything else is
        # refused before the rule is reached.
        message = "Blankettversion: välj en av versionerna i listan."
    assert message in refused
    assert not Participation.objects.exists()


def test_person_already_open_in_the_insats_is_refused_everywhere(submit):
    assert submit(History(personnummer=make_pnr(dt.date(1985, 1, 1), serial=5))) == ""
    refused = submit(History(personnummer=make_pnr(dt.date(1985, 1, 1), serial=5)))
    assert domain.MSG_SECOND_OPEN in refused
    assert Participation.objects.count() == 1


def test_under_16_with_confirmation_is_accepted_everywhere(submit):
    assert submit(History(personnummer=YOUNG, confirm_young=True)) == ""
    assert Participation.objects.get().age_at_start == 14


def test_a_valid_history_is_accepted_everywhere(submit):
    h = History(end_date=END, follow_up=_follow_up(TODAY))
    assert submit(h) == ""
    p = Participation.objects.get()
    assert p.end_date == END
    assert sorted(Measurement.objects.filter(participation=p).values_list("occasion", flat=True)
                  ) == ["end", "followup_3m", "start"]


LATER_RULES = [
    ("follow-up dated before the end",
     lambda h: replace(h, follow_up=_follow_up(END - dt.timedelta(days=1))),
     f"Mätdatum: uppföljningen registreras med ett datum från {FIRST.isoformat()} "
     f"till {LAST.isoformat()}."),
    # The page does not offer a follow-up without consent; the import and the API refuse it.
    ("follow-up without consent to follow-up",
     lambda h: replace(h, consent=replace(h.consent, scope_follow_up=False)),
     "Mättillfälle: samtycket omfattar inte uppföljning efter avslut."),
    ("follow-up with a rating of 99",
     lambda h: replace(h, follow_up=("followup_3m", replace(h.follow_up[1], rating_work=99))),
     domain.MSG_RATING),
    ("end before start", lambda h: replace(h, end_date=START - dt.timedelta(days=1),
                                           follow_up=None),
     "Slutdatum: slutdatum kan inte vara före startdatum."),
    ("end in the future", lambda h: replace(h, end_date=FUTURE, follow_up=None),
     "Slutdatum: datumet kan inte ligga i framtiden."),
    ("unknown exit reason", lambda h: replace(h, exit_reason="okand", follow_up=None),
     "Avslutsanledning: okänd kod."),
    ("end measurement without step",
     lambda h: replace(h, end=replace(h.end, step=None), follow_up=None),
     "Steg: välj ett värde."),
]


@pytest.mark.parametrize(("rule", "change", "message"), LATER_RULES,
                         ids=[r[0] for r in LATER_RULES])
def test_end_and_follow_up_rules_refused_everywhere(submit, rule, change, message):
    h = change(History(end_date=END, follow_up=_follow_up(TODAY)))
    refused = submit(h)
    if submit.entry == "page" and rule == "follow-up without consent to follow-up":
        message = str(MSG_OCCASION_NOT_OFFERED)
    assert message in refused
    assert not Measurement.objects.filter(occasion="followup_3m").exists()
