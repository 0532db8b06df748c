"""Forms for insatser. They collect and type input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.interventions import domain
from stegvis.interventions.models import FollowUpMethod, Intervention, Orientation
from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.lib.validators import no_personnummer, plausible_date, plausible_year

DATE_HINT = _("Skriv datumet som ÅÅÅÅ-MM-DD.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _InterventionFields(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=200,
        validators=[no_personnummer(_("Namn"))],
        error_messages={
            "required": _("Namn: ange insatsens namn."),
            "max_length": _("Namn: högst 200 tecken."),
        },
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[no_personnummer(_("Beskrivning"))],
    )
    precise_orientation = forms.ModelChoiceField(
        label=_("Preciserad inriktning"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label=_("Ingen"),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Målgrupper"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj en eller flera."),
        error_messages={"required": _("Målgrupper: välj minst en målgrupp.")},
    )
    organiser = forms.ModelChoiceField(
        label=_("Anordnare"),
        queryset=None,  # type: ignore[arg-type]
        help_text=_(
            "Den part som genomför insatsen. Anordnaren räknas alltid som deltagande part."
        ),
        error_messages={"required": _("Anordnare: välj den part som anordnar insatsen.")},
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Deltagande parter"),
        queryset=None,  # type: ignore[arg-type]
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Minst två olika parter ska delta. Flera kommuner räknas som en part; "
            "Försäkringskassan och Arbetsförmedlingen är olika parter."
        ),
    )
    controller = forms.ModelChoiceField(
        label=_("Personuppgiftsansvarig"),
        queryset=None,  # type: ignore[arg-type]
        help_text=_("Den organisation som är personuppgiftsansvarig för insatsens deltagare."),
        error_messages={"required": _("Personuppgiftsansvarig: välj en organisation.")},
    )
    start_date = forms.DateField(
        label=_("Startdatum"),
        widget=DateInput(),
        help_text=DATE_HINT,
        error_messages={
            "required": _("Startdatum: ange när insatsen börjar."),
            "invalid": _("Startdatum: skriv ett giltigt datum, ÅÅÅÅ-MM-DD."),
        },
    )
    end_date = forms.DateField(
        label=_("Slutdatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Lämna tomt om insatsen pågår tills vidare. Skriv datumet som ÅÅÅÅ-MM-DD."),
        error_messages={"invalid": _("Slutdatum: skriv ett giltigt datum, ÅÅÅÅ-MM-DD.")},
    )

    def __init__(
        self,
        *args: Any,
        organisations: Any,
        target_groups: Any,
        precise_orientations: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name in ("organiser", "parties", "controller"):
            self.fields[name].queryset = organisations  # type: ignore[attr-defined]
        self.fields["target_groups"].queryset = target_groups  # type: ignore[attr-defined]
        self.fields["precise_orientation"].queryset = precise_orientations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start:
            for err in domain.date_errors(start, end, today=timezone.localdate()):
                if err.field not in self.errors:
                    self.add_error(err.field, err.message)
        return data


class InterventionCreateForm(_InterventionFields):
    orientation = forms.ChoiceField(
        label=_("Inriktning"),
        choices=Orientation.choices,
        widget=forms.RadioSelect,
        help_text=_("Kan inte ändras när insatsen är skapad."),
        error_messages={
            "required": _("Inriktning: välj individinriktad eller strukturövergripande.")
        },
    )
    follow_up_method = forms.ChoiceField(
        label=_("Uppföljningsmetod"),
        choices=FollowUpMethod.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Identifierad: deltagare registreras med personnummer och samtycke. Anonym: bara "
            "antal kvinnor och män per startår. Volym: bara totalt antal, vanligt för "
            "strukturövergripande insatser. Kan inte ändras när insatsen är skapad."
        ),
        error_messages={"required": _("Uppföljningsmetod: välj identifierad, anonym eller volym.")},
    )
    esf_cofunded = forms.BooleanField(
        label=_("Medfinansierad av Europeiska socialfonden (ESF)"),
        required=False,
        help_text=_("Kan inte ändras när insatsen är skapad."),
    )

    field_order = [
        "name",
        "description",
        "orientation",
        "precise_orientation",
        "target_groups",
        "follow_up_method",
        "esf_cofunded",
        "organiser",
        "parties",
        "controller",
        "start_date",
        "end_date",
    ]


class InterventionEditForm(_InterventionFields):
    """Edit form: the locked fields are not fields here; posting a change to one is refused."""

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        self.intervention = intervention
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        current = {f: getattr(self.intervention, f) for f in domain.IMMUTABLE_FIELDS}
        posted: dict[str, Any] = {
            f: self.data.get(f) for f in ("orientation", "follow_up_method") if f in self.data
        }
        if "esf_cofunded" in self.data:
            posted["esf_cofunded"] = forms.CheckboxInput().value_from_datadict(
                self.data, {}, "esf_cofunded"
            )
        for err in domain.immutable_errors(current, posted):
            self.add_error(None, err.message)
        return data

    @staticmethod
    def initial_for(intervention: Intervention) -> dict[str, Any]:
        return {
            "name": intervention.name,
            "description": intervention.description,
            "precise_orientation": intervention.precise_orientation_id,
            "target_groups": list(intervention.target_groups.all()),
            "organiser": intervention.organiser_id,
            "parties": list(intervention.parties.all()),
            "controller": intervention.controller_id,
            "start_date": intervention.start_date,
            "end_date": intervention.end_date,
        }


def _money_field(label: Any, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        help_text=_("Hela kronor."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("%(label)s: ange ett belopp i hela kronor.") % {"label": label},
            "invalid": _("%(label)s: ange ett belopp i hela kronor.") % {"label": label},
            "min_value": _("%(label)s: beloppet kan inte vara negativt.") % {"label": label},
        },
    )


class InterventionYearForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(
        label=_("År"),
        validators=[plausible_year(_("År"))],
        error_messages={"required": _("År: ange ett årtal."), "invalid": _("År: ange ett årtal.")},
    )
    planned_participants = forms.IntegerField(
        label=_("Planerat antal deltagare"),
        min_value=0,
        error_messages={
            "required": _("Planerat antal deltagare: ange ett antal (0 om inga planeras)."),
            "invalid": _("Planerat antal deltagare: ange ett heltal."),
            "min_value": _("Planerat antal deltagare: kan inte vara negativt."),
        },
    )
    insatskostnad_budget = _money_field(_("Insatskostnad, budget"), required=False)
    insatskostnad_actual = _money_field(_("Insatskostnad, utfall"), required=False)
    esf_insatskostnad_budget = _money_field(_("ESF-insatskostnad, budget"), required=False)
    esf_insatskostnad_actual = _money_field(_("ESF-insatskostnad, utfall"), required=False)

    def __init__(self, *args: Any, esf: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not esf:
            del self.fields["esf_insatskostnad_budget"]
            del self.fields["esf_insatskostnad_actual"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for kind, label in (
            ("insatskostnad", _("Insatskostnad")),
            ("esf_insatskostnad", _("ESF-insatskostnad")),
        ):
            if f"{kind}_budget" not in self.fields:
                continue
            if data.get(f"{kind}_actual") is not None and data.get(f"{kind}_budget") is None:
                self.add_error(
                    f"{kind}_budget",
                    _("%(label)s, budget: ange budget när utfall anges.") % {"label": label},
                )
        return data

    def lines(self) -> list[tuple[str, int | None, int | None]]:
        result = []
        for kind in ("insatskostnad", "esf_insatskostnad"):
            budget = self.cleaned_data.get(f"{kind}_budget")
            if budget is not None:
                result.append((kind, budget, self.cleaned_data.get(f"{kind}_actual")))
        return result

    @staticmethod
    def initial_for(year: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "year": year.year,
            "planned_participants": year.planned_participants,
        }
        for line in year.budget_lines.all():
            initial[f"{line.kind}_budget"] = int(line.budget)
            initial[f"{line.kind}_actual"] = None if line.actual is None else int(line.actual)
        return initial


class AssignmentForm(ServiceErrorsMixin, forms.Form):
    user = forms.ModelChoiceField(
        label=_("Deltagaransvarig"),
        queryset=None,  # type: ignore[arg-type]
        help_text=_("Användare med rollen deltagaransvarig i förbundet."),
        error_messages={
            "required": _("Deltagaransvarig: välj en användare."),
            "invalid_choice": _(
                "Deltagaransvarig: användaren har inte rollen deltagaransvarig i förbundet."
            ),
        },
    )

    def __init__(self, *args: Any, officers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = officers  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: (  # type: ignore[attr-defined]
            f"{u.get_full_name()} ({u.get_username()})" if u.get_full_name() else u.get_username()
        )


def _count_field(label: Any, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        error_messages={
            "required": _("%(label)s: ange ett antal.") % {"label": label},
            "invalid": _("%(label)s: ange ett heltal.") % {"label": label},
            "min_value": _("%(label)s: kan inte vara negativt.") % {"label": label},
        },
    )


class VolumeCountForm(ServiceErrorsMixin, forms.Form):
    period_start = forms.DateField(
        label=_("Periodens början"),
        widget=DateInput(),
        validators=[plausible_date(_("Periodens början"))],
        help_text=DATE_HINT,
        error_messages={
            "required": _("Periodens början: ange ett datum."),
            "invalid": _("Periodens början: skriv ett giltigt datum, ÅÅÅÅ-MM-DD."),
        },
    )
    period_end = forms.DateField(
        label=_("Periodens slut"),
        widget=DateInput(),
        validators=[plausible_date(_("Periodens slut"))],
        help_text=DATE_HINT,
        error_messages={
            "required": _("Periodens slut: ange ett datum."),
            "invalid": _("Periodens slut: skriv ett giltigt datum, ÅÅÅÅ-MM-DD."),
        },
    )
    total = _count_field(_("Antal totalt"))
    women = _count_field(_("Varav kvinnor"), required=False)
    men = _count_field(_("Varav män"), required=False)


class AnonymousCountForm(ServiceErrorsMixin, forms.Form):
    start_year = forms.IntegerField(
        label=_("Startår"),
        validators=[plausible_year(_("Startår"))],
        error_messages={
            "required": _("Startår: ange ett år."),
            "invalid": _("Startår: ange ett årtal."),
        },
    )
    women = _count_field(_("Kvinnor"))
    men = _count_field(_("Män"))


def default_year(intervention: Intervention) -> int:
    today = dt.date.today()
    year = max(today.year, intervention.start_date.year)
    if intervention.end_date is not None:
        year = min(year, intervention.end_date.year)
    return year
