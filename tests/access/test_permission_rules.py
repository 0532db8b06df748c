"""Permissions as rules predicates (stegvis.access.rules), fed by the scoping module.

The views check them at the door and the templates show links by them; the personas must get
exactly what their roles give, per förbund, per insats and per participation, and a Django
superuser without a role gets nothing (ADR 0001 (a)).
"""

from __future__ import annotations

import pytest
from django.template import Context, Template

from stegvis.access import scope
from stegvis.access.models import RoleGrant
from stegvis.access.rules import ADMINISTER, NATIONAL_REPORTS, has_perm
from stegvis.audit.models import Action, AuditEvent
from stegvis.interventions import services as interventions
from tests import factories
from tests.participants.conftest import make_intervention

pytestmark = pytest.mark.django_db


def test_per_association_permissions_follow_the_roles(personas):
    a, b = personas.a, personas.b
    assert has_perm(personas.admin_a, "stegvis.manage_association", a)
    assert not has_perm(personas.admin_a, "stegvis.manage_association", b)
    assert has_perm(personas.admin_a, "stegvis.manage_association")  # somewhere
    assert has_perm(personas.auditor_a, "stegvis.audit", a)
    assert not has_perm(personas.auditor_a, "stegvis.reports", a)
    assert has_perm(personas.reader_a, "stegvis.reports", a.pk)  # an id will do
    assert not has_perm(personas.reader_a, "stegvis.view_association", a)
    # national roles apply to every förbund
    assert has_perm(personas.sysadmin, "stegvis.manage_association", b)
    assert has_perm(personas.national_reader, "stegvis.reports", b)
    assert has_perm(personas.national_reader, NATIONAL_REPORTS)
    assert not has_perm(personas.reader_a, NATIONAL_REPORTS)
    assert has_perm(personas.sysadmin, ADMINISTER)
    assert not has_perm(personas.admin_a, ADMINISTER)


def test_personal_data_needs_the_assignment_to_the_insats(personas):
    insats = make_intervention(personas.a)
    interventions.assignment_add(actor=personas.manager_a, intervention=insats,
                                 user=personas.officer_a)
    unassigned = make_intervention(personas.a, name="Ingen tilldelning")
    officer = personas.officer_a
    assert has_perm(officer, "stegvis.personal_data", insats)
    assert not has_perm(officer, "stegvis.personal_data", unassigned)
    assert not has_perm(personas.officer_b, "stegvis.personal_data", insats)
    # the förbund administrator manages the insats but never sees its participants
    assert has_perm(personas.admin_a, "stegvis.manage_interventions", insats)
    assert not has_perm(personas.admin_a, "stegvis.personal_data", insats)
    # the role withdrawn: the assignment alone is not enough
    RoleGrant.objects.filter(user=officer).delete()
    scope.forget(officer)
    assert not has_perm(officer, "stegvis.personal_data", insats)


def test_a_superuser_without_a_role_is_refused_at_the_door(client, personas):
    superuser = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(superuser)
    for url in ("/ekonomi/statlig-fordelning/", "/forbund/nytt/", f"/forbund/{personas.a.pk}/",
                "/kodlistor/", "/rapporter/", "/granskning/"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED, actor=superuser).exists()


def test_refused_at_the_door_is_audited_for_the_association(client_for, personas):
    response = client_for(personas.reader_a).get(f"/forbund/{personas.a.pk}/")
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=Action.PERMISSION_DENIED, actor=personas.reader_a)
    assert event.association_id == personas.a.pk
    # a förbund they have no role in does not exist for them
    assert client_for(personas.reader_a).get(f"/forbund/{personas.b.pk}/").status_code == 404


def test_has_perm_tag_shows_links_by_permission(personas):
    template = Template(
        "{% load permissions %}{% has_perm 'stegvis.manage_association' user association as ok %}"
        "{% if ok %}yes{% else %}no{% endif %}"
    )
    assert template.render(Context({"user": personas.admin_a, "association": personas.a})) == "yes"
    assert template.render(Context({"user": personas.admin_a, "association": personas.b})) == "no"
    assert template.render(Context({"user": personas.auditor_a, "association": personas.a})) == (
        "no"
    )
