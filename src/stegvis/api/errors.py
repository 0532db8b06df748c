"""JSON errors of the API: ``{"code": "...", "message": "..."}`` with a Swedish message.

Every answer of the API is JSON, also a 404 for an unknown path, a 405 and a 500. Validation
errors (422) list ``{"field", "message"}`` with Swedish messages, also for pydantic's own checks
(a missing field, a date that is not a date). Codes are stable (clients may depend on them);
messages may be reworded.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid",
    429: "too_many_requests",
    500: "server_error",
}

logger = logging.getLogger("stegvis.api")


def message_for(status: int) -> str:
    messages = {
        400: _("Begäran är felaktigt utformad."),
        401: _("Du är inte inloggad. Skicka en giltig API-nyckel (Authorization: Bearer) "
               "eller logga in."),
        403: _("Du har inte behörighet till detta."),
        404: _("Det du söker finns inte, eller så har du inte behörighet till det."),
        405: _("Metoden är inte tillåten här."),
        422: _("Uppgifterna är ogiltiga."),
        429: _("För många anrop. Försök igen senare."),
        500: _("Något gick fel hos Stegvis. Försök igen senare; kvarstår felet, kontakta "
               "förbundets administratör."),
    }
    return messages.get(status, _("Något gick fel."))


def error_response(
    api: NinjaAPI, request: HttpRequest, status: int, message: str | None = None,
    code: str | None = None, **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {
        "code": code or CODES.get(status, "error"),
        "message": message or message_for(status),
    }
    body.update(extra)
    return api.create_response(request, body, status=status)


def _field_message(error: dict[str, Any]) -> str:
    """A Swedish message for one of pydantic's errors (its own messages are English)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error") and "error" in ctx:
        return str(ctx["error"])  # our own validators raise Swedish messages
    fixed = {
        "missing": _("Fältet måste anges."),
        "int_parsing": _("Ange ett heltal."),
        "int_type": _("Ange ett heltal."),
        "int_from_float": _("Ange ett heltal."),
        "float_parsing": _("Ange ett tal."),
        "float_type": _("Ange ett tal."),
        "decimal_parsing": _("Ange ett tal."),
        "bool_parsing": _("Ange true eller false."),
        "bool_type": _("Ange true eller false."),
        "date_parsing": _("Ange ett giltigt datum, ÅÅÅÅ-MM-DD."),
        "date_from_datetime_parsing": _("Ange ett giltigt datum, ÅÅÅÅ-MM-DD."),
        "date_from_datetime_inexact": _("Ange ett datum utan klockslag, ÅÅÅÅ-MM-DD."),
        "date_type": _("Ange ett giltigt datum, ÅÅÅÅ-MM-DD."),
        "string_type": _("Ange en text."),
        "list_type": _("Ange en lista."),
        "dict_type": _("Ange ett objekt."),
        "model_type": _("Ange ett objekt."),
        "model_attributes_type": _("Ange ett objekt."),
        "json_invalid": _("Begäran är inte giltig JSON."),
        "extra_forbidden": _("Fältet finns inte."),
    }
    if kind in fixed:
        return fixed[kind]
    bounded = {
        "string_too_long": (_("Texten får vara högst %(n)s tecken."), "max_length"),
        "string_too_short": (_("Texten måste vara minst %(n)s tecken."), "min_length"),
        "too_long": (_("Högst %(n)s värden."), "max_length"),
        "too_short": (_("Minst %(n)s värden."), "min_length"),
        "greater_than_equal": (_("Värdet måste vara minst %(n)s."), "ge"),
        "greater_than": (_("Värdet måste vara större än %(n)s."), "gt"),
        "less_than_equal": (_("Värdet får vara högst %(n)s."), "le"),
        "less_than": (_("Värdet måste vara mindre än %(n)s."), "lt"),
    }
    if kind in bounded:
        text, key = bounded[kind]
        return text % {"n": ctx.get(key, "")}
    if kind in ("literal_error", "enum"):
        return _("Välj ett av de tillåtna värdena: %(values)s.") % {
            "values": ctx.get("expected", "")
        }
    return _("Värdet är ogiltigt.")


def json_errors(api: NinjaAPI, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap an API view so that django-ninja's plain-text 405 and its root 404 become JSON."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return error_response(api, request, 404)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            allowed = response.get("Allow", "")
            response = error_response(api, request, 405)
            response["Allow"] = allowed
        return response

    return wrapped


def not_found_view(api: NinjaAPI) -> Callable[..., HttpResponse]:
    """A view for every path under the API that matches no operation: JSON 404."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return error_response(api, request, 404)

    view.csrf_exempt = True  # type: ignore[attr-defined]
    return view


def register(api: NinjaAPI) -> None:
    """Install the handlers on ``api`` (replacing django-ninja's English defaults)."""

    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404)

    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 403)

    def bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 400)

    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 401)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 403 and "csrf" in str(exc).lower():
            return error_response(
                api, request, 403, code="csrf_failed",
                message=_("CSRF-kontrollen misslyckades. Skicka X-CSRFToken eller använd en "
                          "API-nyckel."),
            )
        return error_response(api, request, status)

    def ninja_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": _field_message(e)}
            for e in exc.errors
        ]
        return error_response(api, request, 422, errors=errors)

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged like Django logs an unhandled error; the client gets JSON, never a traceback.
        logger.error("Unhandled error in an API operation", exc_info=exc)
        return error_response(api, request, 500)

    def django_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "", "message": m} for m in exc.messages]
        first = errors[0]["message"] if errors else None
        return error_response(api, request, 422, message=first, errors=errors)

    api.add_exception_handler(Exception, server_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(BadRequest, bad_request)
    api.add_exception_handler(SuspiciousOperation, bad_request)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, ninja_invalid)
    api.add_exception_handler(DjangoValidationError, django_invalid)
