"""Finding participants: the start page, search by personnummer and the participants of an
insats. (The follow-up worklist is ``stegvis.followup.views.worklist``.)
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.personal_data import personal_data
from stegvis.lib import personnummer as pnr
from stegvis.participants import selectors
from stegvis.participants.casework_forms import (
    ParticipantFilterForm,
    person_name,
)
from stegvis.participants.forms import (
    SearchForm,
    error_links,
)
from stegvis.participants.models import Participation


@login_required
def index(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(user=request.user)
    return render(
        request,
        "participants/index.html",
        {
            "interventions": selectors.assigned_interventions(user=request.user),
            "search_form": SearchForm(),
        },
    )


@personal_data
@login_required
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    """Search by personnummer (POST only: the number never enters a URL)."""
    form = SearchForm(request.POST)
    hits: list[Participation] | None = None
    if form.is_valid():
        try:
            hits = selectors.participant_search(
                user=request.user, personnummer=form.cleaned_data["personnummer"]
            )
        except pnr.PersonnummerError as exc:
            form.add_error("personnummer", _("Personnummer: %(reason)s") % {"reason": exc.message})
    else:
        selectors.require_officer(user=request.user)
    return render(
        request,
        "participants/search.html",
        {
            "form": form,
            "error_links": error_links(form),
            "hits": [(p, selectors.masked_number(p)) for p in hits or []],
            "searched": hits is not None,
        },
        status=400 if form.errors else 200,
    )


@personal_data
@login_required
def intervention_participants(request: HttpRequest, pk: int) -> HttpResponse:
    """An insats's participants: filter by status, coach and start year, sort, page (GET)."""
    intervention = selectors.intervention_for_participants(user=request.user, pk=pk)
    coaches = selectors.intervention_coaches(intervention=intervention)
    form = ParticipantFilterForm(
        request.GET or None,
        coaches=coaches,
        years=selectors.intervention_start_years(intervention=intervention),
    )
    filters = form.filters()
    page = selectors.participation_page(
        user=request.user, intervention=intervention, page=request.GET.get("page"), **filters
    )
    names = {u.pk: person_name(u) for u in coaches}
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    return render(
        request,
        "participants/intervention.html",
        {
            "intervention": intervention,
            "filter_form": form,
            "page": page,
            "query_prefix": f"{query}&" if query else "",
            "rows": [
                (p, selectors.masked_number(p), names.get(p.current_coach_id, ""))
                for p in page.object_list
            ],
        },
        status=400 if form.is_bound and form.errors else 200,
    )
