"""The one "form → service → message → redirect" step of a view. Uses Django.

A view builds its form, then::

    if response := submit(
        request, form, lambda: services.thing_set(actor=request.user, **form.cleaned_data),
        success=_("Saken är sparad."),
        redirect_to=lambda thing: redirect("app:detail", pk=thing.pk),
    ):
        return response
    return render(request, "app/thing_form.html", {"form": form})

On a valid POST the service runs; if it raises ``ValidationError`` its messages go on the form
(``stegvis.lib.forms.add_service_errors``) and ``submit`` returns ``None``, so the view
re-renders the form with the errors. On success the message is shown on the next page and the
redirect is returned. A GET, or a form that is not valid, also gives ``None``.

``act`` is the same for a POST without a form (a button): errors become error messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from stegvis.lib.forms import FieldMap, add_service_errors

T = TypeVar("T")
Message = str | Callable[[Any], str] | None


def _success(request: HttpRequest, success: Message, result: Any) -> None:
    if success is not None:
        messages.success(request, success(result) if callable(success) else success)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    service: Callable[[], T],
    *,
    success: Message,
    redirect_to: Callable[[T], HttpResponse],
    field_map: FieldMap | None = None,
) -> HttpResponse | None:
    """Run ``service`` for a valid POSTed ``form``: the redirect on success, else ``None``."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = service()
    except ValidationError as error:
        show_service_errors(form, error, field_map)
        return None
    _success(request, success, result)
    return redirect_to(result)


def show_service_errors(
    form: forms.BaseForm, error: ValidationError, field_map: FieldMap | None = None
) -> None:
    """The form's own ``add_service_errors`` if it has one (``ServiceErrorsMixin``), else the
    plain ``stegvis.lib.forms.add_service_errors``."""
    method = getattr(form, "add_service_errors", None)
    if method is not None:
        method(error, field_map)
    else:
        add_service_errors(form, error, field_map)


def act(
    request: HttpRequest,
    service: Callable[[], T],
    *,
    success: Message,
    redirect_to: Callable[[T], HttpResponse],
    on_error: Callable[[], HttpResponse],
) -> HttpResponse:
    """Run ``service`` for a button: its errors as error messages and ``on_error()``."""
    try:
        result = service()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return on_error()
    _success(request, success, result)
    return redirect_to(result)
