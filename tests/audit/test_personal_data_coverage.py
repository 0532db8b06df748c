"""Audit a förbund's granskare can rely on (issue 9 §4).

The list of personal-data views is generated, not written down: every page in the URL map and
every operation in the OpenAPI document under the participant areas must carry the personal-data
mark, and every marked one is called here, by the deltagaransvarig (allowed) and by a
rapportläsare of the same förbund (refused). Each call must record its audit events WITH the
förbund, so the förbund's granskare sees them, and marked pages are never cached.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from stegvis.access.models import InterventionAssignment
from stegvis.access.personal_data import OPENAPI_MARK, is_personal_data
from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent
from stegvis.participants import services
from stegvis.participants.models import Measurement
from tests import factories
from tests.participants.conftest import (
    consent,
    end_measurement,
    make_intervention,
    make_pnr,
    start_measurement,
)

pytestmark = pytest.mark.django_db

PNR = make_pnr(dt.date(1980, 4, 4), serial=31)
OTHER_PNR = make_pnr(dt.date(1981, 5, 5), serial=32)
PARTICIPANT_PREFIXES = ("deltagare/", "integritet/registerutdrag/")
API_PARTICIPANT_PREFIX = "/api/v1/participations"

# Pages under the participant area that show no personal data, and why.
NOT_PERSONAL = {
    "participants:index": "lists the user's insatser and numbers of due follow-ups only",
    "participants:questions": "the förbund's kompletterande frågor (administrators' settings)",
}


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> list[tuple[str, str, Any]]:
    """(route, namespaced name, view) of every page in the URL map."""
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            found.extend(_patterns(entry, route, namespace))
        elif isinstance(entry, URLPattern):
            found.append((route, f"{ns}{entry.name}", entry.callback))
    return found


def personal_data_pages() -> dict[str, str]:
    """Namespaced name → route of every page marked as handling personal data."""
    return {
        name: route for route, name, view in _patterns(get_resolver())
        if is_personal_data(view)
    }


def test_every_page_in_the_participant_area_is_marked():
    unmarked = [
        (route, name) for route, name, view in _patterns(get_resolver())
        if route.startswith(PARTICIPANT_PREFIXES) and not is_personal_data(view)
        and name not in NOT_PERSONAL
    ]
    assert unmarked == []
    assert len(personal_data_pages()) >= 10


def _openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_participant_operation_in_the_openapi_document_is_marked(client, personas):
    client.force_login(personas.officer_a)
    paths = _openapi(client)["paths"]
    under = {p: ops for p, ops in paths.items() if p.startswith(API_PARTICIPANT_PREFIX)}
    assert len(under) >= 4
    unmarked = [
        (method.upper(), path) for path, ops in under.items() for method, op in ops.items()
        if not op.get(OPENAPI_MARK)
    ]
    assert unmarked == []


# --- the world the calls run in --------------------------------------------------------------


@dataclass
class World:
    a: Any
    officer: Any
    reader: Any
    insats: Any
    participation: Any
    ended: Any
    measurement: Any
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(personas) -> World:
    insats = make_intervention(personas.a)
    InterventionAssignment.objects.create(intervention=insats, user=personas.officer_a)
    start = dt.date(2024, 2, 1)

    def start_one(number: str):
        return services.participation_start(
            actor=personas.officer_a, intervention=insats, personnummer=number,
            consent=consent(start), protected_identity=False, referred_by="kommun",
            start_date=start, residence="0136", measurement=start_measurement(),
        )

    participation = start_one(PNR)
    ended = start_one(OTHER_PNR)
    # A colleague and a second insats, for the change-of-coach and change-of-insats pages.
    colleague = factories.UserFactory(username="kollega_a")
    factories.grant(colleague, Role.PARTICIPANT_OFFICER.value, personas.a)
    InterventionAssignment.objects.create(intervention=insats, user=colleague)
    target = make_intervention(personas.a, name="Nästa steg")
    InterventionAssignment.objects.create(intervention=target, user=personas.officer_a)
    services.participation_end(
        actor=personas.officer_a, participation=ended,
        end_date=dt.date.today() - dt.timedelta(days=100), exit_reason="arbete",
        measurement=end_measurement(),
    )
    return World(
        a=personas.a,
        officer=personas.officer_a,
        reader=personas.reader_a,
        insats=insats,
        participation=participation,
        ended=ended,
        measurement=Measurement.objects.filter(participation=participation).first(),
        extra={"coach": colleague, "target": target},
    )


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    data: dict[str, Any] | None = None
    json: bool = False

    def run(self, client: Client):
        if self.method == "GET":
            return client.get(self.url)
        if self.json:
            return client.post(self.url, json.dumps(self.data), content_type="application/json")
        return client.post(self.url, self.data or {})


def registration_form() -> dict[str, Any]:
    return {
        "personnummer": make_pnr(dt.date(1979, 3, 3), serial=55),
        "consent_date": "2024-01-25",
        "consent_form_version": "2024:1",
        "consent_scope_registration": "on",
        "consent_follow_up": "on",
        "referred_by": "arbetsformedlingen",
        "start_date": "2024-02-01",
        "residence": "0180",
        "income_sources": ["forsorjningsstod"],
        "activity_annan_insats": "25",
        "education_level": "gymnasial",
        "public_support_duration": "2_5_ar",
        "step": "steg_2",
        "form_token": "token-coverage",
    }


def page_calls(w: World) -> dict[str, Call]:
    """How to use every personal-data page (a new marked page must be added here)."""
    p, i = w.participation.pk, w.insats.pk
    return {
        "participants:search": Call("POST", "/deltagare/sok/", {"personnummer": PNR}),
        "followup:worklist": Call("GET", "/deltagare/uppfoljning/"),
        "participants:intervention": Call("GET", f"/deltagare/insats/{i}/"),
        "participants:register": Call("POST", f"/deltagare/insats/{i}/registrera/",
                                      registration_form()),
        "participants:anonymous": Call("POST", f"/deltagare/insats/{i}/anonym/",
                                       {"sex": "K", "start_year": "2024"}),
        "participants:detail": Call("GET", f"/deltagare/{p}/"),
        "participants:reveal": Call("POST", f"/deltagare/{p}/visa-personnummer/",
                                    {"reason": "Kontroll av identitet"}),
        "participants:end": Call("GET", f"/deltagare/{p}/avsluta/"),
        "participants:measure": Call("GET", f"/deltagare/{p}/matning/"),
        "participants:mark_error": Call("GET", f"/deltagare/{p}/felregistrering/"),
        "participants:withdraw": Call("GET", f"/deltagare/{p}/aterkalla-samtycke/"),
        "participants:correct": Call("GET", f"/deltagare/matning/{w.measurement.pk}/ratta/"),
        "participants:reference": Call("POST", f"/deltagare/{p}/egen-referens/",
                                       {"own_reference": "Anna"}),
        "participants:coach_move": Call("POST", f"/deltagare/{p}/byt-deltagaransvarig/",
                                        {"coach": str(w.extra["coach"].pk)}),
        "participants:intervention_move": Call("POST", f"/deltagare/{p}/byt-insats/",
                                               {"target": str(w.extra["target"].pk)}),
        "privacy:extract": Call("POST", "/integritet/registerutdrag/", {"personnummer": PNR}),
    }


def api_calls(w: World) -> dict[tuple[str, str], Call]:
    """How to use every personal-data API operation, keyed by (method, OpenAPI path)."""
    base = API_PARTICIPANT_PREFIX
    measurement = {"income_sources": ["lon_eget_foretag"],
                   "activities": [{"activity": "arbete_osubventionerat", "extent_pct": 100}],
                   "education_level": "gymnasial", "step": "steg_6"}
    return {
        ("GET", f"{base}/follow-ups/due"): Call("GET", f"{base}/follow-ups/due"),
        ("POST", f"{base}/"): Call("POST", f"{base}/", {
            "intervention_id": w.insats.pk,
            "personnummer": make_pnr(dt.date(1977, 7, 7), serial=66),
            "consent": {"date": "2024-03-01", "form_version": "2024:1"},
            "referred_by": "forsakringskassan",
            "start_date": "2024-03-01",
            "residence": "0180",
            "measurement": {**measurement, "public_support_duration": "under_1_ar",
                            "step": "steg_1"},
        }, json=True),
        ("GET", f"{base}/{{participation_id}}"): Call("GET", f"{base}/{w.participation.pk}"),
        ("POST", f"{base}/{{participation_id}}/end"): Call(
            "POST", f"{base}/{w.participation.pk}/end",
            {"end_date": (dt.date.today() - dt.timedelta(days=1)).isoformat(),
             "exit_reason": "arbete", "measurement": measurement}, json=True),
        ("POST", f"{base}/{{participation_id}}/measurements"): Call(
            "POST", f"{base}/{w.ended.pk}/measurements",
            {"occasion": "followup_3m",
             "measurement": {**measurement, "date": dt.date.today().isoformat()}}, json=True),
    }


def _events_of(call: Call, client: Client) -> tuple[Any, list[AuditEvent]]:
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = call.run(client)
    return response, list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def _signed_in(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _check_allowed(w: World, name: str, call: Call) -> None:
    response, events = _events_of(call, _signed_in(w.officer))
    assert response.status_code in (200, 201, 302), (name, response.status_code,
                                                      response.content[:300])
    assert events, f"{name}: no audit event"
    assert [e for e in events if e.association_id != w.a.pk] == [], (
        name, [(e.action, e.association_id) for e in events])
    assert "no-store" in response.get("Cache-Control", ""), name


def _check_refused(w: World, name: str, call: Call) -> None:
    response, events = _events_of(call, _signed_in(w.reader))
    assert response.status_code in (403, 404), (name, response.status_code)
    refusals = [e for e in events if e.action == Action.PERMISSION_DENIED]
    assert refusals, f"{name}: refused attempt not recorded"
    assert {e.association_id for e in refusals} == {w.a.pk}, name
    assert all(e.actor == w.reader for e in refusals)


def test_every_personal_data_page_is_audited_with_the_forbund_allowed_or_refused(world):
    calls = page_calls(world)
    marked = personal_data_pages()
    assert set(marked) == set(calls), "add the new personal-data page to page_calls()"
    for name, call in calls.items():
        _check_refused(world, name, call)
        _check_allowed(world, name, call)


def test_every_personal_data_api_operation_is_audited_with_the_forbund(world):
    officer = _signed_in(world.officer)
    paths = _openapi(officer)["paths"]
    marked = {
        (method.upper(), path) for path, ops in paths.items() for method, op in ops.items()
        if op.get(OPENAPI_MARK)
    }
    calls = api_calls(world)
    assert marked == set(calls), "add the new personal-data operation to api_calls()"
    for key, call in calls.items():
        _check_refused(world, str(key), call)
        _check_allowed(world, str(key), call)


# --- reads spanning several förbund, and searches that find nothing --------------------------


@pytest.fixture
def officer_in_two(world, personas):
    """officer_a is also deltagaransvarig in B, assigned to an insats there."""
    factories.grant(personas.officer_a, "deltagaransvarig", personas.b)
    insats_b = make_intervention(personas.b, name="Beta-insatsen")
    InterventionAssignment.objects.create(intervention=insats_b, user=personas.officer_a)
    return insats_b


@pytest.mark.parametrize(
    ("number", "valid", "hits"),
    [(PNR, True, 1), (make_pnr(dt.date(1990, 1, 1), serial=11), True, 0),
     ("19900101-0000", False, 0)],
    ids=["hit", "miss", "invalid"],
)
def test_search_records_one_event_per_forbund_searched(
    world, personas, officer_in_two, number, valid, hits
):
    response, events = _events_of(
        Call("POST", "/deltagare/sok/", {"personnummer": number}), _signed_in(world.officer)
    )
    assert response.status_code in (200, 400)
    searches = [e for e in events if e.action == Action.SEARCH]
    assert sorted(e.association_id for e in searches) == sorted([personas.a.pk, personas.b.pk])
    by_association = {e.association_id: e.details for e in searches}
    assert by_association[personas.a.pk]["hits"] == hits
    assert by_association[personas.a.pk]["valid"] is valid
    assert by_association[personas.b.pk]["hits"] == 0
    assert number.replace("-", "") not in str([e.details for e in events])


def test_worklist_spanning_two_forbund_records_one_event_each(world, personas, officer_in_two):
    for call in (Call("GET", "/deltagare/uppfoljning/"),
                 Call("GET", f"{API_PARTICIPANT_PREFIX}/follow-ups/due")):
        _response, events = _events_of(call, _signed_in(world.officer))
        reads = {e.association_id: e.details for e in events if e.action == Action.READ}
        assert set(reads) == {personas.a.pk, personas.b.pk}
        assert reads[personas.a.pk]["participations"] == [world.ended.pk]
        assert reads[personas.b.pk]["participations"] == []


def test_forbund_granskare_sees_the_reads_and_refusals(world, personas):
    from stegvis.audit_review.selectors import events_for

    for user in (world.officer, world.reader):
        page_calls(world)["followup:worklist"].run(_signed_in(user))
        page_calls(world)["participants:detail"].run(_signed_in(user))
    seen = events_for(user=personas.auditor_a)
    actions = {(e.actor_username, e.action) for e in seen}
    assert ("officer_a", Action.READ) in actions
    assert ("reader_a", Action.PERMISSION_DENIED) in actions
    assert not events_for(user=personas.auditor_a).filter(association__isnull=True).exclude(
        action__in=(Action.LOGIN, Action.LOGIN_FAILED)
    ).exists()
