"""Pages for the deltagaransvarig. Thin: forms parse, services write, selectors read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stegvis.access.personal_data import personal_data
from stegvis.followup.selectors import recent_link_outcomes, registrable_occasions
from stegvis.interventions.services import anonymous_count_add
from stegvis.participants import casework, followup, selectors, services
from stegvis.participants import personnummer as pnr
from stegvis.participants.casework_forms import (
    CoachMoveForm,
    InterventionMoveForm,
    ParticipantFilterForm,
    ReferenceForm,
    person_name,
)
from stegvis.participants.forms import (
    AnonymousForm,
    CorrectionForm,
    EndForm,
    MarkErrorForm,
    MeasurementForm,
    RegistrationForm,
    RevealForm,
    SearchForm,
    SupplementaryQuestionForm,
    WithdrawForm,
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


@login_required
def index(request: HttpRequest) -> HttpResponse:
    selectors.require_officer(user=request.user)
    return render(
        request,
        "participants/index.html",
        {
            "interventions": selectors.assigned_interventions(user=request.user),
            "counts": selectors.followup_counts(user=request.user),
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
            form.add_error("personnummer", f"Personnummer: {exc.message}")
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
        "participants/worklist.html",
        {
            "items": items,
            "sort": sort,
            "association_id": association_id,
            "overdue": followup.OVERDUE,
            "lapsed": followup.LAPSED,
            "recent": recent_link_outcomes(user=request.user, today=timezone.localdate()),
            "sorts": [
                ("due", _("Förfallodatum, tidigast först")),
                ("-due", _("Förfallodatum, senast först")),
                ("status", _("Försenade först")),
                ("insats", _("Insats")),
                ("occasion", _("Mättillfälle")),
            ],
        },
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
            form.apply_service_errors(exc)  # (removes the fields in error from cleaned_data)
            needs_young_confirmation = "confirm_young" in exc.message_dict
            protected = "protected_identity" in exc.message_dict
            if services.MSG_SECOND_OPEN in exc.message_dict.get("personnummer", []):
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
    if request.method == "POST" and form.is_valid():
        try:
            anonymous_count_add(
                actor=request.user,
                intervention=intervention,
                start_year=form.cleaned_data["start_year"],
                sex=form.cleaned_data["sex"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Personen är räknad i insatsens anonyma räkning."))
            return redirect("participants:intervention", pk=intervention.pk)
    return _form_page(
        request, "participants/anonymous.html", form, intervention=intervention
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
        registrable_occasions(participation=participation, today=timezone.localdate())
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
            form.apply_service_errors(exc)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_end(
                actor=request.user,
                participation=participation,
                end_date=form.cleaned_data.get("end_date"),
                exit_reason=form.cleaned_data.get("exit_reason") or None,
                measurement=form.measurement_input(),
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Deltagandet är avslutat."))
            return redirect("participants:detail", pk=participation.pk)
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
            for o in registrable_occasions(participation=participation,
                                           today=timezone.localdate())
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
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_record(
                actor=request.user,
                participation=participation,
                occasion=form.cleaned_data.get("occasion") or "",
                measurement=form.measurement_input(),
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Mätningen är registrerad."))
            return redirect("participants:detail", pk=participation.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_correct(
                actor=request.user, measurement=measurement, values=form.measurement_input()
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Mätningen är rättad."))
            return redirect("participants:detail", pk=participation.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_mark_error(
                actor=request.user, participation=participation,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(
                request,
                _("Deltagandet är markerat som felregistrering och räknas inte i statistiken."),
            )
            return redirect("participants:detail", pk=participation.pk)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_withdraw(
                actor=request.user, participation=participation,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(
                request,
                _("Samtycket är återkallat. Uppgifterna är raderade och deltagandet räknas "
                  "anonymt."),
            )
            return redirect("participants:intervention", pk=participation.intervention_id)
    return _form_page(
        request, "participants/withdraw.html", form, participation=participation,
        masked=selectors.masked_number(participation),
        erased=selectors.withdrawal_preview(participation=participation),
    )


@login_required
@GET_POST
def questions(request: HttpRequest, association_id: int) -> HttpResponse:
    """Kompletterande frågor of a förbund, defined by its administrators."""
    association, existing = selectors.supplementary_question_admin(
        user=request.user, association_id=association_id
    )
    form = SupplementaryQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplementary_question_create(
                actor=request.user, association=association, **form.cleaned_data
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Frågan är sparad."))
            return redirect("participants:questions", association_id=association.pk)
    return _form_page(
        request, "participants/questions.html", form, association=association,
        questions=existing,
    )


def _casework_post(
    request: HttpRequest, pk: int, *, purpose: str, name: str, make: Any, act: Any, done: str
) -> HttpResponse:
    participation = selectors.participation_get(user=request.user, pk=pk, purpose=purpose)
    form = make(request, participation)
    if form.is_valid():
        try:
            act(participation, form)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, done)
            return redirect("participants:detail", pk=participation.pk)
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
