"""django-axes glue: which username a sign-in attempt was for.

allauth's login form posts the field ``login`` but calls ``authenticate(username=...)``; axes
only looks in one place (``AXES_USERNAME_FORM_FIELD``), so without this callable it would see
no username in the credentials and never count a failure. Settings point
``AXES_USERNAME_CALLABLE`` here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from stegvis.audit.redaction import contains_identifier

# What axes stores instead of an attempted "username" that looks like a personnummer. No
# account can have such a name (user_create refuses it), so no real account shares the bucket.
HIDDEN_USERNAME = "(dolt)"


def attempted_username(
    request: HttpRequest | None, credentials: dict[str, Any] | None
) -> str | None:
    """The username of an attempt: from the credentials, else from the posted form."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in ("username", "login"):
            value = source.get(key)
            if value:
                username = str(value).strip()[:150]
                return HIDDEN_USERNAME if contains_identifier(username) else username
    return None
