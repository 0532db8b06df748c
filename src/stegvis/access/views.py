from __future__ import annotations

from typing import Any

from allauth.account.internal.stagekit import clear_login
from allauth.mfa.base.views import AuthenticateView
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access import selectors, services
from stegvis.access.forms import (
    ActivationForm,
    ApiTokenForm,
    ExistingUserGrantForm,
    RoleGrantForm,
    UserCreateForm,
)
from stegvis.access.models import ROLE_LABELS
from stegvis.access.roles import Capability, Role
from stegvis.access.rules import association_from, perm_name, permission_required
from stegvis.lib.views import act, show_service_errors, submit

# --- two-factor step of sign-in --------------------------------------------------------------


class MfaAuthenticateView(AuthenticateView):
    """allauth's two-factor step, with wrong codes counted by django-axes and audited.

    A wrong code is a failed sign-in: it is audited and counts towards the account's lockout.
    Once the account is locked, the half-finished sign-in is dropped and the lockout page shown.
    """

    def _credentials(self) -> dict[str, str]:
        return {"username": self.stage.login.user.get_username()}

    def _locked_out(self, request: HttpRequest) -> HttpResponse:
        credentials = self._credentials()
        clear_login(request)
        return get_lockout_response(request, credentials=credentials)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not AxesProxyHandler.is_allowed(request, self._credentials()):
            return self._locked_out(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        credentials = self._credentials()
        services.login_failed_record(username=credentials["username"], stage="totp")
        user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            return self._locked_out(self.request)
        return super().form_invalid(form)


mfa_authenticate = MfaAuthenticateView.as_view()


# --- the user's own account ---------------------------------------------------------------


@login_not_required
def password_reset_unavailable(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's e-mail reset: accounts are reset by the förbund's administrator."""
    return render(request, "access/password_reset_unavailable.html")


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    """My account: two-factor, password, API keys, and the förbund whose users I manage."""
    return render(
        request,
        "access/account_home.html",
        {"managed": selectors.managed_associations(user=request.user)},
    )


# --- users and roles of a förbund ------------------------------------------------------------


def _role_label(value: str) -> str:
    return str(ROLE_LABELS[Role(value)])


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def association_users(request: HttpRequest, association_id: int) -> HttpResponse:
    """A förbund's users and their roles; add a role to an existing account."""
    association, members = selectors.association_members(
        user=request.user, association_id=association_id
    )
    form = ExistingUserGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = selectors.user_by_username(
            user=request.user,
            association_id=association.pk,
            username=form.cleaned_data["username"],
        )
        if target is None:
            form.add_error("username", _("Användarnamn: det finns ingen sådan användare."))
        else:
            if response := submit(
                request,
                form,
                lambda: services.role_grant(
                    actor=request.user,
                    user=target,
                    role=form.cleaned_data["role"],
                    association=association,
                ),
                success=lambda _result: _("%(user)s har fått rollen %(role)s.")
                                        % {"user": target.get_username(),
                                           "role": _role_label(form.cleaned_data["role"])},
                redirect_to=lambda _result: redirect(
                    "access:association_users", association_id=association.pk
                ),
            ):
                return response
    return render(
        request,
        "access/association_users.html",
        {"association": association, "members": members, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def user_create(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.managed_association(
        user=request.user, association_id=association_id
    )
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=request.user, association=association,
                                        **form.cleaned_data)
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            # No password is set by the administrator: the user chooses one with the code.
            code, expires = services.activation_code_issue(actor=request.user, user=user)
            _association, member = selectors.association_member(
                user=request.user, association_id=association.pk, user_id=user.pk
            )
            response = render(
                request,
                "access/access_reset.html",
                {"association": association, "member": member, "code": code,
                 "expires": expires, "created": True},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "access/user_create.html",
        {"association": association, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def association_user(request: HttpRequest, association_id: int, user_id: int) -> HttpResponse:
    """One user's roles in the förbund: grant another, revoke one."""
    association, member = selectors.association_member(
        user=request.user, association_id=association_id, user_id=user_id
    )
    form = RoleGrantForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.role_grant(
            actor=request.user,
            user=member.user,
            role=form.cleaned_data["role"],
            association=association,
        ),
        success=lambda _result: _("%(user)s har fått rollen %(role)s.")
                                % {"user": member.user.get_username(),
                                   "role": _role_label(form.cleaned_data["role"])},
        redirect_to=lambda _result: redirect(
            "access:association_user", association_id=association.pk, user_id=user_id
        ),
    ):
        return response
    return render(
        request,
        "access/association_user.html",
        {"association": association, "member": member, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def access_reset(request: HttpRequest, association_id: int, user_id: int) -> HttpResponse:
    """Reset a user's access: a one-time activation code, shown here once, replaces password
    and second factor; the administrator never learns a password that works."""
    association, member = selectors.association_member(
        user=request.user, association_id=association_id, user_id=user_id
    )
    code = expires = None
    if request.method == "POST":
        code, expires = services.user_access_reset(actor=request.user, user=member.user)
    response = render(
        request,
        "access/access_reset.html",
        {"association": association, "member": member, "code": code, "expires": expires,
         "hours": services.ACTIVATION_CODE_HOURS},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
def activate(request: HttpRequest) -> HttpResponse:
    """First sign-in after an access reset: the activation code and a new password."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        credentials = {"username": form.cleaned_data["username"]}
        if not AxesProxyHandler.is_allowed(request, credentials):
            return get_lockout_response(request, credentials=credentials)
        try:
            services.account_activate(
                username=form.cleaned_data["username"],
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as e:
            if "code" in e.message_dict:
                user_login_failed.send(sender=__name__, credentials=credentials,
                                       request=request)
            show_service_errors(form, e)
        else:
            messages.success(
                request,
                _("Ditt nya lösenord är sparat. Logga in med det. Kräver din roll "
                  "tvåfaktorsautentisering aktiverar du en ny autentiseringsapp direkt efter."),
            )
            return redirect("account_login")
    response = render(
        request, "access/activate.html", {"form": form}, status=400 if form.errors else 200
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def role_revoke(request: HttpRequest, association_id: int, user_id: int) -> HttpResponse:
    association, member = selectors.association_member(
        user=request.user, association_id=association_id, user_id=user_id
    )
    role = request.POST.get("role", "")

    def back() -> HttpResponse:
        if len(member.grants) > 1:
            return redirect(
                "access:association_user", association_id=association.pk, user_id=user_id
            )
        return redirect("access:association_users", association_id=association.pk)

    return act(
        request,
        lambda: services.role_revoke(
            actor=request.user, user=member.user, role=role, association=association
        ),
        success=lambda _result: _("Rollen %(role)s är borttagen för %(user)s.")
        % {"role": _role_label(role), "user": member.user.get_username()},
        redirect_to=lambda _result: back(),
        on_error=back,
    )


# --- API keys --------------------------------------------------------------------------------


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API keys; a new key is shown once, right after it is created."""
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as e:
            show_service_errors(form, e)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "access/api_tokens.html",
        {"tokens": selectors.api_tokens(user=request.user), "form": form, "new_key": new_key},
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, pk=pk)
    return act(
        request,
        lambda: services.api_token_revoke(actor=request.user, token=token),
        success=lambda _result: _("Nyckeln %(name)s är återkallad.") % {"name": token.name},
        redirect_to=lambda _result: redirect("access:api_tokens"),
        on_error=lambda: redirect("access:api_tokens"),
    )
