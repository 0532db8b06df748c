"""Pages for national roles (/konto/nationella-roller/, systemadministratör only) and the
first sign-in with a temporary password (/konto/nytt-losenord/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access import first_sign_in, national, selectors
from stegvis.access.forms import NationalRoleForm, TemporaryPasswordForm
from stegvis.access.models import ROLE_LABELS
from stegvis.access.roles import Role
from stegvis.lib.views import show_service_errors, submit


def _label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


@login_required
def national_roles(request: HttpRequest) -> HttpResponse:
    grants = selectors.national_grants(user=request.user)
    form = NationalRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = selectors.any_user_by_username(
            user=request.user, username=form.cleaned_data["username"]
        )
        if target is None:
            form.add_error("username", _("Användarnamn: det finns ingen sådan användare."))
        else:
            if response := submit(
                request,
                form,
                lambda: national.national_role_grant(
                    actor=request.user, user=target, role=form.cleaned_data["role"]
                ),
                success=lambda _result: _("%(user)s har fått den nationella rollen %(role)s.")
                % {"user": target.get_username(), "role": _label(form.cleaned_data["role"])},
                redirect_to=lambda _result: redirect("access:national_roles"),
            ):
                return response
    return render(
        request,
        "access/national_roles.html",
        {"grants": grants, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def national_role_revoke(request: HttpRequest, user_id: int) -> HttpResponse:
    target = selectors.any_user(user=request.user, user_id=user_id)
    role = request.POST.get("role", "")
    try:
        national.national_role_revoke(actor=request.user, user=target, role=role)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Den nationella rollen %(role)s är borttagen för %(user)s.")
            % {"role": _label(role), "user": target.get_username()},
        )
    return redirect("access:national_roles")


@login_required
def password_change_required(request: HttpRequest) -> HttpResponse:
    """First sign-in with a temporary password: choose your own before anything else."""
    if not first_sign_in.must_change_password(request.user):
        return redirect("web:home")
    form = TemporaryPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            first_sign_in.temporary_password_replace(
                user=request.user,
                current=form.cleaned_data["current"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Ditt nya lösenord är sparat."))
            return redirect("web:home")
    response = render(
        request, "access/password_change_required.html", {"form": form},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response
