"""Casework on a participation: own reference, moving it to another deltagaransvarig or insats.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.personal_data import personal_data
from stegvis.lib.views import submit
from stegvis.participants import casework, selectors
from stegvis.participants.casework_forms import (
    CoachMoveForm,
    InterventionMoveForm,
    ReferenceForm,
)
from stegvis.participants.forms import (
    error_links,
)
from stegvis.participants.models import Participation
from stegvis.participants.views._common import _casework_forms, _detail_context


def _casework_post(
    request: HttpRequest, pk: int, *, purpose: str, name: str, make: Any, act: Any, done: str
) -> HttpResponse:
    participation = selectors.participation_get(user=request.user, pk=pk, purpose=purpose)
    form = make(request, participation)
    if response := submit(
        request,
        form,
        lambda: act(participation, form),
        success=done,
        redirect_to=lambda _result: redirect("participants:detail", pk=participation.pk),
    ):
        return response
    context = _detail_context(request, participation)
    context.update(_casework_forms(request, participation, **{name: form}))
    context["error_links"] = error_links(form)
    return render(request, "participants/detail.html", context, status=400)


@personal_data
@login_required
@require_POST
def reference(request: HttpRequest, pk: int) -> HttpResponse:
    return _casework_post(
        request, pk, purpose="reference", name="reference_form",
        make=lambda r, p: ReferenceForm(r.POST),
        act=lambda p, f: casework.participation_reference_set(
            actor=request.user, participation=p,
            reference=f.cleaned_data.get("own_reference") or "",
        ),
        done=_("Din egen referens är sparad."),
    )


@personal_data
@login_required
@require_POST
def coach_move(request: HttpRequest, pk: int) -> HttpResponse:
    def make(r: HttpRequest, p: Participation) -> CoachMoveForm:
        return CoachMoveForm(
            r.POST, coaches=selectors.intervention_coaches(intervention=p.intervention),
            current=p.current_coach_id,
        )

    return _casework_post(
        request, pk, purpose="coach_move", name="coach_form", make=make,
        act=lambda p, f: casework.participation_coach_move(
            actor=request.user, participation=p,
            coach=f.coaches.get(f.cleaned_data.get("coach")),
        ),
        done=_("Deltagandet har en ny deltagaransvarig."),
    )


@personal_data
@login_required
@require_POST
def intervention_move(request: HttpRequest, pk: int) -> HttpResponse:
    def make(r: HttpRequest, p: Participation) -> InterventionMoveForm:
        return InterventionMoveForm(
            r.POST, targets=selectors.move_targets(user=request.user, participation=p)
        )

    return _casework_post(
        request, pk, purpose="intervention_move", name="move_form", make=make,
        act=lambda p, f: casework.participation_intervention_move(
            actor=request.user, participation=p,
            target=f.targets.get(f.cleaned_data.get("target")),
        ),
        done=_("Deltagandet är flyttat till den nya insatsen."),
    )
