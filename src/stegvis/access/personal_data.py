"""Marking the views and API operations that handle personal data.

A marked page or operation is sent with ``Cache-Control: no-store`` (no browser or proxy keeps a
copy), and the tests list every marked view from the URL map and the OpenAPI document and prove
that calling it, allowed or refused, records an audit event with the förbund. The tests also
refuse any URL under the participant areas (``/deltagare/``, ``/api/v1/participations/``) that
is not marked, so a new view cannot be forgotten.

- pages: ``@personal_data`` as the outermost decorator of the view function;
- API: ``@personal_data_operation`` under the router's ``@router.get(...)``; the OpenAPI
  document then carries ``"x-stegvis-personal-data": true`` on the operation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpResponseBase
from django.utils.cache import add_never_cache_headers
from ninja.decorators import decorate_view
from ninja.utils import contribute_operation_callback

MARK = "stegvis_personal_data"
OPENAPI_MARK = "x-stegvis-personal-data"

View = TypeVar("View", bound=Callable[..., Any])


def _no_store(view: View) -> View:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        response = view(*args, **kwargs)
        if isinstance(response, HttpResponseBase):
            add_never_cache_headers(response)  # includes no-store and private
        return response

    return wrapped  # type: ignore[return-value]


def personal_data(view: View) -> View:
    """A page showing or taking personal data: never cached, listed by the audit tests."""
    wrapped = _no_store(view)
    setattr(wrapped, MARK, True)
    return wrapped


def is_personal_data(view: Any) -> bool:
    return bool(getattr(view, MARK, False))


def _mark_operation(operation: Any) -> None:
    operation.openapi_extra = {**(operation.openapi_extra or {}), OPENAPI_MARK: True}


def personal_data_operation(func: View) -> View:
    """An API operation handling personal data (put it below ``@router.<method>``)."""
    contribute_operation_callback(func, _mark_operation)
    return decorate_view(_no_store)(func)
