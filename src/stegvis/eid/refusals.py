"""Why an e-legitimation sign-in was refused, and what the user is told. Pure: no Django imports.

The reason codes go into the audit event; the messages are shown to the user (Swedish, marked
for translation where they are rendered).
"""

from __future__ import annotations

from typing import Any

from stegvis.lib.i18n import gettext_noop

WRONG_AUDIENCE = "wrong_audience"
EXPIRED = "expired"
REPLAYED = "replayed"
UNKNOWN_USER = "unknown_user"
NO_ROLE = "no_role"
INACTIVE = "inactive"
MISSING_IDENTITY = "missing_identity"
CANCELLED = "cancelled"
FAILED = "failed"

MESSAGES = {
    WRONG_AUDIENCE: gettext_noop(
        "Inloggningen avvisades: svaret från e-legitimationstjänsten var avsett "
        "för en annan tjänst än Stegvis."
    ),
    EXPIRED: gettext_noop(
        "Inloggningen avvisades: svaret från e-legitimationstjänsten har gått ut. "
        "Börja om inloggningen."
    ),
    REPLAYED: gettext_noop(
        "Inloggningen avvisades: svaret från e-legitimationstjänsten har redan använts "
        "eller hör inte till den här inloggningen. Börja om inloggningen."
    ),
    UNKNOWN_USER: gettext_noop(
        "Det finns inget konto i Stegvis kopplat till din e-legitimation. "
        "Kontakta förbundets administratör."
    ),
    NO_ROLE: gettext_noop(
        "Ditt konto har ingen roll i Stegvis. Kontakta förbundets administratör."
    ),
    INACTIVE: gettext_noop(
        "Ditt konto är avstängt. Kontakta förbundets administratör."
    ),
    MISSING_IDENTITY: gettext_noop(
        "E-legitimationstjänsten skickade ingen identitet som Stegvis kan "
        "använda. Kontakta förbundets administratör."
    ),
    CANCELLED: gettext_noop(
        "Inloggningen med e-legitimation avbröts."
    ),
    FAILED: gettext_noop(
        "Inloggningen med e-legitimation misslyckades. Försök igen eller kontakta "
        "förbundets administratör."
    ),
}


def classify(*, error: str | None, exception: BaseException | None, context: dict[str, Any]) -> str:
    """The reason code for an authentication error reported by django-allauth.

    OIDC: ``exception`` is allauth's ``OAuth2Error`` caused by PyJWT's error (its class name
    tells audience from expiry), or there is no stashed state for the callback (a reused or
    foreign callback). SAML: python3-saml's error reason text.
    """
    if error == "cancelled":
        return CANCELLED
    cause = exception.__cause__ if exception is not None else None
    names = {type(e).__name__ for e in (exception, cause) if e is not None}
    text = " ".join(
        [str(exception or ""), str(context.get("saml_last_error_reason") or "")]
    ).lower()
    if "InvalidAudienceError" in names or "audience" in text:
        return WRONG_AUDIENCE
    if "ExpiredSignatureError" in names or "expired" in text or "notonorafter" in text:
        return EXPIRED
    if "already used" in text or (exception is None and "state_id" in context):
        return REPLAYED
    return FAILED
