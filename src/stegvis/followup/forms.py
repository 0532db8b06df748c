"""Forms of follow-ups: closing one, recording a contact channel, and the participant's
questionnaire. They parse input; the services hold the rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.reference import selectors as reference
from stegvis.reference.models import CodeList

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HorizonsForm(forms.Form):
    long_horizons = forms.TypedChoiceField(
        label=_("Uppföljningar efter avslut"),
        choices=[("0", _("3, 6 och 12 månader")),
                 ("1", _("3, 6, 12, 24 och 36 månader"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        help_text=_("Med 24 och 36 månader får deltagaransvariga två uppföljningar till på "
                    "arbetslistan, självrapporteringslänkar skickas även då och "
                    "Uppföljningsrapporten visar även dessa horisonter."),
    )


class ClosureForm(ServiceErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Skäl"), required=False)
    date = forms.DateField(
        label=_("Datum"), widget=DATE, required=False,
        help_text=_("Dagen då du konstaterade skälet, till exempel 2025-03-31."),
    )

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [
            ("", _("– välj –")),
            *[(c.key, c.label) for c in reference.codes(CodeList.FOLLOWUP_CLOSURE, on=on)],
        ]


class ContactForm(ServiceErrorsMixin, forms.Form):
    email = forms.CharField(
        label=_("E-post"), max_length=254, required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    mobile = forms.CharField(
        label=_("Mobilnummer"), max_length=20, required=False,
        help_text=_("Till exempel 070-123 45 67."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    agreed = forms.BooleanField(
        label=_("Deltagaren har godkänt att få frågor om uppföljning på det här sättet"),
        required=False,
    )


EXTENTS = [
    ("100", _("Heltid")),
    ("75", _("Ungefär tre fjärdedelar av heltid")),
    ("50", _("Ungefär halvtid")),
    ("25", _("Ungefär en fjärdedel av heltid eller mindre")),
]
RATINGS = [("", _("Vill inte svara"))] + [(str(n), str(n)) for n in range(1, 11)]
NO_ACTIVITY = "ingen"


class QuestionnaireForm(forms.Form):
    """The participant's own answers, in plain Swedish."""

    activity = forms.ChoiceField(
        label=_("Vad gör du mest just nu?"), widget=forms.RadioSelect, required=False
    )
    extent = forms.ChoiceField(
        label=_("Hur mycket?"), widget=forms.RadioSelect, choices=EXTENTS, required=False,
        help_text=_("Svara inte om du valde att du inte har någon sysselsättning."),
    )
    income_sources = forms.MultipleChoiceField(
        label=_("Vad får du pengar från just nu?"), widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("Kryssa i allt som stämmer."),
    )
    rating_work = forms.ChoiceField(
        label=_("Hur nära känner du dig att kunna arbeta eller studera?"), choices=RATINGS,
        required=False, help_text=_("1 betyder långt ifrån och 10 betyder helt redo."),
    )
    rating_health = forms.ChoiceField(
        label=_("Hur mår du?"), choices=RATINGS, required=False,
        help_text=_("1 betyder mycket dåligt och 10 betyder mycket bra."),
    )
    rating_future = forms.ChoiceField(
        label=_("Hur ser du på framtiden?"), choices=RATINGS, required=False,
        help_text=_("1 betyder mycket mörkt och 10 betyder mycket ljust."),
    )

    def __init__(self, *args: Any, on: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [
            (c.key, c.label) for c in reference.codes(CodeList.ACTIVITY, on=on)
        ]
        self.fields["income_sources"].choices = [
            (c.key, c.label) for c in reference.codes(CodeList.INCOME_SOURCE, on=on)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("activity"):
            self.add_error("activity", _("Välj det som stämmer bäst."))
        elif data["activity"] != NO_ACTIVITY and not data.get("extent"):
            self.add_error("extent", _("Välj hur mycket."))
        if not data.get("income_sources"):
            self.add_error("income_sources", _("Kryssa i minst ett alternativ."))
        return data

    def answers(self) -> Any:
        from stegvis.followup.services import SelfReport

        d = self.cleaned_data
        activity = d["activity"]

        def rating(name: str) -> int | None:
            return int(d[name]) if d.get(name) else None

        return SelfReport(
            activity=activity,
            extent_pct=0 if activity == NO_ACTIVITY else int(d["extent"]),
            income_sources=list(d["income_sources"]),
            rating_work=rating("rating_work"),
            rating_health=rating("rating_health"),
            rating_future=rating("rating_future"),
        )


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary, in the form's order."""
    links: list[tuple[str, str]] = []
    for name in form.fields:
        widget = form.fields[name].widget
        grouped = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
        anchor = f"#id_{name}_0" if grouped else f"#id_{name}"
        links.extend((anchor, str(m)) for m in form.errors.get(name, []))
    links.extend(("#main", str(m)) for m in form.non_field_errors())
    return links
