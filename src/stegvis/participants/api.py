"""API for participations: start, end, follow-up measurements and the due follow-ups.

Scoped exactly like the pages: only a deltagaransvarig assigned to the insats gets anything
(everyone else 404). The personnummer travels only in the JSON body of a start; responses carry
the masked number (``19850101-****``). Codes are given by their stable keys. Service errors
become 422 JSON ``{"code", "message", "errors": [{"field", "message"}]}``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from stegvis.access.personal_data import personal_data_operation
from stegvis.participants import hooks, selectors, services
from stegvis.participants.models import Measurement, Participation

router = Router(tags=["deltaganden"])


class ActivityIn(Schema):
    activity: str = Field(description="Kodnyckel i kodlistan activity")
    extent_pct: int = Field(description="Omfattning i procent av heltid, 0–100")


class MeasurementIn(Schema):
    date: dt.date | None = Field(None, description="Standard: start- respektive slutdatum")
    income_sources: list[str] = []
    activities: list[ActivityIn] = []
    education_level: str | None = None
    public_support_duration: str | None = Field(None, description="Bara vid start")
    step: str | None = None
    rating_work: int | None = None
    rating_health: int | None = None
    rating_future: int | None = None
    answers: dict[int, str] = Field({}, description="Kompletterande frågor: id → svar")

    def to_input(self) -> services.MeasurementInput:
        return services.MeasurementInput(
            date=self.date,
            income_sources=list(self.income_sources),
            activities=[(a.activity, a.extent_pct) for a in self.activities],
            education_level=self.education_level,
            public_support_duration=self.public_support_duration,
            step=self.step,
            rating_work=self.rating_work,
            rating_health=self.rating_health,
            rating_future=self.rating_future,
            answers=dict(self.answers),
        )


class ConsentIn(Schema):
    date: dt.date
    form_version: str
    scope_registration: bool = True
    scope_follow_up: bool = False
    sharing_party_ids: list[int] = []


class StartIn(Schema):
    intervention_id: int
    personnummer: str = Field(description="10 eller 12 siffror; skickas bara i kroppen")
    protected_identity: bool = False
    consent: ConsentIn
    referred_by: str
    start_date: dt.date
    residence: str = Field(description="Kommunkod, fyra siffror")
    measurement: MeasurementIn
    confirm_young: bool = False
    idempotency_key: str | None = Field(
        None, max_length=64, description="Samma nyckel två gånger skapar bara ett deltagande"
    )


class EndIn(Schema):
    end_date: dt.date
    exit_reason: str
    measurement: MeasurementIn


class RecordIn(Schema):
    occasion: str = Field(description="interim, followup_3m, followup_6m eller followup_12m")
    measurement: MeasurementIn


class ActivityOut(Schema):
    activity: str
    extent_pct: int


class MeasurementOut(Schema):
    id: int
    occasion: str
    date: dt.date
    income_sources: list[str]
    activities: list[ActivityOut]
    education_level: str | None
    public_support_duration: str | None
    step: str | None
    rating_work: int | None
    rating_health: int | None
    rating_future: int | None


class ParticipationOut(Schema):
    id: int
    intervention_id: int
    personnummer_masked: str
    sex: str
    start_year: int
    start_date: dt.date | None
    end_date: dt.date | None
    exit_reason: str | None
    referred_by: str | None
    residence: str | None
    is_error: bool
    follow_up_consent: bool
    measurements: list[MeasurementOut]


class DueOut(Schema):
    participation_id: int
    intervention_id: int
    personnummer_masked: str
    occasion: str
    due: dt.date
    status: str


def _measurement_out(m: Measurement) -> MeasurementOut:
    return MeasurementOut(
        id=m.pk,
        occasion=m.occasion,
        date=m.date,
        income_sources=sorted(c.key for c in m.income_sources.all()),
        activities=[
            ActivityOut(activity=a.activity.key, extent_pct=a.extent_pct)
            for a in m.activities.all()
        ],
        education_level=getattr(m.education_level, "key", None),
        public_support_duration=getattr(m.public_support_duration, "key", None),
        step=getattr(m.step, "key", None),
        rating_work=m.rating_work,
        rating_health=m.rating_health,
        rating_future=m.rating_future,
    )


def _out(p: Participation) -> ParticipationOut:
    return ParticipationOut(
        id=p.pk,
        intervention_id=p.intervention_id,
        personnummer_masked=selectors.masked_number(p),
        sex=p.sex,
        start_year=p.start_year,
        start_date=p.start_date,
        end_date=p.end_date,
        exit_reason=getattr(p.exit_reason, "key", None),
        referred_by=getattr(p.referred_by, "key", None),
        residence=p.residence_id,
        is_error=p.is_error,
        follow_up_consent=services.consent_covers_follow_up(p),
        measurements=[
            _measurement_out(m) for m in selectors.participation_measurements(participation=p)
        ],
    )


@router.get("/follow-ups/due", response=list[DueOut], summary="Uppföljningar att göra")
@personal_data_operation
def due_follow_ups(request: HttpRequest, sort: str = "due") -> list[DueOut]:
    items = hooks.follow_up().followup_worklist(user=request.user, sort=sort)
    return [
        DueOut(
            participation_id=i.participation.pk,
            intervention_id=i.participation.intervention_id,
            personnummer_masked=i.masked,
            occasion=i.occasion,
            due=i.due,
            status=i.status,
        )
        for i in items
    ]


@router.post("/", response={201: ParticipationOut}, summary="Registrera deltagare (start)")
@personal_data_operation
def start(request: HttpRequest, payload: StartIn) -> Status:
    intervention = selectors.intervention_for_participants(
        user=request.user, pk=payload.intervention_id
    )
    p = services.participation_start(
        actor=request.user,
        intervention=intervention,
        personnummer=payload.personnummer,
        consent=services.ConsentInput(
            date=payload.consent.date,
            form_version=payload.consent.form_version,
            scope_registration=payload.consent.scope_registration,
            scope_follow_up=payload.consent.scope_follow_up,
            sharing_parties=list(payload.consent.sharing_party_ids),
        ),
        protected_identity=payload.protected_identity,
        referred_by=payload.referred_by,
        start_date=payload.start_date,
        residence=payload.residence,
        measurement=payload.measurement.to_input(),
        confirm_young=payload.confirm_young,
        idempotency_key=payload.idempotency_key,
    )
    p = selectors.participation_get(user=request.user, pk=p.pk, purpose="api_start")
    return Status(201, _out(p))


@router.get("/{participation_id}", response=ParticipationOut, summary="Ett deltagande")
@personal_data_operation
def get_participation(request: HttpRequest, participation_id: int) -> ParticipationOut:
    return _out(selectors.participation_get(user=request.user, pk=participation_id))


@router.post("/{participation_id}/end", response=ParticipationOut, summary="Avsluta deltagande")
@personal_data_operation
def end(request: HttpRequest, participation_id: int, payload: EndIn) -> ParticipationOut:
    p = selectors.participation_get(user=request.user, pk=participation_id, purpose="end")
    services.participation_end(
        actor=request.user,
        participation=p,
        end_date=payload.end_date,
        exit_reason=payload.exit_reason,
        measurement=payload.measurement.to_input(),
    )
    return _out(p)


@router.post(
    "/{participation_id}/measurements",
    response={201: MeasurementOut},
    summary="Registrera delmätning eller uppföljning",
)
@personal_data_operation
def record(request: HttpRequest, participation_id: int, payload: RecordIn) -> Status:
    p = selectors.participation_get(user=request.user, pk=participation_id, purpose="measure")
    m = services.measurement_record(
        actor=request.user,
        participation=p,
        occasion=payload.occasion,
        measurement=payload.measurement.to_input(),
    )
    return Status(201, _measurement_out(selectors.measurement_get(user=request.user, pk=m.pk)))
