"""The report filter form (GET): period, scope and filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stegvis.indicators import periods
from stegvis.indicators.periods import AGE_GROUP_LABELS, PeriodError
from stegvis.indicators.selectors import Filters
from stegvis.participants.fact_rules import AGE_GROUPS


class IdsField(forms.MultipleChoiceField):
    """Ids offered as choices; any whole number is accepted here and then checked against the
    user's roles by the selectors (404/403), so a forged id never silently widens the scope."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()

    def to_python(self, value: Any) -> list[int]:
        values = super().to_python(value)
        try:
            return [int(v) for v in values]
        except ValueError:
            raise forms.ValidationError(_("Välj bland alternativen.")) from None


class ReportForm(forms.Form):
    period = forms.CharField(
        label=_("Period"),
        required=False,
        max_length=20,
        help_text=_("Ett år (2024) eller ett kvartal (2024-Q2). Lämna tomt för att ange datum."),
    )
    from_date = forms.CharField(
        label=_("Från och med"), required=False, max_length=10,
        help_text=_("ÅÅÅÅ-MM-DD"),
    )
    to_date = forms.CharField(
        label=_("Till och med"), required=False, max_length=10, help_text=_("ÅÅÅÅ-MM-DD")
    )
    association = IdsField(label=_("Förbund"), required=False)
    intervention = IdsField(label=_("Insatser"), required=False)
    sex = forms.ChoiceField(
        label=_("Kön"), required=False,
        choices=[("", _("Alla")), ("K", _("Kvinnor")), ("M", _("Män"))],
    )
    age_group = forms.ChoiceField(label=_("Åldersgrupp vid start"), required=False)
    target_group = forms.ChoiceField(label=_("Målgrupp"), required=False)
    kommun = forms.ChoiceField(label=_("Bostadskommun"), required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        associations: list[tuple[int, str]],
        interventions: list[tuple[int, str]],
        target_groups: list[tuple[str, str]],
        kommuner: list[tuple[str, str]],
    ) -> None:
        super().__init__(data)
        self.fields["association"].choices = associations
        self.fields["intervention"].choices = interventions
        self.fields["age_group"].choices = [
            ("", _("Alla")),
            *[(k, _(AGE_GROUP_LABELS[k])) for k, _low, _high in AGE_GROUPS],
            (periods.YOUNG, _("Unga 16–29")),
        ]
        self.fields["target_group"].choices = [("", _("Alla")), *target_groups]
        self.fields["kommun"].choices = [("", _("Alla")), *kommuner]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        period, start, end = data.get("period"), data.get("from_date"), data.get("to_date")
        try:
            if not period and not start and not end:
                data["parsed_period"] = periods.year_period(timezone.localdate().year)
            else:
                data["parsed_period"] = periods.parse_period(period=period, start=start, end=end)
                periods.check_within_data(data["parsed_period"], timezone.localdate())
        except PeriodError as exc:
            field = {"from": "from_date", "to": "to_date"}.get(exc.field, exc.field)
            self.add_error(field if field in self.fields else None, exc.message)
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        age = data.get("age_group") or ""
        return Filters(
            sex=data.get("sex") or "",
            age_groups=periods.expand_age_filter(age) if age else (),
            target_group=data.get("target_group") or "",
            kommun=data.get("kommun") or "",
        )
