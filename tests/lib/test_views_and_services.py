"""The shared view step (form → service → message → redirect) and the service decorator."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponseRedirect
from django.test import RequestFactory

from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.lib.services import service
from stegvis.lib.views import act, submit


class NameForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(required=False)


def _request(method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def _refuse(**_kwargs):
    raise ValidationError({"name": "Namn: ange ett namn.", "year": "År: ange ett årtal."})


def test_success_shows_the_message_and_redirects():
    request = _request(data={"name": "Stegvis"})
    form = NameForm(request.POST)
    response = submit(
        request, form, lambda: form.cleaned_data["name"].upper(),
        success=lambda name: f"{name} är sparad.",
        redirect_to=lambda _name: HttpResponseRedirect("/klart/"),
    )
    assert response.status_code == 302 and response.url == "/klart/"
    assert _messages(request) == [("success", "STEGVIS är sparad.")]


def test_service_errors_go_on_the_form_and_nothing_redirects():
    request = _request(data={"name": ""})
    form = NameForm(request.POST)
    response = submit(
        request, form, _refuse, success="Sparad.",
        redirect_to=lambda _r: HttpResponseRedirect("/klart/"),
    )
    assert response is None
    assert form.errors == {"name": ["Namn: ange ett namn."], "__all__": ["År: ange ett årtal."]}
    assert _messages(request) == []


def test_a_get_runs_no_service():
    request = _request("get")
    called = []
    response = submit(
        request, NameForm(), lambda: called.append(1), success="Sparad.",
        redirect_to=lambda _r: HttpResponseRedirect("/klart/"),
    )
    assert response is None and called == []


def test_a_button_shows_errors_as_messages_and_goes_back():
    request = _request()
    response = act(
        request, _refuse, success="Borttagen.",
        redirect_to=lambda _r: HttpResponseRedirect("/klart/"),
        on_error=lambda: HttpResponseRedirect("/tillbaka/"),
    )
    assert response.url == "/tillbaka/"
    assert sorted(_messages(request)) == [
        ("error", "Namn: ange ett namn."), ("error", "År: ange ett årtal."),
    ]


@pytest.mark.django_db
def test_guard_runs_outside_the_transaction_and_audit_inside():
    seen = []
    outside = len(connection.savepoint_ids)  # the test's own transaction

    def depth():
        return len(connection.savepoint_ids) > outside

    def guard(kwargs):
        seen.append(("guard", depth(), kwargs["actor"]))
        if kwargs["actor"] == "nobody":
            raise PermissionDenied

    def audit(result, kwargs):
        seen.append(("audit", depth(), result))

    @service(guard, audit=audit)
    def thing_set(*, actor, value):
        seen.append(("write", depth(), value))
        return value * 2

    assert thing_set(actor="anna", value=21) == 42
    assert seen == [("guard", False, "anna"), ("write", True, 21), ("audit", True, 42)]
    seen.clear()
    with pytest.raises(PermissionDenied):
        thing_set(actor="nobody", value=1)
    assert seen == [("guard", False, "nobody")]
    with pytest.raises(TypeError):
        thing_set("anna", 1)
