"""The demo's people and organisations: the system administrator, users with roles and TOTP,
member organisations and the förbund themselves.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from stegvis.access import services as access_services
from stegvis.access.models import RoleGrant
from stegvis.access.roles import Role
from stegvis.associations import services as association_services
from stegvis.associations.models import Association, FundingKeyMethod, Organisation, PartyKind
from stegvis.demo.generator.plans import (
    DEMO_PASSWORD,
    FOUNDED,
    SYSTEM_ADMIN,
    DemoAssociation,
    DemoLogin,
    DemoResult,
    demo_org_number,
    demo_totp_secret,
)
from stegvis.reference.models import Municipality


def demo_system_admin(result: DemoResult) -> object:
    user = get_user_model().objects.filter(username=SYSTEM_ADMIN).first()
    if user is None:
        user = access_services.system_admin_bootstrap(
            username=SYSTEM_ADMIN, password=DEMO_PASSWORD
        )
    result.logins.append(
        DemoLogin(SYSTEM_ADMIN, DEMO_PASSWORD, "systemadministratör", demo_totp(None, user))
    )
    return user


def demo_user(actor: object, username: str, association: Association | None, role: Role) -> object:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        # The demo's shared sign-ins are printed for everyone: not a temporary password.
        user = access_services.user_create(actor=actor, username=username,
                                           password=DEMO_PASSWORD, temporary_password=False)
    if not RoleGrant.objects.filter(user=user, role=role.value, association=association).exists():
        access_services.role_grant(actor=actor, user=user, role=role, association=association)
    return user


def demo_totp(actor: object, user: object) -> str:
    from allauth.mfa.models import Authenticator

    secret = demo_totp_secret(user.get_username())  # type: ignore[attr-defined]
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        access_services.totp_enable_with_secret(actor=actor, user=user, secret=secret)
    return access_services.totp_uri(user=user, secret=secret)


def demo_organisation(
    actor: object,
    kind: str,
    name: str,
    org_number: str,
    municipality: str | None = None,
    county: str | None = None,
) -> Organisation:
    existing = Organisation.objects.filter(org_number=org_number).first()
    if existing is None and municipality:  # created with a förbund, without a number
        existing = Organisation.objects.filter(municipality_id=municipality).first()
    if existing is not None:
        return existing
    return association_services.organisation_create(
        actor=actor,
        name=name,
        kind=kind,
        org_number=org_number,
        municipality=municipality,
        county=county,
    )


def demo_association(
    actor: object, spec: DemoAssociation, fk: Organisation, af: Organisation, result: DemoResult
) -> Association:
    org_number = demo_org_number("222000", spec.org_serial)
    existing = Association.objects.filter(org_number=org_number).first()
    if existing is not None:
        result.existing_associations.append(existing.name)
        return existing
    members = [fk, af]
    for region in spec.regions:
        members.append(
            demo_organisation(actor, PartyKind.REGION, region.name, region.org_number,
                          county=region.county)
        )
    for code, _district in spec.area:
        municipality = Municipality.objects.get(code=code)
        members.append(
            demo_organisation(
                actor,
                PartyKind.KOMMUN,
                municipality.name,
                demo_org_number("21200", code),
                municipality=code,
            )
        )
    association = association_services.association_create(
        actor=actor,
        name=spec.name,
        org_number=org_number,
        founded=FOUNDED,
        area=list(spec.area),
        memberships=[(org, FOUNDED, None) for org in members],
        funding_key_method=FundingKeyMethod.POPULATION,
        funding_key_population_year=2019,
        is_demo=True,
    )
    result.created_associations.append(association.name)
    return association
