from __future__ import annotations

from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.eid import refusals, selectors, services
from stegvis.eid.adapters import refusal_response
from stegvis.eid.forms import IdentityForm
from stegvis.lib.views import act, submit


@login_required
def member_identities(request: HttpRequest, association_id: int, user_id: int) -> HttpResponse:
    """The e-legitimation identities a förbund member signs in with; record a new one."""
    association, member, identities = selectors.member_identities(
        user=request.user, association_id=association_id, user_id=user_id
    )
    form = IdentityForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.identity_set(actor=request.user, user=member.user, **form.cleaned_data),
        success=lambda _result: _("E-legitimation för %(user)s är registrerad.")
                                % {"user": member.user.get_username()},
        redirect_to=lambda _result: redirect(
            "eid:member_identities", association_id=association.pk, user_id=user_id
        ),
    ):
        return response
    return render(
        request,
        "eid/member_identities.html",
        {"association": association, "member": member, "identities": identities, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def member_identity_remove(
    request: HttpRequest, association_id: int, user_id: int
) -> HttpResponse:
    association, member, _identities = selectors.member_identities(
        user=request.user, association_id=association_id, user_id=user_id
    )
    def back() -> HttpResponse:
        return redirect("eid:member_identities", association_id=association.pk, user_id=user_id)

    return act(
        request,
        lambda: services.identity_remove(
            actor=request.user, user=member.user, kind=request.POST.get("kind", "")
        ),
        success=_("E-legitimationen är borttagen."),
        redirect_to=lambda _result: back(),
        on_error=back,
    )


@login_not_required
def saml_finish_acs(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """allauth's SAML ACS step; a response whose request is not pending here (used already, or
    started in another browser) is refused with a Swedish page and an audit event."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except PermissionDenied:
        services.signin_refused_record(provider="saml", reason=refusals.REPLAYED)
        return refusal_response(request, refusals.REPLAYED)
