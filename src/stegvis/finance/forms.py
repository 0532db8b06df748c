"""Forms for money. Amounts are text fields: the services parse Swedish number formats."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.lib.validators import plausible_date, plausible_year

AMOUNT_HINT = _("Hela kronor, till exempel 1 234 567.")
PERCENT_HINT = _("Procent, till exempel 75 eller 12,5.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def amount(label: Any, required: bool = True, hint: Any = AMOUNT_HINT) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=hint, max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class FinanceYearForm(ServiceErrorsMixin, forms.Form):
    year = forms.IntegerField(label=_("År"), validators=[plausible_year(_("År"))])
    frame = amount(
        _("Ram (medlemsbidrag totalt)"),
        hint=_("Hela kronor. Försäkringskassan betalar hälften, regionerna en fjärdedel och "
               "kommunerna en fjärdedel enligt förbundets fördelningsnyckel."),
    )
    opening_equity = amount(_("Ingående eget kapital"), required=False)
    other_income = amount(_("Övriga intäkter"), required=False)

    def __init__(self, *args: Any, fixed_year: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_year is not None:
            del self.fields["year"]


class PaymentForm(ServiceErrorsMixin, forms.Form):
    organisation = forms.IntegerField(widget=forms.HiddenInput)
    paid_on = forms.DateField(
        label=_("Betalt den"), required=False, widget=DateInput,
        validators=[plausible_date(_("Betalt den"))],
        help_text=_("ÅÅÅÅ-MM-DD. Lämna tomt för obetalt."),
    )


class ActualCostsForm(ServiceErrorsMixin, forms.Form):
    board = amount(_("Utfall styrelse"), required=False,
                   hint=_("Hela kronor. Lämna tomt om utfallet ännu inte är känt."))
    administration = amount(_("Utfall administration"), required=False,
                            hint=_("Hela kronor. Lämna tomt om utfallet ännu inte är känt."))
    audit = amount(_("Utfall revision"), required=False,
                   hint=_("Hela kronor. Lämna tomt om utfallet ännu inte är känt."))


class BudgetForm(ServiceErrorsMixin, forms.Form):
    board = amount(_("Styrelse"))
    administration = amount(_("Administration"))
    audit = amount(_("Revision"))


class AdoptForm(ServiceErrorsMixin, forms.Form):
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput,
                                 validators=[plausible_date(_("Beslutsdatum"))],
                                 help_text=_("Datum för styrelsens beslut, ÅÅÅÅ-MM-DD."))


SCALE_STEPS = 4


class ParametersForm(ServiceErrorsMixin, forms.Form):
    allocation_year = forms.IntegerField(label=_("Fördelningsår"),
                                         validators=[plausible_year(_("Fördelningsår"))])
    state_total = amount(_("Statens totala belopp"))
    base_amount = amount(_("Grundbelopp per förbund"))
    key_support_pct = forms.CharField(label=_("Nyckel försörjningsmått (%)"),
                                      help_text=PERCENT_HINT, max_length=10)
    key_population_pct = forms.CharField(
        label=_("Nyckel befolkning (%)"), max_length=10,
        help_text=_("Nycklarna ska tillsammans bli 100 %."),
    )
    age_to = forms.ChoiceField(label=_("Åldersspann"),
                               choices=[("64", _("16–64 år")), ("65", _("16–65 år"))])
    max_reduction_pct = forms.CharField(label=_("Största årliga minskning (%)"),
                                        help_text=PERCENT_HINT, max_length=10)
    note = forms.CharField(label=_("Anteckning"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, SCALE_STEPS + 1):
            self.fields[f"scale_size_{n}"] = amount(
                _("Steg %(n)s: från medlemsbidrag (kr)") % {"n": n}, required=False,
                hint=_("Första steget börjar på 0 kr."),
            )
            self.fields[f"scale_pct_{n}"] = forms.CharField(
                label=_("Steg %(n)s: rimligt eget kapital (%% av medlemsbidragen)") % {"n": n},
                required=False, max_length=10,
            )

    def scale(self) -> list[tuple[Any, Any]]:
        data = self.cleaned_data
        return [
            (data.get(f"scale_size_{n}"), data.get(f"scale_pct_{n}"))
            for n in range(1, SCALE_STEPS + 1)
        ]

    def service_args(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in list(data):
            if key.startswith("scale_"):
                del data[key]
        data["equity_scale"] = self.scale()
        return data


class ImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("CSV-fil"), required=False,
        help_text=_("Kolumner: kommunkod;forsorjningsmatt;befolkning och valfritt forbund "
                    "(organisationsnummer). Semikolon som avgränsare."),
    )
    content = forms.CharField(required=False, widget=forms.HiddenInput)

    def text(self) -> str:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            raw = upload.read(5_000_000)
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
            raise ValidationError(_("Filen kunde inte läsas som text (UTF-8)."))
        return self.cleaned_data.get("content") or ""


class WhatIfForm(ServiceErrorsMixin, forms.Form):
    state_total = amount(_("Statens totala belopp"), required=False)
    base_amount = amount(_("Grundbelopp per förbund"), required=False)
    key_support_pct = forms.CharField(label=_("Nyckel försörjningsmått (%)"), required=False,
                                      max_length=10)
    key_population_pct = forms.CharField(label=_("Nyckel befolkning (%)"), required=False,
                                         max_length=10)
    max_reduction_pct = forms.CharField(label=_("Största årliga minskning (%)"),
                                        required=False, max_length=10)
    new_name = forms.CharField(label=_("Nytt förbund: namn"), required=False, max_length=200)
    kommunkoder = forms.CharField(
        label=_("Nytt förbund: kommunkoder"), required=False, max_length=2000,
        help_text=_("Fyrsiffriga koder åtskilda av mellanslag eller komma. Kommunerna flyttas "
                    "från de förbund som har dem i dag."),
    )


class NoticeForm(ServiceErrorsMixin, forms.Form):
    association = forms.TypedChoiceField(label=_("Förbund"), coerce=int, choices=())
    requested = amount(_("Begärt belopp"), hint=_("Hela kronor, högst modellens belopp."))
    received_on = forms.DateField(label=_("Mottaget"), required=False, widget=DateInput,
                                  validators=[plausible_date(_("Mottaget"))],
                                  help_text=_("ÅÅÅÅ-MM-DD. Tomt: i dag."))

    def __init__(self, *args: Any, associations: Iterable[tuple[int, str]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [("", _("Välj förbund")), *associations]


class DecideForm(ServiceErrorsMixin, forms.Form):
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput,
                                 validators=[plausible_date(_("Beslutsdatum"))],
                                 help_text=_("ÅÅÅÅ-MM-DD."))

    def __init__(self, *args: Any, rows: Iterable[tuple[int, str, Any]] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.amount_fields: list[str] = []
        for pk, name, initial in rows:
            key = f"amount_{pk}"
            self.fields[key] = amount(name, required=False, hint=None)
            self.fields[key].initial = initial
            self.amount_fields.append(key)

    def amounts(self) -> dict[int, Any]:
        return {
            int(k.removeprefix("amount_")): self.cleaned_data.get(k)
            for k in self.amount_fields
            if self.cleaned_data.get(k) not in (None, "")
        }
