"""Issue 11: national roles are granted in the UI by the systemadministratör, never to oneself."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.access import national
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Role
from stegvis.audit.models import Action, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db


def test_sysadmin_grants_national_granskare_in_the_ui(personas, client_for):
    c = client_for(personas.sysadmin)
    assert "/konto/nationella-roller/" in c.get("/administration/").content.decode()
    page = c.get("/konto/nationella-roller/").content.decode()
    assert "national_reader" in page
    response = c.post("/konto/nationella-roller/",
                      {"username": "AUDITOR_A", "role": Role.AUDITOR.value})
    assert response.status_code == 302
    assert RoleGrant.objects.filter(user=personas.auditor_a, role=Role.AUDITOR.value,
                                    association=None).exists()
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="access.rolegrant",
                                     actor=personas.sysadmin).exists()


def test_nobody_grants_themselves_a_national_role(personas, client_for):
    with pytest.raises(ValidationError) as exc:
        national.national_role_grant(actor=personas.sysadmin, user=personas.sysadmin,
                                     role=Role.AUDITOR)
    assert "dig själv" in exc.value.message_dict["username"][0]
    c = client_for(personas.sysadmin)
    html = c.post("/konto/nationella-roller/",
                  {"username": "sysadmin", "role": Role.REPORT_READER.value}).content.decode()
    assert "du kan inte ge dig själv en nationell roll" in html
    assert not RoleGrant.objects.filter(user=personas.sysadmin, role=Role.REPORT_READER.value
                                        ).exists()


def test_only_national_roles_and_only_by_sysadmin(personas, client_for):
    with pytest.raises(ValidationError):
        national.national_role_grant(actor=personas.sysadmin, user=personas.officer_a,
                                     role=Role.PARTICIPANT_OFFICER)
    with pytest.raises(PermissionDenied):
        national.national_role_grant(actor=personas.admin_a, user=personas.officer_a,
                                     role=Role.REPORT_READER)
    for who in ("admin_a", "auditor_a", "national_reader"):
        c = client_for(getattr(personas, who))
        assert c.get("/konto/nationella-roller/").status_code == 403
        assert c.post("/konto/nationella-roller/",
                      {"username": "officer_a", "role": "rapportlasare"}).status_code == 403
    assert not RoleGrant.objects.filter(user=personas.officer_a, association=None).exists()


def test_revoke_national_role_but_never_own_or_last_sysadmin(personas, client_for):
    c = client_for(personas.sysadmin)
    url = f"/konto/nationella-roller/{personas.national_reader.pk}/ta-bort/"
    assert c.post(url, {"role": Role.REPORT_READER.value}).status_code == 302
    assert not RoleGrant.objects.filter(user=personas.national_reader).exists()
    with pytest.raises(ValidationError) as exc:
        national.national_role_revoke(actor=personas.sysadmin, user=personas.sysadmin,
                                      role=Role.SYSTEM_ADMIN)
    assert "din egen roll" in exc.value.message_dict["role"][0]
    second = factories.UserFactory(username="sysadmin2")
    factories.grant(second, Role.SYSTEM_ADMIN.value, None)
    factories.totp(second)
    national.national_role_revoke(actor=second, user=personas.sysadmin, role=Role.SYSTEM_ADMIN)
    assert not RoleGrant.objects.filter(user=personas.sysadmin).exists()
