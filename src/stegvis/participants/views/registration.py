"""Registering: a participant in an insats, anonymous participants, and the förbund's
supplementary questions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from stegvis.access.personal_data import personal_data
from stegvis.access.roles import Capability
from stegvis.access.rules import association_from, perm_name, permission_required
from stegvis.interventions.services import anonymous_count_add
from stegvis.lib.views import show_service_errors, submit
from stegvis.participants import selectors, services
from stegvis.participants.forms import (
    AnonymousForm,
    RegistrationForm,
    SupplementaryQuestionForm,
)
from stegvis.participants.models import Participation
from stegvis.participants.views._common import GET_POST, _form_page


@personal_data
@login_required
@GET_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_for_participants(user=request.user, pk=pk)
    own, other = selectors.municipalities_for(intervention=intervention)
    questions = selectors.supplementary_questions(
        association_id=intervention.association_id, occasion="start", on=timezone.localdate()
    )
    today = timezone.localdate()
    form = RegistrationForm(
        request.POST or None,
        intervention=intervention,
        own_municipalities=own,
        other_municipalities=other,
        questions=questions,
        initial={"consent_date": today, "start_date": today},
    )
    needs_young_confirmation = False
    protected = False
    existing: Participation | None = None
    if request.method == "POST" and form.is_valid():
        try:
            participation = services.participation_start(
                actor=request.user, intervention=intervention, **form.service_kwargs()
            )
        except ValidationError as exc:
            number = form.cleaned_data.get("personnummer") or ""
            show_service_errors(form, exc)  # (removes the fields in error from cleaned_data)
            needs_young_confirmation = "confirm_young" in exc.message_dict
            protected = "protected_identity" in exc.message_dict
            if _(services.MSG_SECOND_OPEN) in exc.message_dict.get("personnummer", []):
                existing = selectors.open_participation_of(
                    user=request.user, intervention=intervention, personnummer=number
                )
        else:
            messages.success(request, _("Deltagaren är registrerad."))
            return redirect("participants:detail", pk=participation.pk)
    return _form_page(
        request,
        "participants/register.html",
        form,
        intervention=intervention,
        needs_young_confirmation=needs_young_confirmation,
        protected=protected,
        existing=existing,
        anonymous_form=AnonymousForm(initial={"start_year": timezone.localdate().year}),
    )


@personal_data
@login_required
@GET_POST
def anonymous_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Count a person with protected identity anonymously (sex and year of start only).

    Reached by choice from the registration page: protected identity is not an error.
    """
    intervention = selectors.intervention_for_participants(user=request.user, pk=pk)
    form = AnonymousForm(
        request.POST or None, initial={"start_year": timezone.localdate().year}
    )
    if response := submit(
        request,
        form,
        lambda: anonymous_count_add(
            actor=request.user,
            intervention=intervention,
            start_year=form.cleaned_data["start_year"],
            sex=form.cleaned_data["sex"],
        ),
        success=_("Personen är räknad i insatsens anonyma räkning."),
        redirect_to=lambda _result: redirect("participants:intervention", pk=intervention.pk),
    ):
        return response
    return _form_page(
        request, "participants/anonymous.html", form, intervention=intervention
    )


@login_required
@GET_POST
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("association_id"))
def questions(request: HttpRequest, association_id: int) -> HttpResponse:
    """Kompletterande frågor of a förbund, defined by its administrators."""
    association, existing = selectors.supplementary_question_admin(
        user=request.user, association_id=association_id
    )
    form = SupplementaryQuestionForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.supplementary_question_create(
            actor=request.user, association=association, **form.cleaned_data
        ),
        success=_("Frågan är sparad."),
        redirect_to=lambda _result: redirect(
            "participants:questions", association_id=association.pk
        ),
    ):
        return response
    return _form_page(
        request, "participants/questions.html", form, association=association,
        questions=existing,
    )
