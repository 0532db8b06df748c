"""JSON errors of the API: ``{"code": "...", "message": "..."}`` with a Swedish message.

Codes are stable (clients may depend on them); messages may be reworded.
"""

from __future__ import annotations

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
}


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
            {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return error_response(api, request, 422, errors=errors)

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

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(BadRequest, bad_request)
    api.add_exception_handler(SuspiciousOperation, bad_request)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(NinjaValidationError, ninja_invalid)
    api.add_exception_handler(DjangoValidationError, django_invalid)
