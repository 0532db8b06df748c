"""Users, role grants and two-factor authenticators."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from stegvis.access.models import RoleGrant


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("korrekt-hast-batteri-42")


class RoleGrantFactory(factory.django.DjangoModelFactory):
    """A role for a user, in a förbund (``association=None``: national)."""

    class Meta:
        model = RoleGrant

    user = factory.SubFactory(UserFactory)
    association = None


def grant(user, role: str, association=None) -> RoleGrant:
    return RoleGrantFactory(user=user, role=role, association=association)


# A fixed TOTP secret for test users who need two-factor (deltagaransvarig).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp(user, secret: str = TOTP_SECRET):
    """Give ``user`` a TOTP authenticator (allauth.mfa) with a known secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance
