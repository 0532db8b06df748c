"""A participation's page and what is done from it: reveal the personnummer, end, measure, correct a
measurement, felregistrering and withdrawal of consent.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.personal_data import personal_data
from stegvis.lib.views import show_service_errors, submit
from stegvis.participants import hooks, selectors, services
from stegvis.participants.forms import (
    CorrectionForm,
    EndForm,
    MarkErrorForm,
    MeasurementForm,
    RevealForm,
    WithdrawForm,
    error_links,
)
from stegvis.participants.models import Occasion
from stegvis.participants.views._common import GET_POST, _detail_context, _form_page


@personal_data
@login_required
def participation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participation = selectors.participation_get(user=request.user, pk=pk)
    return render(
        request, "participants/detail.html", _detail_context(request, participation)
    )


@personal_data
@login_required
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full number on the page (never in a URL) after a reason is given."""
    participation = selectors.participation_get(user=request.user, pk=pk, purpose="reveal")
    form = RevealForm(request.POST)
    full = ""
    if form.is_valid():
        try:
            full = services.person_reveal(
                actor=request.user,
                participation=participation,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
    context = _detail_context(request, participation)
    context.update({"reveal_form": form, "full_number": full,
                    "error_links": error_links(form)})
    return render(request, "participants/detail.html", context,
                  status=400 if form.errors else 200)


@personal_data
@login_required
@GET_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    participation = selectors.participation_get(user=request.user, pk=pk, purpose="end")
    intervention = participation.intervention
    questions = selectors.supplementary_questions(
        association_id=intervention.association_id, occasion="end", on=timezone.localdate()
    )
    form = EndForm(request.POST or None, intervention=intervention, questions=questions)
    if response := submit(
        request,
        form,
        lambda: services.participation_end(
            actor=request.user,
            participation=participation,
            end_date=form.cleaned_data.get("end_date"),
            exit_reason=form.cleaned_data.get("exit_reason") or None,
            measurement=form.measurement_input(),
        ),
        success=_("Deltagandet är avslutat."),
        redirect_to=lambda _result: redirect("participants:detail", pk=participation.pk),
    ):
        return response
    return _form_page(
        request, "participants/end.html", form, participation=participation,
        masked=selectors.masked_number(participation),
    )


@personal_data
@login_required
@GET_POST
def measure(request: HttpRequest, pk: int) -> HttpResponse:
    participation = selectors.participation_get(user=request.user, pk=pk, purpose="measure")
    labels = dict(Occasion.choices)
    if participation.end_date is None:
        occasions = [(Occasion.INTERIM.value, str(labels[Occasion.INTERIM]))]
    else:  # only follow-ups whose window is open: the service accepts exactly those
        occasions = [
            (o, str(labels[o]))
            for o in hooks.follow_up().registrable_occasions(
                participation=participation, today=timezone.localdate()
            )
        ]
    form = MeasurementForm(
        request.POST or None, intervention=participation.intervention, occasions=occasions,
    )
    if not form.is_bound:  # start from the previous measurement
        previous = selectors.participation_measurements(participation=participation)
        if previous:
            form.initial.update(form.initial_from(previous[-1]))
        form.initial["measurement_date"] = timezone.localdate()
        wanted = request.GET.get("occasion")
        if wanted in dict(occasions):
            form.initial["occasion"] = wanted
    if response := submit(
        request,
        form,
        lambda: services.measurement_record(
            actor=request.user,
            participation=participation,
            occasion=form.cleaned_data.get("occasion") or "",
            measurement=form.measurement_input(),
        ),
        success=_("Mätningen är registrerad."),
        redirect_to=lambda _result: redirect("participants:detail", pk=participation.pk),
    ):
        return response
    return _form_page(
        request, "participants/measure.html", form, participation=participation,
        masked=selectors.masked_number(participation), occasions=occasions,
    )


@personal_data
@login_required
@GET_POST
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = selectors.measurement_get(user=request.user, pk=pk)
    participation = measurement.participation
    questions = []
    if measurement.occasion in (Occasion.START, Occasion.END):
        questions = selectors.supplementary_questions(
            association_id=participation.intervention.association_id,
            occasion=measurement.occasion,
            on=measurement.date,
        )
    form = CorrectionForm(request.POST or None, measurement=measurement, questions=questions)
    if response := submit(
        request,
        form,
        lambda: services.measurement_correct(
            actor=request.user, measurement=measurement, values=form.measurement_input()
        ),
        success=_("Mätningen är rättad."),
        redirect_to=lambda _result: redirect("participants:detail", pk=participation.pk),
    ):
        return response
    return _form_page(
        request, "participants/correct.html", form, measurement=measurement,
        participation=participation, masked=selectors.masked_number(participation),
    )


@personal_data
@login_required
@GET_POST
def mark_error(request: HttpRequest, pk: int) -> HttpResponse:
    """Felregistrering asks for a reason before the participation leaves the statistics."""
    participation = selectors.participation_get(user=request.user, pk=pk, purpose="mark_error")
    form = MarkErrorForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.participation_mark_error(
            actor=request.user, participation=participation,
            reason=form.cleaned_data.get("reason") or "",
        ),
        success=_("Deltagandet är markerat som felregistrering och räknas inte i statistiken."),
        redirect_to=lambda _result: redirect("participants:detail", pk=participation.pk),
    ):
        return response
    return _form_page(
        request, "participants/mark_error.html", form, participation=participation,
        masked=selectors.masked_number(participation),
    )


@personal_data
@login_required
@GET_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawn consent: name what is erased, ask for the date and an explicit confirmation."""
    participation = selectors.participation_get(user=request.user, pk=pk, purpose="withdraw")
    form = WithdrawForm(request.POST or None, initial={"withdrawn_on": timezone.localdate()})
    if response := submit(
        request,
        form,
        lambda: services.consent_withdraw(
            actor=request.user, participation=participation,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
        ),
        success=_("Samtycket är återkallat. Uppgifterna är raderade och deltagandet räknas "
                  "anonymt."),
        redirect_to=lambda _result: redirect(
            "participants:intervention", pk=participation.intervention_id
        ),
    ):
        return response
    return _form_page(
        request, "participants/withdraw.html", form, participation=participation,
        masked=selectors.masked_number(participation),
        erased=selectors.withdrawal_preview(participation=participation),
    )


