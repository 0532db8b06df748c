"""Services: create, update, immutable fields, parties, dates, budgets, assignments, counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.access import scope
from stegvis.access.models import InterventionAssignment
from stegvis.associations.models import PartyKind
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions import services
from stegvis.interventions.models import (
    AnonymousCount,
    BudgetLine,
    FollowUpMethod,
    Intervention,
    Orientation,
)
from tests import factories
from tests.interventions.conftest import create_kwargs, members

pytestmark = pytest.mark.django_db


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- create ---------------------------------------------------------------------------------


def test_create_writes_insats_and_audit(personas, codes):
    intervention = services.intervention_create(
        actor=personas.manager_a, **create_kwargs(personas.a, codes)
    )
    assert intervention.association == personas.a
    assert list(intervention.target_groups.all()) == [codes["unga"]]
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(intervention.pk))
    assert event.object_type == "interventions.intervention"
    assert event.association_id == personas.a.pk
    assert event.actor == personas.manager_a
    assert event.details["orientation"] == "individual"


def test_admin_may_create(personas, codes):
    services.intervention_create(actor=personas.admin_a, **create_kwargs(personas.a, codes))
    assert Intervention.objects.count() == 1


def test_organiser_always_among_parties(personas, codes):
    m = members(personas.a)
    intervention = services.intervention_create(
        actor=personas.manager_a,
        **create_kwargs(
            personas.a, codes, organiser=m[PartyKind.REGION][0], parties=[m[PartyKind.AF][0]]
        ),
    )
    kinds = {p.kind for p in intervention.parties.all()}
    assert kinds == {PartyKind.REGION, PartyKind.AF}


def test_two_kommuner_are_one_party(personas, codes):
    kommuner = members(personas.a)[PartyKind.KOMMUN]
    assert len(kommuner) == 2
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(personas.a, codes, organiser=kommuner[0], parties=kommuner),
        )
    assert "minst två olika parter" in _messages(exc)["parties"][0]
    assert not Intervention.objects.exists()


def test_fk_and_af_are_two_parties(personas, codes):
    m = members(personas.a)
    services.intervention_create(
        actor=personas.manager_a,
        **create_kwargs(
            personas.a,
            codes,
            organiser=m[PartyKind.FK][0],
            parties=[m[PartyKind.AF][0]],
            controller=m[PartyKind.FK][0],
        ),
    )
    assert Intervention.objects.count() == 1


def test_party_from_other_forbund_is_refused(personas, codes):
    region_b = members(personas.b)[PartyKind.REGION][0]
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(
                personas.a,
                codes,
                parties=[region_b, members(personas.a)[PartyKind.FK][0]],
                controller=region_b,
            ),
        )
    assert "medlemmar i förbundet" in _messages(exc)["parties"][0]
    assert "medlem i förbundet" in _messages(exc)["controller"][0]


def test_end_before_start_refused(personas, codes):
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(
                personas.a, codes, start_date=dt.date(2024, 5, 1), end_date=dt.date(2024, 4, 1)
            ),
        )
    assert "Slutdatum" in _messages(exc)["end_date"][0]
    assert not Intervention.objects.exists()


def test_target_group_required_and_must_be_target_group_code(personas, codes):
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a, **create_kwargs(personas.a, codes, target_groups=[])
        )
    assert "minst en målgrupp" in _messages(exc)["target_groups"][0]
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(personas.a, codes, target_groups=[codes["income"]]),
        )
    assert "okänd kod" in _messages(exc)["target_groups"][0]


def test_bad_orientation_and_method_refused(personas, codes):
    with pytest.raises(ValidationError) as exc:
        services.intervention_create(
            actor=personas.manager_a,
            **create_kwargs(personas.a, codes, orientation="x", follow_up_method="y", name=" "),
        )
    assert set(_messages(exc)) >= {"orientation", "follow_up_method", "name"}


@pytest.mark.parametrize("who", ["reader_a", "officer_a", "auditor_a", "admin_b", "sysadmin"])
def test_create_refused_without_capability(personas, codes, who):
    with pytest.raises(PermissionDenied):
        services.intervention_create(
            actor=getattr(personas, who), **create_kwargs(personas.a, codes)
        )
    assert not Intervention.objects.exists()
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


# --- update ---------------------------------------------------------------------------------


def test_update_changes_and_audits(personas, codes, intervention):
    services.intervention_update(
        actor=personas.manager_a,
        intervention=intervention,
        name="Nytt namn",
        target_groups=[codes["unga"], codes["sjuk"]],
        end_date=None,
    )
    intervention.refresh_from_db()
    assert intervention.name == "Nytt namn"
    assert intervention.end_date is None
    assert intervention.target_groups.count() == 2
    event = AuditEvent.objects.get(action=Action.UPDATE, object_id=str(intervention.pk))
    assert event.details["changes"]["name"] == {"from": "Steg till arbete", "to": "Nytt namn"}
    assert "end_date" in event.details["changes"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("orientation", Orientation.STRUCTURAL),
        ("follow_up_method", FollowUpMethod.VOLUME),
        ("esf_cofunded", False),
    ],
)
def test_update_refuses_immutable_fields(personas, intervention, field, value):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.intervention_update(
            actor=personas.manager_a, intervention=intervention, name="X", **{field: value}
        )
    assert "kan inte ändras" in _messages(exc)[field][0]
    intervention.refresh_from_db()
    assert intervention.name == "Steg till arbete"
    assert AuditEvent.objects.count() == before


def test_update_accepts_unchanged_immutable_values(personas, intervention):
    services.intervention_update(
        actor=personas.manager_a,
        intervention=intervention,
        orientation=intervention.orientation,
        follow_up_method=intervention.follow_up_method,
        esf_cofunded=intervention.esf_cofunded,
        name="Samma låsta värden",
    )
    intervention.refresh_from_db()
    assert intervention.name == "Samma låsta värden"


def test_update_end_before_start_refused(personas, intervention):
    with pytest.raises(ValidationError) as exc:
        services.intervention_update(
            actor=personas.manager_a, intervention=intervention, end_date=dt.date(2023, 1, 1)
        )
    assert "end_date" in _messages(exc)


def test_update_party_rule(personas, intervention):
    kommun = members(personas.a)[PartyKind.KOMMUN]
    with pytest.raises(ValidationError) as exc:
        services.intervention_update(
            actor=personas.manager_a, intervention=intervention, parties=kommun
        )
    assert "parties" in _messages(exc)


def test_update_refused_for_reader_and_outsider(personas, intervention):
    for user in (personas.reader_a, personas.admin_b, personas.officer_a):
        with pytest.raises(PermissionDenied):
            services.intervention_update(actor=user, intervention=intervention, name="X")
    intervention.refresh_from_db()
    assert intervention.name == "Steg till arbete"


# --- years and budget lines -------------------------------------------------------------------


def test_year_with_budget_lines(personas, intervention):
    iy = services.intervention_year_set(
        actor=personas.manager_a,
        intervention=intervention,
        year=2025,
        planned_participants=40,
        lines=[("insatskostnad", 500_000, 480_123), ("esf_insatskostnad", 100_000, None)],
    )
    lines = {bl.kind: bl for bl in iy.budget_lines.all()}
    assert lines["insatskostnad"].budget == Decimal("500000")
    assert lines["insatskostnad"].actual == Decimal("480123")
    assert lines["esf_insatskostnad"].actual is None
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="interventions.interventionyear"
    ).exists()
    # Setting the year again replaces its lines and is an update.
    services.intervention_year_set(
        actor=personas.manager_a,
        intervention=intervention,
        year=2025,
        planned_participants=35,
        lines=[("insatskostnad", 450_000, None)],
    )
    iy.refresh_from_db()
    assert iy.planned_participants == 35
    assert list(iy.budget_lines.values_list("kind", flat=True)) == ["insatskostnad"]
    event = AuditEvent.objects.filter(
        action=Action.UPDATE, object_type="interventions.interventionyear"
    ).get()
    assert event.details["from"]["planned_participants"] == 40


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"year": 2023}, "year", "2024–2026"),
        ({"planned_participants": -1}, "planned_participants", "noll eller större"),
        ({"lines": [("insatskostnad", -5, None)]}, "insatskostnad_budget", "negativt"),
        ({"lines": [("insatskostnad", Decimal("10.5"), None)]}, "insatskostnad_budget", "ören"),
        ({"lines": [("insatskostnad", 10, -1)]}, "insatskostnad_actual", "negativt"),
        ({"lines": [("okand", 10, None)]}, "kind", "okänd"),
    ],
)
def test_year_bad_input(personas, intervention, kwargs, field, text):
    args = {"year": 2025, "planned_participants": 10, "lines": [("insatskostnad", 1, None)]}
    args.update(kwargs)
    with pytest.raises(ValidationError) as exc:
        services.intervention_year_set(actor=personas.manager_a, intervention=intervention, **args)
    assert text in " ".join(_messages(exc)[field])
    assert not BudgetLine.objects.exists()


def test_esf_line_needs_esf_insats(personas, volume_intervention):
    with pytest.raises(ValidationError) as exc:
        services.intervention_year_set(
            actor=personas.manager_a,
            intervention=volume_intervention,
            year=2024,
            planned_participants=0,
            lines=[("esf_insatskostnad", 100, None)],
        )
    assert "inte ESF-medfinansierad" in _messages(exc)["esf_insatskostnad_budget"][0]


def test_year_refused_for_reader(personas, intervention):
    with pytest.raises(PermissionDenied):
        services.intervention_year_set(
            actor=personas.reader_a,
            intervention=intervention,
            year=2025,
            planned_participants=1,
            lines=[],
        )


# --- assignments ------------------------------------------------------------------------------


def test_assign_officer_of_same_forbund(personas, intervention):
    services.assignment_add(
        actor=personas.manager_a, intervention=intervention, user=personas.officer_a
    )
    assert InterventionAssignment.objects.filter(
        intervention=intervention, user=personas.officer_a
    ).exists()
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="interventions.interventionassignment"
    ).exists()
    assert scope.assigned_intervention_ids(personas.officer_a) == {intervention.pk}


@pytest.mark.parametrize("who", ["officer_b", "manager_a", "reader_a"])
def test_assign_refuses_non_officer_or_other_forbund(personas, intervention, who):
    with pytest.raises(ValidationError) as exc:
        services.assignment_add(
            actor=personas.manager_a, intervention=intervention, user=getattr(personas, who)
        )
    assert "inte rollen deltagaransvarig" in _messages(exc)["user"][0]
    assert not InterventionAssignment.objects.exists()


def test_assign_twice_refused(personas, intervention):
    services.assignment_add(
        actor=personas.manager_a, intervention=intervention, user=personas.officer_a
    )
    with pytest.raises(ValidationError):
        services.assignment_add(
            actor=personas.manager_a, intervention=intervention, user=personas.officer_a
        )


def test_remove_assignment(personas, intervention):
    services.assignment_add(
        actor=personas.admin_a, intervention=intervention, user=personas.officer_a
    )
    services.assignment_remove(
        actor=personas.admin_a, intervention=intervention, user=personas.officer_a
    )
    assert not InterventionAssignment.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.DELETE, object_type="interventions.interventionassignment"
    ).exists()
    assert scope.assigned_intervention_ids(personas.officer_a) == set()


def test_assignment_refused_for_officer_and_outsider(personas, intervention):
    for actor in (personas.officer_a, personas.admin_b):
        with pytest.raises(PermissionDenied):
            services.assignment_add(actor=actor, intervention=intervention, user=personas.officer_a)


def test_assigned_ids_require_the_role(personas, intervention):
    """An assignment without the deltagaransvarig role (withdrawn) gives no access."""
    services.assignment_add(
        actor=personas.manager_a, intervention=intervention, user=personas.officer_a
    )
    personas.officer_a.role_grants.all().delete()
    scope.forget(personas.officer_a)
    assert scope.assigned_intervention_ids(personas.officer_a) == set()
    assert scope.assigned_intervention_ids(personas.manager_a) == set()


# --- counts -----------------------------------------------------------------------------------


def test_volume_count(personas, volume_intervention):
    vc = services.volume_count_record(
        actor=personas.manager_a,
        intervention=volume_intervention,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        total=30,
        women=18,
        men=12,
    )
    assert vc.total == 30
    assert AuditEvent.objects.filter(object_type="interventions.volumecount").exists()
    with pytest.raises(ValidationError) as exc:
        services.volume_count_record(
            actor=personas.manager_a,
            intervention=volume_intervention,
            period_start=dt.date(2024, 6, 1),
            period_end=dt.date(2024, 12, 31),
            total=5,
        )
    assert "överlappar" in _messages(exc)["period_start"][0]


def test_volume_count_bad_input(personas, volume_intervention, intervention):
    with pytest.raises(ValidationError) as exc:
        services.volume_count_record(
            actor=personas.manager_a,
            intervention=volume_intervention,
            period_start=dt.date(2024, 2, 1),
            period_end=dt.date(2024, 1, 1),
            total=5,
            women=4,
            men=4,
        )
    assert {"period_end", "total"} <= set(_messages(exc))
    with pytest.raises(ValidationError) as exc:
        services.volume_count_record(
            actor=personas.manager_a,
            intervention=intervention,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 1, 31),
            total=5,
        )
    assert "följs upp med volym" in _messages(exc)["total"][0]


def test_anonymous_count_set_and_add(personas, intervention):
    services.anonymous_count_set(
        actor=personas.manager_a, intervention=intervention, start_year=2024, women=3, men=2
    )
    services.assignment_add(
        actor=personas.manager_a, intervention=intervention, user=personas.officer_a
    )
    services.anonymous_count_add(
        actor=personas.officer_a, intervention=intervention, start_year=2024, sex="K"
    )
    ac = services.anonymous_count_add(
        actor=personas.officer_a, intervention=intervention, start_year=2025, sex="M"
    )
    assert (ac.women, ac.men) == (0, 1)
    counts = {c.start_year: (c.women, c.men) for c in AnonymousCount.objects.all()}
    assert counts == {2024: (4, 2), 2025: (0, 1)}
    events = AuditEvent.objects.filter(object_type="interventions.anonymouscount")
    assert events.count() == 3
    assert events.filter(actor=personas.officer_a, details__added="K").exists()


def test_anonymous_count_bad_input(personas, intervention, volume_intervention):
    with pytest.raises(ValidationError) as exc:
        services.anonymous_count_set(
            actor=personas.manager_a, intervention=intervention, start_year=2030, women=-1, men=0
        )
    assert {"start_year", "women"} <= set(_messages(exc))
    with pytest.raises(ValidationError):
        services.anonymous_count_set(
            actor=personas.manager_a,
            intervention=volume_intervention,
            start_year=2024,
            women=1,
            men=1,
        )
    with pytest.raises(ValidationError) as exc:
        services.anonymous_count_add(
            actor=personas.manager_a, intervention=intervention, start_year=2024, sex="X"
        )
    assert "sex" in _messages(exc)


def test_anonymous_count_add_refused_for_unassigned_officer(personas, intervention):
    with pytest.raises(PermissionDenied):
        services.anonymous_count_add(
            actor=personas.officer_a, intervention=intervention, start_year=2024, sex="K"
        )
    other = factories.UserFactory(username="officer_a2")
    factories.grant(other, "deltagaransvarig", personas.b)
    with pytest.raises(PermissionDenied):
        services.anonymous_count_add(
            actor=other, intervention=intervention, start_year=2024, sex="K"
        )
    assert not AnonymousCount.objects.exists()
