"""Forms of the code list pages. They parse input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.lib.validators import plausible_date
from stegvis.reference.models import ActivityCategory, CodeList


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class CodeCreateForm(ServiceErrorsMixin, forms.Form):
    key = forms.CharField(
        label=_("Nyckel"),
        max_length=60,
        help_text=_(
            "Stabil nyckel med små bokstäver a–z, siffror och understreck, t.ex. lon_eget_foretag. "
            "Kan inte ändras i efterhand."
        ),
    )
    label = forms.CharField(label=_("Benämning"), max_length=200)
    sort_order = forms.IntegerField(
        label=_("Sorteringsordning"),
        min_value=0,
        max_value=32767,
        help_text=_("Koder visas i stigande ordning."),
    )
    valid_from = forms.DateField(
        label=_("Giltig från"), widget=DateInput(), help_text=_("Format ÅÅÅÅ-MM-DD."),
        validators=[plausible_date(_("Giltig från"))],
    )
    valid_to = forms.DateField(
        label=_("Giltig till"),
        required=False,
        widget=DateInput(),
        validators=[plausible_date(_("Giltig till"))],
        help_text=_("Lämna tomt om koden gäller tills vidare. Format ÅÅÅÅ-MM-DD."),
    )
    public_support = forms.BooleanField(label=_("Räknas som offentlig försörjning"), required=False)
    category = forms.ChoiceField(
        label=_("Huvudkategori"),
        choices=[("", _("Välj huvudkategori")), *ActivityCategory.choices],
    )
    level = forms.IntegerField(label=_("Nivå (steg)"), min_value=0, max_value=10)

    def __init__(self, *args: Any, code_list: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.code_list = code_list
        if code_list != CodeList.INCOME_SOURCE:
            del self.fields["public_support"]
        if code_list != CodeList.ACTIVITY:
            del self.fields["category"]
        if code_list != CodeList.PROGRESSION_STEP:
            del self.fields["level"]
        if code_list == CodeList.PRECISE_ORIENTATION:
            self.fields["key"].help_text = _(
                "Börja nyckeln med individ_ för individinriktade eller struktur_ för "
                "strukturövergripande insatser. Små bokstäver a–z, siffror och understreck."
            )

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("public_support", False)
        data.setdefault("category", "")
        data.setdefault("level", None)
        return data



class CodeRetireForm(ServiceErrorsMixin, forms.Form):
    valid_to = forms.DateField(
        label=_("Sista giltighetsdag"),
        widget=DateInput(),
        validators=[plausible_date(_("Sista giltighetsdag"))],
        help_text=_(
            "Koden kan inte väljas i nya uppgifter efter detta datum men finns kvar i "
            "tidigare uppgifter och rapporter. Format ÅÅÅÅ-MM-DD."
        ),
    )

