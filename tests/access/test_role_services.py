"""role_grant, role_revoke and user_create: who may do what, validation, audit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.access import scope, services
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Capability, Role
from stegvis.audit.models import Action, AuditEvent
from tests import factories

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def newcomer(db):
    return factories.UserFactory(username="nykomling")


def test_association_admin_grants_role_in_own_association(personas, newcomer):
    factories.grant(newcomer, Role.REPORT_READER.value, personas.a)  # one of A's accounts
    assert not scope.can(newcomer, Capability.MANAGE_INTERVENTIONS, personas.a)
    grant = services.role_grant(
        actor=personas.admin_a, user=newcomer, role=Role.INTERVENTION_MANAGER,
        association=personas.a,
    )
    assert grant.association == personas.a
    # The cached grants are forgotten: the new role counts at once.
    assert scope.can(newcomer, Capability.MANAGE_INTERVENTIONS, personas.a)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="access.rolegrant")
    assert event.actor == personas.admin_a
    assert event.association_id == personas.a.pk
    assert event.details == {"user": "nykomling", "role": "insatsansvarig"}


def test_association_admin_cannot_grant_in_other_association(personas, newcomer):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=personas.admin_b, user=newcomer, role=Role.REPORT_READER,
            association=personas.a,
        )
    assert not RoleGrant.objects.filter(user=newcomer).exists()
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


@pytest.mark.parametrize("role", [Role.REPORT_READER, Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_association_admin_cannot_grant_national_roles(personas, newcomer, role):
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=personas.admin_a, user=newcomer, role=role, association=None)
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_system_admin_role_only_nationally(personas, newcomer):
    with pytest.raises(ValidationError) as exc:
        services.role_grant(
            actor=personas.sysadmin, user=newcomer, role=Role.SYSTEM_ADMIN,
            association=personas.a,
        )
    assert "systemadministratör" in exc.value.message_dict["role"][0]


def test_system_admin_grants_anything(personas, newcomer):
    services.role_grant(
        actor=personas.sysadmin, user=newcomer, role=Role.SYSTEM_ADMIN, association=None
    )
    services.role_grant(
        actor=personas.sysadmin, user=newcomer, role=Role.PARTICIPANT_OFFICER,
        association=personas.b,
    )
    assert scope.has_role(newcomer, Role.SYSTEM_ADMIN)
    assert scope.has_role(newcomer, Role.PARTICIPANT_OFFICER, personas.b)


def test_local_only_roles_need_an_association(personas, newcomer):
    with pytest.raises(ValidationError) as exc:
        services.role_grant(
            actor=personas.sysadmin, user=newcomer, role=Role.PARTICIPANT_OFFICER,
            association=None,
        )
    assert "association" in exc.value.message_dict


def test_unknown_role_and_duplicate_are_refused(personas):
    with pytest.raises(ValidationError) as exc:
        services.role_grant(
            actor=personas.admin_a, user=personas.manager_a, role="kung", association=personas.a
        )
    assert exc.value.message_dict["role"] == ["Roll: okänd roll."]
    with pytest.raises(ValidationError) as exc:
        services.role_grant(
            actor=personas.admin_a, user=personas.manager_a,
            role=Role.INTERVENTION_MANAGER, association=personas.a,
        )
    assert "har redan rollen" in exc.value.message_dict["role"][0]


def test_manager_cannot_grant(personas, newcomer):
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=personas.manager_a, user=newcomer, role=Role.REPORT_READER,
            association=personas.a,
        )


def test_revoke_is_audited_and_takes_effect(personas):
    services.role_revoke(
        actor=personas.admin_a, user=personas.manager_a, role=Role.INTERVENTION_MANAGER,
        association=personas.a,
    )
    assert not scope.has_role(personas.manager_a, Role.INTERVENTION_MANAGER, personas.a)
    assert AuditEvent.objects.filter(
        action=Action.DELETE, object_type="access.rolegrant", actor=personas.admin_a
    ).exists()
    with pytest.raises(ValidationError):
        services.role_revoke(
            actor=personas.admin_a, user=personas.manager_a,
            role=Role.INTERVENTION_MANAGER, association=personas.a,
        )


def test_outsider_cannot_revoke(personas):
    with pytest.raises(PermissionDenied):
        services.role_revoke(
            actor=personas.admin_b, user=personas.officer_a, role=Role.PARTICIPANT_OFFICER,
            association=personas.a,
        )
    assert scope.has_role(personas.officer_a, Role.PARTICIPANT_OFFICER, personas.a)


# --- user_create -----------------------------------------------------------------------------


def test_association_admin_creates_user_with_role(personas):
    user = services.user_create(
        actor=personas.admin_a, username="ny_person", password="ett-bra-langt-losenord-9",
        association=personas.a, role=Role.REPORT_READER,
    )
    assert user.check_password("ett-bra-langt-losenord-9")
    assert scope.has_role(user, Role.REPORT_READER, personas.a)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="auth.user")
    assert "ett-bra" not in str(event.details)


def test_user_create_validates_fields(personas):
    factories.UserFactory(username="finns")
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            actor=personas.admin_a, username="Finns", password="kort",
            association=personas.a, role=Role.REPORT_READER,
        )
    errors = exc.value.message_dict
    assert errors["username"] == ["Användarnamn: det finns redan en användare med det namnet."]
    assert errors["password"][0].startswith("Lösenord: ")
    assert not User.objects.filter(username="Finns").exists()


def test_user_create_refuses_personnummer_as_username(personas):
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            actor=personas.admin_a, username="198501011234", association=personas.a,
            role=Role.REPORT_READER,
        )
    assert "personnummer" in exc.value.message_dict["username"][0]


def test_association_admin_needs_association_and_role(personas):
    with pytest.raises(PermissionDenied):
        services.user_create(actor=personas.admin_a, username="utan_forbund")
    with pytest.raises(ValidationError):
        services.user_create(actor=personas.admin_a, username="utan_roll", association=personas.a)
    assert not User.objects.filter(username__in=["utan_forbund", "utan_roll"]).exists()


def test_outsider_and_manager_cannot_create_users(personas):
    for actor in (personas.admin_b, personas.manager_a):
        with pytest.raises(PermissionDenied):
            services.user_create(
                actor=actor, username="smyg", association=personas.a, role=Role.REPORT_READER
            )
    assert not User.objects.filter(username="smyg").exists()


def test_system_admin_creates_user_without_role_and_password(personas):
    user = services.user_create(actor=personas.sysadmin, username="utan_losenord")
    assert not user.has_usable_password()


# --- two-factor set-up for the demo ----------------------------------------------------------


def test_totp_enable_with_secret_and_uri(personas, newcomer):
    from allauth.mfa.models import Authenticator

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    services.totp_enable_with_secret(actor=personas.sysadmin, user=newcomer, secret=secret)
    assert Authenticator.objects.filter(user=newcomer, type=Authenticator.Type.TOTP).exists()
    uri = services.totp_uri(user=newcomer, secret=secret)
    assert uri.startswith("otpauth://totp/nykomling?")
    assert f"secret={secret}" in uri and "issuer=Stegvis" in uri
    event = AuditEvent.objects.get(object_type="mfa.authenticator")
    assert secret not in str(event.details)
    with pytest.raises(ValidationError):
        services.totp_enable_with_secret(actor=personas.sysadmin, user=newcomer, secret=secret)


def test_totp_enable_refuses_bad_secret_and_other_actors(personas, newcomer):
    with pytest.raises(ValidationError) as exc:
        services.totp_enable_with_secret(actor=None, user=newcomer, secret="inte base32!")
    assert exc.value.message_dict["secret"][0].startswith("Hemlighet:")
    with pytest.raises(PermissionDenied):
        services.totp_enable_with_secret(
            actor=personas.admin_a, user=newcomer, secret="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        )
