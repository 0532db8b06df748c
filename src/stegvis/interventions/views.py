"""Pages for insatser (/insatser/...). Thin: selectors read, forms type input, services write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stegvis.access.roles import Capability
from stegvis.access.rules import association_from, perm_name, permission_required
from stegvis.interventions import checks, domain, forms, selectors, services
from stegvis.interventions import volume as volume_services
from stegvis.interventions.models import FollowUpMethod, Intervention
from stegvis.lib.views import submit

PAGE_SIZE = 25


def _posted(request: HttpRequest) -> Any:
    """The submitted data on POST (even when empty, so the form is bound), else None."""
    return request.POST if request.method == "POST" else None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "interventions/index.html",
        {
            "associations": selectors.manageable_associations(user=request.user),
            "assigned": selectors.assigned_interventions(user=request.user),
        },
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_INTERVENTIONS), association_from("association_id"))
def association_list(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_for_management(
        user=request.user, association_id=association_id
    )
    interventions = selectors.intervention_list(user=request.user, association_id=association.pk)
    page = Paginator(interventions, PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "interventions/intervention_list.html",
        {"association": association, "page": page},
    )


def _choices(
    request: HttpRequest, association: Any, intervention: Intervention | None = None
) -> dict[str, Any]:
    """Choices for the insats form: member organisations and codes valid today (and the
    codes the insats already has, even if retired since)."""
    today = dt.date.today()
    chosen_groups = [c.pk for c in intervention.target_groups.all()] if intervention else []
    chosen_po = [intervention.precise_orientation_id] if intervention else []
    return {
        "organisations": selectors.member_organisations(user=request.user, association=association),
        "target_groups": selectors.target_group_codes(on=today, include=chosen_groups),
        "precise_orientations": selectors.precise_orientation_codes(
            on=today, include=[pk for pk in chosen_po if pk]
        ),
    }


@login_required
@permission_required(perm_name(Capability.MANAGE_INTERVENTIONS), association_from("association_id"))
def create(request: HttpRequest, association_id: int) -> HttpResponse:
    association = selectors.association_for_management(
        user=request.user, association_id=association_id
    )
    form = forms.InterventionCreateForm(_posted(request), **_choices(request, association))
    if request.method == "POST" and form.is_valid():
        if response := submit(
            request,
            form,
            lambda: services.intervention_create(
                actor=request.user, association=association, **form.cleaned_data
            ),
            success=_("Insatsen är skapad."),
            redirect_to=lambda intervention: redirect("interventions:detail", pk=intervention.pk),
        ):
            return response
    elif request.method == "POST":
        checks.add_to_form(
            form, checks.form_problems(association=association, data=form.cleaned_data)
        )
    return render(
        request,
        "interventions/intervention_form.html",
        {"form": form, "association": association, "intervention": None},
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_detail(user=request.user, pk=pk)
    return render(
        request,
        "interventions/intervention_detail.html",
        {
            "intervention": intervention,
            "association": intervention.association,
            "is_volume": intervention.follow_up_method == FollowUpMethod.VOLUME,
        },
    )


def _locked(intervention: Intervention) -> list[dict[str, str]]:
    return [
        {
            "label": _(domain.IMMUTABLE_FIELDS["orientation"]),
            "value": intervention.get_orientation_display(),
        },
        {
            "label": _(domain.IMMUTABLE_FIELDS["follow_up_method"]),
            "value": intervention.get_follow_up_method_display(),
        },
        {
            "label": _(domain.IMMUTABLE_FIELDS["esf_cofunded"]),
            "value": _("Ja") if intervention.esf_cofunded else _("Nej"),
        },
    ]


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_detail(user=request.user, pk=pk)
    form = forms.InterventionEditForm(
        _posted(request),
        initial=forms.InterventionEditForm.initial_for(intervention),
        intervention=intervention,
        **_choices(request, intervention.association, intervention),
    )
    if request.method == "POST" and form.is_valid():
        if response := submit(
            request,
            form,
            lambda: services.intervention_update(
                actor=request.user, intervention=intervention, **form.cleaned_data
            ),
            success=_("Ändringarna är sparade."),
            redirect_to=lambda _result: redirect("interventions:detail", pk=intervention.pk),
        ):
            return response
    elif request.method == "POST":
        checks.add_to_form(
            form,
            checks.form_problems(
                association=intervention.association,
                data=form.cleaned_data,
                intervention=intervention,
            ),
        )
    return render(
        request,
        "interventions/intervention_form.html",
        {
            "form": form,
            "association": intervention.association,
            "intervention": intervention,
            "locked": _locked(intervention),
            "locked_reason": _(domain.IMMUTABLE_REASON),
        },
    )


@login_required
def year(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_get(user=request.user, pk=pk)
    if request.method == "POST":
        form = forms.InterventionYearForm(request.POST, esf=intervention.esf_cofunded)
        if response := submit(
            request,
            form,
            lambda: services.intervention_year_set(
                actor=request.user,
                intervention=intervention,
                year=form.cleaned_data["year"],
                planned_participants=form.cleaned_data["planned_participants"],
                lines=form.lines(),
            ),
            success=_("Budgeten för året är sparad."),
            redirect_to=lambda _result: redirect("interventions:detail", pk=intervention.pk),
        ):
            return response
    else:
        try:
            wanted = int(request.GET.get("ar", ""))
        except ValueError:
            wanted = forms.default_year(intervention)
        existing = selectors.intervention_year(
            user=request.user, intervention=intervention, year=wanted
        )
        initial = (
            forms.InterventionYearForm.initial_for(existing)
            if existing
            else {"year": wanted, "planned_participants": 0}
        )
        form = forms.InterventionYearForm(initial=initial, esf=intervention.esf_cofunded)
    return render(
        request,
        "interventions/year_form.html",
        {"form": form, "intervention": intervention, "association": intervention.association},
    )


@login_required
def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_detail(user=request.user, pk=pk)
    officers = selectors.assignable_officers(user=request.user, intervention=intervention)
    form = forms.AssignmentForm(_posted(request), officers=officers)
    if response := submit(
        request,
        form,
        lambda: services.assignment_add(
            actor=request.user, intervention=intervention, user=form.cleaned_data["user"]
        ),
        success=_("Deltagaransvarig är tilldelad insatsen."),
        redirect_to=lambda _result: redirect("interventions:assignments", pk=intervention.pk),
    ):
        return response
    return render(
        request,
        "interventions/assignments.html",
        {"form": form, "intervention": intervention, "association": intervention.association},
    )


@login_required
@require_POST
def assignment_remove(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    intervention = selectors.intervention_get(user=request.user, pk=pk)
    officer = selectors.assigned_user(user=request.user, intervention=intervention, user_id=user_id)
    services.assignment_remove(actor=request.user, intervention=intervention, user=officer)
    messages.success(request, _("Tilldelningen är borttagen."))
    return redirect("interventions:assignments", pk=intervention.pk)


@login_required
def volume(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_get(user=request.user, pk=pk)
    form = forms.VolumeCountForm(_posted(request))
    if response := submit(
        request,
        form,
        lambda: services.volume_count_record(
            actor=request.user, intervention=intervention, **form.cleaned_data
        ),
        success=_("Volymräkningen är registrerad."),
        redirect_to=lambda _result: redirect("interventions:detail", pk=intervention.pk),
    ):
        return response
    return render(
        request,
        "interventions/volume_form.html",
        {
            "form": form,
            "intervention": intervention,
            "association": intervention.association,
            "counts": selectors.volume_counts(user=request.user, intervention=intervention),
            "heading": _("Registrera volymräkning"),
            "intro": _("Ange hur många som deltog under perioden. Kvinnor och män är frivilligt. "
                       "Perioden får inte överlappa en redan registrerad period."),
        },
    )


@login_required
def volume_edit(request: HttpRequest, pk: int, count_pk: int) -> HttpResponse:
    count = selectors.volume_count_get(user=request.user, intervention_pk=pk, pk=count_pk)
    intervention = count.intervention
    form = forms.VolumeCountForm(
        _posted(request),
        initial={f: getattr(count, f) for f in ("period_start", "period_end", "total",
                                                "women", "men")},
    )
    if response := submit(
        request,
        form,
        lambda: volume_services.volume_count_update(
            actor=request.user, count=count, **form.cleaned_data
        ),
        success=_("Volymräkningen är rättad."),
        redirect_to=lambda _result: redirect("interventions:volume", pk=intervention.pk),
    ):
        return response
    return render(
        request,
        "interventions/volume_form.html",
        {
            "form": form,
            "intervention": intervention,
            "association": intervention.association,
            "count": count,
            "heading": _("Rätta volymräkning"),
            "intro": _("Rätta perioden eller antalen. Det som stod förut finns kvar i loggen."),
        },
    )


@login_required
def volume_remove(request: HttpRequest, pk: int, count_pk: int) -> HttpResponse:
    count = selectors.volume_count_get(user=request.user, intervention_pk=pk, pk=count_pk)
    intervention = count.intervention
    if request.method == "POST":
        try:
            volume_services.volume_count_remove(actor=request.user, count=count)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Volymräkningen är borttagen."))
        return redirect("interventions:volume", pk=intervention.pk)
    return render(
        request,
        "interventions/volume_remove.html",
        {"count": count, "intervention": intervention, "association": intervention.association},
    )


@login_required
def anonymous(request: HttpRequest, pk: int) -> HttpResponse:
    intervention = selectors.intervention_get(user=request.user, pk=pk)
    form = forms.AnonymousCountForm(
        _posted(request), initial={"start_year": forms.default_year(intervention)}
    )
    if response := submit(
        request,
        form,
        lambda: services.anonymous_count_set(
            actor=request.user, intervention=intervention, **form.cleaned_data
        ),
        success=_("Den anonyma räkningen är sparad."),
        redirect_to=lambda _result: redirect("interventions:detail", pk=intervention.pk),
    ):
        return response
    return render(
        request,
        "interventions/count_form.html",
        {
            "form": form,
            "intervention": intervention,
            "association": intervention.association,
            "heading": _("Anonym räkning per startår"),
            "intro": _(
                "Ange hur många kvinnor och män som startade i insatsen under året utan att "
                "registreras med identitet. Ett tidigare värde för samma år ersätts."
            ),
        },
    )
