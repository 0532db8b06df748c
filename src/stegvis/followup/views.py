"""Pages of follow-ups after the end.

- For the deltagaransvarig (signed in, assigned to the insats): a participation's follow-ups with
  closing, the contact channel and printed letters.
- For the participant (no sign-in): the questionnaire behind a one-time link. A forged, expired
  or used link, and too many tries, all get the same kind page that tells nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from stegvis.access.personal_data import personal_data
from stegvis.followup import ratelimit, rules, selectors, services
from stegvis.followup.forms import (
    ClosureForm,
    ContactForm,
    HorizonsForm,
    QuestionnaireForm,
    error_links,
)
from stegvis.lib.views import show_service_errors, submit
from stegvis.participants import followup
from stegvis.participants import selectors as participant_selectors
from stegvis.participants.models import Occasion, Participation

GET_POST = require_http_methods(["GET", "POST"])


def _page(request: HttpRequest, template: str, form: Any = None, **context: Any) -> HttpResponse:
    status = 400 if form is not None and form.is_bound and form.errors else 200
    if form is not None:
        context.update({"form": form, "error_links": error_links(form)})
    return render(request, template, context, status=status)


def _overview_context(request: HttpRequest, participation: Participation) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "participation": participation,
        "masked": participant_selectors.masked_number(participation),
        "rows": selectors.follow_up_rows(participation=participation, today=today),
        "contact": selectors.contact_masked(user=request.user, participation=participation),
        "statuses": {"due": followup.DUE, "overdue": followup.OVERDUE,
                     "lapsed": followup.LAPSED, "upcoming": followup.UPCOMING},
    }


@login_required
@GET_POST
def horizons(request: HttpRequest, pk: int) -> HttpResponse:
    """A förbund's follow-up horizons (förbundsadministratör, systemadministratör)."""
    association, long_horizons = selectors.horizons_get(user=request.user, association_id=pk)
    form = HorizonsForm(request.POST or None,
                        initial={"long_horizons": "1" if long_horizons else "0"})
    if request.method == "POST" and form.is_valid():
        services.horizons_set(actor=request.user, association=association,
                              long_horizons=form.cleaned_data["long_horizons"])
        messages.success(request, _("Uppföljningshorisonterna är sparade."))
        return redirect("associations:detail", pk=association.pk)
    return _page(request, "followup/horizons.html", form, association=association,
                 long_horizons=long_horizons)


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    participation = participant_selectors.participation_get(
        user=request.user, pk=pk, purpose="follow_up"
    )
    return render(request, "followup/overview.html", _overview_context(request, participation))


def _occasion(occasion: str) -> str:
    if occasion not in followup.FOLLOW_UP_MONTHS:
        raise Http404
    return occasion


@login_required
@GET_POST
def close(request: HttpRequest, pk: int, occasion: str) -> HttpResponse:
    occasion = _occasion(occasion)
    participation = participant_selectors.participation_get(
        user=request.user, pk=pk, purpose="follow_up_close"
    )
    today = timezone.localdate()
    form = ClosureForm(request.POST or None, on=today, initial={"date": today})
    if response := submit(
        request,
        form,
        lambda: services.follow_up_close(
            actor=request.user, participation=participation, occasion=occasion,
            reason=form.cleaned_data.get("reason") or None,
            date=form.cleaned_data.get("date"),
        ),
        success=_("Uppföljningen är avslutad och tas bort från listan."),
        redirect_to=lambda _result: redirect("followup:overview", pk=participation.pk),
    ):
        return response
    return _page(
        request, "followup/close.html", form, participation=participation,
        masked=participant_selectors.masked_number(participation),
        occasion_label=dict(Occasion.choices)[occasion],
    )


@login_required
@GET_POST
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    participation = participant_selectors.participation_get(
        user=request.user, pk=pk, purpose="follow_up_contact"
    )
    form = ContactForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.contact_record(
            actor=request.user, participation=participation,
            email=form.cleaned_data.get("email") or "",
            mobile=form.cleaned_data.get("mobile") or "",
            agreed=bool(form.cleaned_data.get("agreed")),
        ),
        success=_("Kontaktvägen är sparad."),
        redirect_to=lambda _result: redirect("followup:overview", pk=participation.pk),
    ):
        return response
    response = _page(
        request, "followup/contact.html", form, participation=participation,
        masked=participant_selectors.masked_number(participation),
        current=selectors.contact_masked(user=request.user, participation=participation),
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def erase_contact(request: HttpRequest, pk: int) -> HttpResponse:
    participation = participant_selectors.participation_get(
        user=request.user, pk=pk, purpose="follow_up_contact"
    )
    services.contact_erase(actor=request.user, participation=participation, why="by_officer")
    messages.success(request, _("Kontaktvägen är raderad."))
    return redirect("followup:overview", pk=participation.pk)


@login_required
@require_POST
def letter(request: HttpRequest, pk: int, occasion: str) -> HttpResponse:
    occasion = _occasion(occasion)
    participation = participant_selectors.participation_get(
        user=request.user, pk=pk, purpose="follow_up_letter"
    )
    try:
        pdf = services.letter_create(
            actor=request.user, participation=participation, occasion=occasion,
            base_url=request.build_absolute_uri("/"),
        )
    except ValidationError as exc:
        for message in (m for ms in exc.message_dict.values() for m in ms):
            messages.error(request, message)
        return redirect("followup:overview", pk=participation.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="uppfoljning-brev.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- the participant's pages (no sign-in) --------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _refused(request: HttpRequest, status: int = 404) -> HttpResponse:
    response = render(request, "followup/link_invalid.html", status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
@GET_POST
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire behind a one-time link."""
    if not ratelimit.allowed(
        token_hash=rules.token_hash(token), address=_client_address(request)
    ):
        return _refused(request, status=429)
    invitation = services.invitation_for_token(token)
    if invitation is None:
        used = services.invitation_answered(token) if request.method == "POST" else None
        if used is not None:  # a second submit: nothing new, the same answer page
            return redirect("followup:declined" if used.declined_at else "followup:thanks")
        return _refused(request)
    today = timezone.localdate()
    form = QuestionnaireForm(request.POST or None, on=today)
    if request.method == "POST":
        if "decline" in request.POST:
            services.self_report_decline(invitation=invitation)
            return redirect("followup:declined")
        if form.is_valid():
            try:
                services.self_report_submit(invitation=invitation, answers=form.answers())
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                return redirect("followup:thanks")
    else:
        services.invitation_opened(invitation=invitation)
    # The site-wide Referrer-Policy is same-origin: the link never leaves in a Referer header.
    return _page(request, "followup/answer.html", form, valid_until=invitation.valid_until)


@login_not_required
def thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/thanks.html")


@login_not_required
def declined(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/declined.html")


@personal_data
@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "due")
    if sort not in selectors.SORTS:
        sort = "due"
    association_id = request.GET.get("forbund", "")
    association_id = int(association_id) if association_id.isdigit() else None
    items = selectors.followup_worklist(
        user=request.user, sort=sort, association_id=association_id
    )
    return render(
        request,
        "followup/worklist.html",
        {
            "items": items,
            "sort": sort,
            "association_id": association_id,
            "overdue": followup.OVERDUE,
            "lapsed": followup.LAPSED,
            "recent": selectors.recent_link_outcomes(
                user=request.user, today=timezone.localdate()
            ),
            "sorts": [
                ("due", _("Förfallodatum, tidigast först")),
                ("-due", _("Förfallodatum, senast först")),
                ("status", _("Försenade först")),
                ("insats", _("Insats")),
                ("occasion", _("Mättillfälle")),
            ],
        },
    )
