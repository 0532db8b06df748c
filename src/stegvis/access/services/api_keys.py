"""API keys: creating, revoking and authenticating them (only a hash of the secret is kept).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.models import ApiToken
from stegvis.access.services._common import API_TOKEN_PREFIX, _hash_secret
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib import freetext

# --- API keys --------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: Any, name: str) -> tuple[ApiToken, str]:
    """Create an API key for ``actor``; returns the token and the key, shown only once."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Namn: ge nyckeln ett namn.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Namn: högst 100 tecken.")})
    if problem := freetext.text_problem(_("Namn"), name, today=timezone.localdate()):
        raise ValidationError({"name": problem})
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name, prefix=prefix, hashed_secret=_hash_secret(secret)
    )
    record_event(actor=actor, action=Action.CREATE, obj=token, details={"name": name})
    return token, f"{API_TOKEN_PREFIX}{prefix}.{secret}"


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own API keys."""
    if token.user_id != getattr(actor, "pk", None):
        raise PermissionDenied
    if token.revoked_at is not None:
        raise ValidationError({"token": _("Nyckel: nyckeln är redan återkallad.")})
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_event(actor=actor, action=Action.UPDATE, obj=token, details={"revoked": True})
    return token


def api_token_authenticate(*, key: str) -> Any | None:
    """The active user owning the API key ``key``, or ``None``.

    Touching ``last_used`` (at most once a minute) is bookkeeping and deliberately not
    audited: the API calls themselves are audited where they read personal data.
    """
    if not key or not key.startswith(API_TOKEN_PREFIX):
        return None
    prefix, _sep, secret = key[len(API_TOKEN_PREFIX):].partition(".")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not secrets.compare_digest(token.hashed_secret, _hash_secret(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token.user
