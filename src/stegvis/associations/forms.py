"""Forms for förbund pages. They collect input; the services validate and write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import FundingKeyMethod, Organisation, PartyKind
from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.lib.validators import plausible_date
from stegvis.reference.models import County, Municipality


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _municipality_label(m: Municipality) -> str:
    return f"{m.short_name} ({m.code})"


def _parse_lines(text: str, field_label: str) -> list[tuple[str, str]]:
    """Lines of the form ``kod: värde`` (or ``kod värde``)."""
    result = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, sep, value = line.partition(":")
        if not sep:
            code, _sep, value = line.partition(" ")
        code, value = code.strip(), value.strip()
        if not code or not value:
            raise ValidationError(
                gettext("Rad %(number)d i ”%(field)s” ska ha formen ”kommunkod: värde”.")
                % {"number": number, "field": field_label}
            )
        result.append((code, value))
    return result


class AssociationCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=20, help_text=_("Tio siffror: NNNNNN-NNNN.")
    )
    founded = forms.DateField(
        label=_("Bildat"), widget=DateInput(), validators=[plausible_date(_("Bildat"))]
    )
    dissolved = forms.DateField(
        label=_("Upplöst"), required=False, widget=DateInput(),
        validators=[plausible_date(_("Upplöst"))],
    )
    kommuner = forms.MultipleChoiceField(
        label=_("Kommuner i området"),
        help_text=_(
            "Välj en eller flera kommuner. Håll ned Ctrl (Cmd på Mac) för att välja flera. "
            "Varje kommun blir medlem från bildandedatumet; saknas kommunens "
            "medlemsorganisation skapas den."
        ),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    districts = forms.CharField(
        label=_("Kommundelar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Om förbundet bara omfattar delar av en kommun: en rad per kommundel, "
            "till exempel ”1480: Hisingen”. Kommunen ingår då bara med de delarna."
        ),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regioner som är medlemmar"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Försäkringskassan och Arbetsförmedlingen blir alltid medlemmar."),
    )
    funding_key_method = forms.ChoiceField(
        label=_("Fördelning av kommunernas fjärdedel"),
        choices=FundingKeyMethod.choices,
        initial=FundingKeyMethod.POPULATION,
        widget=forms.RadioSelect,
    )
    funding_key_population_year = forms.IntegerField(
        label=_("Befolkningsår"),
        required=False,
        min_value=1968,
        max_value=2100,
        help_text=_("Gäller fördelning efter befolkning 16–64 år. Tomt: senaste året som finns."),
    )
    custom_shares = forms.CharField(
        label=_("Egen fördelning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Gäller egen fördelning: en rad per kommun, till exempel ”0180: 62,5”."),
    )

    def __init__(
        self,
        *args: Any,
        municipalities: Sequence[Municipality],
        regions: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].choices = [(m.code, _municipality_label(m)) for m in municipalities]
        self.fields["regions"].queryset = regions

    def clean_districts(self) -> list[tuple[str, str]]:
        return _parse_lines(self.cleaned_data.get("districts", ""), str(_("Kommundelar")))

    def clean_custom_shares(self) -> dict[str, str]:
        return dict(
            _parse_lines(self.cleaned_data.get("custom_shares", ""), str(_("Egen fördelning")))
        )

    def area(self) -> list[tuple[str, str]]:
        districts = self.cleaned_data["districts"]
        with_districts = {code for code, _d in districts}
        whole = [(c, "") for c in self.cleaned_data["kommuner"] if c not in with_districts]
        return whole + list(districts)


class AssociationEditForm(ServiceErrorsMixin, forms.Form):
    """Name, organisationsnummer and dates of an existing förbund."""

    name = forms.CharField(label=_("Namn"), max_length=200)
    org_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=20, help_text=_("Tio siffror: NNNNNN-NNNN.")
    )
    founded = forms.DateField(
        label=_("Bildat"), widget=DateInput(), validators=[plausible_date(_("Bildat"))],
        help_text=_("Skriv datumet som ÅÅÅÅ-MM-DD."),
    )
    dissolved = forms.DateField(
        label=_("Upplöst"), required=False, widget=DateInput(),
        validators=[plausible_date(_("Upplöst"))],
        help_text=_("Lämna tomt så länge förbundet finns. Skriv datumet som ÅÅÅÅ-MM-DD."),
    )


class AreaForm(ServiceErrorsMixin, forms.Form):
    """The förbund's area: whole kommuner, or named kommundelar of some."""

    kommuner = forms.MultipleChoiceField(
        label=_("Kommuner i området"),
        help_text=_(
            "Håll ned Ctrl (Cmd på Mac) för att välja flera. En kommun som läggs till blir "
            "medlem från i dag. En kommun som ska lämna området avslutar först sitt medlemskap."
        ),
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )
    districts = forms.CharField(
        label=_("Kommundelar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Om förbundet bara omfattar delar av en kommun: en rad per kommundel, "
            "till exempel ”1480: Hisingen”. Kommunen ingår då bara med de delarna."
        ),
    )

    def __init__(self, *args: Any, municipalities: Sequence[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommuner"].choices = [(m.code, _municipality_label(m)) for m in municipalities]

    def clean_districts(self) -> list[tuple[str, str]]:
        return _parse_lines(self.cleaned_data.get("districts", ""), str(_("Kommundelar")))

    def area(self) -> list[tuple[str, str]]:
        districts = self.cleaned_data["districts"]
        with_districts = {code for code, _d in districts}
        whole = [(c, "") for c in self.cleaned_data["kommuner"] if c not in with_districts]
        return whole + list(districts)

    @staticmethod
    def initial_for(parts: Sequence[tuple[str, str]]) -> dict[str, Any]:
        return {
            "kommuner": sorted({code for code, _d in parts}),
            "districts": "\n".join(f"{code}: {d}" for code, d in parts if d),
        }


class OrganisationCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200)
    kind = forms.ChoiceField(label=_("Typ av part"), choices=PartyKind.choices)
    org_number = forms.CharField(
        label=_("Organisationsnummer"), max_length=20, help_text=_("Tio siffror: NNNNNN-NNNN.")
    )
    municipality = forms.ChoiceField(
        label=_("Kommun"), required=False, help_text=_("Anges bara för en kommun.")
    )
    county = forms.ChoiceField(
        label=_("Län"), required=False, help_text=_("Anges bara för en region (frivilligt).")
    )

    def __init__(
        self, *args: Any, municipalities: Sequence[Municipality], counties: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", "–")] + [
            (m.code, f"{m.short_name} ({m.code})") for m in municipalities
        ]
        self.fields["county"].choices = [("", "–")] + [
            (c.code, c.name) for c in counties if isinstance(c, County)
        ]


class FundingKeyForm(ServiceErrorsMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("Fördelning av kommunernas fjärdedel"),
        choices=FundingKeyMethod.choices,
        widget=forms.RadioSelect,
    )
    population_year = forms.IntegerField(
        label=_("Befolkningsår"),
        required=False,
        min_value=1968,
        max_value=2100,
        help_text=_("Gäller fördelning efter befolkning 16–64 år. Tomt: senaste året som finns."),
    )

    def __init__(
        self,
        *args: Any,
        kommuner: Sequence[Organisation],
        regions: Sequence[Organisation],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kommun_fields: list[str] = []
        self.region_fields: list[str] = []
        for org in kommuner:
            name = f"share_{org.pk}"
            self.fields[name] = forms.DecimalField(
                label=gettext("Andel för %(name)s (%%)") % {"name": org.name},
                required=False,
                min_value=0,
                max_value=100,
                decimal_places=4,
                localize=True,
            )
            self.kommun_fields.append(name)
        if len(regions) > 1:
            for org in regions:
                name = f"region_{org.pk}"
                self.fields[name] = forms.DecimalField(
                    label=gettext("Andel för %(name)s (%%)") % {"name": org.name},
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=4,
                    localize=True,
                    help_text=_("Tomt för alla regioner: lika delar."),
                )
                self.region_fields.append(name)

    def kommun_bound_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.kommun_fields]

    def region_bound_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.region_fields]

    def custom_shares(self) -> dict[int, Any] | None:
        if self.cleaned_data.get("method") != FundingKeyMethod.CUSTOM:
            return None
        return {
            int(n.split("_")[1]): self.cleaned_data.get(n)
            for n in self.kommun_fields
            if self.cleaned_data.get(n) is not None
        }

    def region_shares(self) -> dict[int, Any] | None:
        given = {
            int(n.split("_")[1]): self.cleaned_data.get(n)
            for n in self.region_fields
            if self.cleaned_data.get(n) is not None
        }
        return given or None


class MembershipAddForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Medlemsorganisation"), queryset=Organisation.objects.none()
    )
    valid_from = forms.DateField(
        label=_("Medlem från"), widget=DateInput(),
        validators=[plausible_date(_("Medlem från"))],
    )
    valid_to = forms.DateField(
        label=_("Medlem till"),
        required=False,
        widget=DateInput(),
        validators=[plausible_date(_("Medlem till"))],
        help_text=_("Sista dagen som medlem. Tomt: tills vidare."),
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class MembershipEndForm(ServiceErrorsMixin, forms.Form):
    valid_to = forms.DateField(
        label=_("Sista dag som medlem"),
        widget=DateInput(),
        validators=[plausible_date(_("Sista dag som medlem"))],
        help_text=_("När en kommun lämnar förbundet tas kommunen också bort ur området."),
    )


class DistrictPopulationForm(ServiceErrorsMixin, forms.Form):
    """The population aged 16–64 of each kommundel of the area (for Täckning)."""

    def __init__(self, *args: Any, parts: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parts = list(parts)
        for part in self.parts:
            self.fields[f"part_{part.pk}"] = forms.IntegerField(
                label=f"{part.municipality.short_name} – {part.district}",
                required=False,
                min_value=0,
                initial=part.district_population,
                help_text=_("Antal invånare 16–64 år. Lämna tomt om uppgiften saknas."),
            )

    def populations(self) -> dict[int, int | None]:
        return {part.pk: self.cleaned_data.get(f"part_{part.pk}") for part in self.parts}
