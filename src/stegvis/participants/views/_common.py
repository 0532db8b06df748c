"""What the participant pages share: GET-and-POST views, rendering a form page, and the context
of a participation's page with its casework forms.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from stegvis.participants import hooks, selectors, services
from stegvis.participants.casework_forms import (
    CoachMoveForm,
    InterventionMoveForm,
    ReferenceForm,
    person_name,
)
from stegvis.participants.forms import (
    RevealForm,
    error_links,
)
from stegvis.participants.models import Occasion, Participation

GET_POST = require_http_methods(["GET", "POST"])


def _form_page(request: HttpRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, template, {"form": form, "error_links": error_links(form), **context},
        status=status,
    )


def _detail_context(request: HttpRequest, participation: Participation) -> dict[str, Any]:
    measurements = selectors.participation_measurements(participation=participation)
    labels = dict(Occasion.choices)
    can_follow_up = (
        participation.end_date is not None
        and not participation.is_error
        and services.consent_covers_follow_up(participation)
    )
    open_now = (
        hooks.follow_up().registrable_occasions(
            participation=participation, today=timezone.localdate()
        )
        if can_follow_up else []
    )
    return {
        "participation": participation,
        "masked": selectors.masked_number(participation),
        "others": [
            (p, p.pk == participation.pk)
            for p in selectors.person_participations(
                user=request.user, participation=participation
            )
        ],
        "measurements": measurements,
        "consent": getattr(participation, "consent", None),
        "can_follow_up": can_follow_up,
        "follow_ups_left": [(o, labels[o]) for o in open_now],
        "reveal_form": RevealForm(),
        **_casework_forms(request, participation),
    }


def _casework_forms(
    request: HttpRequest, participation: Participation, **bound: Any
) -> dict[str, Any]:
    """The own-reference, change-of-coach and change-of-insats forms of the detail page."""
    if not participation.is_open or participation.is_error or participation.person_id is None:
        return {"reference_form": None, "coach_form": None, "move_form": None}
    coaches = selectors.intervention_coaches(intervention=participation.intervention)
    targets = selectors.move_targets(user=request.user, participation=participation)
    return {
        "reference_form": bound.get("reference_form")
        or ReferenceForm(initial={"own_reference": participation.own_reference}),
        "coach_form": bound.get("coach_form")
        or CoachMoveForm(coaches=coaches, current=participation.current_coach_id),
        "move_form": bound.get("move_form") or InterventionMoveForm(targets=targets),
        "coach_name": next(
            (person_name(u) for u in coaches if u.pk == participation.current_coach_id), ""
        ),
    }
