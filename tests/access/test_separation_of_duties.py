"""Separation of duties: nobody gives themselves access to personal data (issue 9 §3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stegvis.access import scope, services
from stegvis.access.models import InterventionAssignment
from stegvis.access.roles import Role
from stegvis.interventions import services as intervention_services
from tests import factories
from tests.participants.conftest import make_intervention

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ["admin_a", "sysadmin"])
def test_nobody_grants_themselves_deltagaransvarig(personas, actor):
    user = getattr(personas, actor)
    with pytest.raises(ValidationError) as exc:
        services.role_grant(
            actor=user, user=user, role=Role.PARTICIPANT_OFFICER, association=personas.a
        )
    assert "dig själv" in exc.value.message_dict["role"][0]
    scope.forget(user)
    assert not scope.has_role(user, Role.PARTICIPANT_OFFICER, personas.a)


def test_admin_may_still_give_themselves_a_role_without_personal_data(personas):
    services.role_grant(
        actor=personas.admin_a, user=personas.admin_a, role=Role.REPORT_READER,
        association=personas.a,
    )
    assert scope.has_role(personas.admin_a, Role.REPORT_READER, personas.a)


def test_self_grant_through_the_page_is_refused_in_swedish(personas, client_for):
    c = client_for(personas.admin_a)
    url = f"/konto/forbund/{personas.a.pk}/anvandare/{personas.admin_a.pk}/"
    response = c.post(url, {"role": "deltagaransvarig"})
    assert response.status_code == 400
    assert "du kan inte ge dig själv en roll som ser personuppgifter" in (
        response.content.decode()
    )
    # ... while another administrator may grant it.
    factories.grant(personas.manager_a, Role.ASSOCIATION_ADMIN.value, personas.a)
    services.role_grant(
        actor=personas.manager_a, user=personas.admin_a, role=Role.PARTICIPANT_OFFICER,
        association=personas.a,
    )
    assert scope.has_role(personas.admin_a, Role.PARTICIPANT_OFFICER, personas.a)


def test_nobody_assigns_themselves_to_an_insats(personas, client_for):
    """An administrator who is (also) deltagaransvarig cannot assign themselves."""
    insats = make_intervention(personas.a)
    factories.grant(personas.admin_a, Role.PARTICIPANT_OFFICER.value, personas.a)
    with pytest.raises(ValidationError) as exc:
        intervention_services.assignment_add(
            actor=personas.admin_a, intervention=insats, user=personas.admin_a
        )
    assert "dig själv" in exc.value.message_dict["user"][0]
    c = client_for(personas.admin_a)
    c.post(f"/insatser/{insats.pk}/deltagaransvariga/", {"user": personas.admin_a.pk})
    assert not InterventionAssignment.objects.filter(user=personas.admin_a).exists()
    assert scope.assigned_intervention_ids(personas.admin_a) == set()
    # Someone else may assign them.
    intervention_services.assignment_add(
        actor=personas.manager_a, intervention=insats, user=personas.admin_a
    )
    assert scope.assigned_intervention_ids(personas.admin_a) == {insats.pk}


def test_association_admin_cannot_attach_another_associations_account(personas):
    with pytest.raises(ValidationError):
        services.role_grant(
            actor=personas.admin_b, user=personas.auditor_a, role=Role.REPORT_READER,
            association=personas.b,
        )
    scope.forget(personas.auditor_a)
    assert set(scope.grants(personas.auditor_a).by_association) == {personas.a.pk}
