"""django-axes glue: whose account a sign-in attempt was for, and what is stored about it.

- ``attempted_username`` (``AXES_USERNAME_CALLABLE``): allauth's login form posts the field
  ``login`` but calls ``authenticate(username=...)``; axes only looks in one place, so without
  this callable it would see no username and never count a failure. The name is trimmed and
  resolved to the real account case-insensitively (``PROBE.USER`` and `` probe.user`` count
  against ``probe.user``, exactly as sign-in itself matches them), an unknown name is
  case-folded, and a name shaped like a personnummer becomes ``HIDDEN_USERNAME``.
- ``LockoutHandler`` (``AXES_HANDLER``): axes' database handler with two changes. It never
  stores the posted form (axes would keep ``login=<whatever was typed>`` in
  ``axes_accessattempt.post_data``), and besides the per-account limit it locks a client
  address after ``STEGVIS_LOCKOUT_ADDRESS_FAILURES`` failures within the cool-off time, so
  one address cannot try a few passwords on each of many accounts. A successful sign-in resets
  only that account's failures (``AXES_LOCKOUT_PARAMETERS = ["username"]``), never the
  address's: signing in to one's own account does not buy more guesses at someone else's.
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest, QueryDict

from stegvis.audit.redaction import contains_identifier

# What axes stores instead of an attempted "username" that looks like a personnummer. No
# account can have such a name (user_create refuses it), so no real account shares the bucket.
HIDDEN_USERNAME = "(dolt)"


def lockout_key(username: str) -> str:
    """The lockout bucket of a typed user name: the real account's name, else case-folded."""
    name = username.strip()[:150]
    if contains_identifier(name):
        return HIDDEN_USERNAME
    user = (
        get_user_model()
        .objects.filter(username__iexact=name)
        .order_by("pk")
        .only("username")
        .first()
    )
    return user.get_username() if user is not None else name.casefold()


def attempted_username(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str | None:
    """The account an attempt was for: from the credentials, else from the posted form."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in ("username", "login"):
            value = source.get(key)
            if value and str(value).strip():
                return lockout_key(str(value))
    return None


def client_address(request: HttpRequest) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``).

    ``REMOTE_ADDR``, unless ``STEGVIS_TRUSTED_PROXY_COUNT`` reverse proxies stand in front: then
    the address the outermost trusted proxy saw, i.e. the n-th entry from the right of
    ``X-Forwarded-For`` (entries further left are whatever the client claimed and are ignored).
    """
    proxies = settings.STEGVIS_TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler: no posted form at rest, and a second limit per client address."""

    def user_login_failed(
        self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any
    ) -> None:
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        # Resolve the account before the form is hidden from axes (the callable may need it).
        username = attempted_username(request, credentials)
        credentials = {"username": username} if username else {}
        posted_get, posted_post = request.GET, request.POST
        request.GET, request.POST = QueryDict(), QueryDict()
        try:
            super().user_login_failed(sender, credentials, request, **kwargs)
        finally:
            request.GET, request.POST = posted_get, posted_post
        return None

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        account = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return account
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        from_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if from_address >= settings.STEGVIS_LOCKOUT_ADDRESS_FAILURES:
            return max(account, get_failure_limit(request, credentials))
        return account
