"""The audit log's filter form (GET; nothing is computed unless it is valid)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.audit.models import Action
from stegvis.audit.redaction import contains_identifier

HINTS = {
    "date_from": _("Format ÅÅÅÅ-MM-DD. Tomt: från början."),
    "date_to": _("Format ÅÅÅÅ-MM-DD, dagen räknas med. Tomt: till och med i dag."),
    "actor_username": _("Hela eller delar av användarnamnet eller namnet, till exempel anna."),
}
DATE_ERRORS = {"invalid": _("Ange ett giltigt datum i formatet ÅÅÅÅ-MM-DD.")}


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("Från och med"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages=DATE_ERRORS,
    )
    actor_username = forms.CharField(label=_("Användare"), required=False, max_length=150)
    association = forms.TypedChoiceField(
        label=_("Samordningsförbund"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Välj ett samordningsförbund i listan.")},
    )
    action = forms.ChoiceField(
        label=_("Händelse"),
        required=False,
        choices=[("", _("Alla händelser")), *Action.choices],
        error_messages={"invalid_choice": _("Välj en händelse i listan.")},
    )

    def __init__(self, *args: Any, associations: QuerySet[Association], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["association"].choices = [
            ("", _("Alla förbund du granskar")),
            *((str(a.pk), a.name) for a in associations),
        ]
        for name, hint in HINTS.items():
            self.fields[name].help_text = hint
        self.fields["date_from"].widget.attrs["autocomplete"] = "off"
        self.fields["date_to"].widget.attrs["autocomplete"] = "off"

    def clean_actor_username(self) -> str:
        value = self.cleaned_data["actor_username"].strip()
        if contains_identifier(value):
            # Searching by personnummer would put it in the audit log: refuse it.
            raise forms.ValidationError(
                _("Användare: ange ett användarnamn, inte ett personnummer."), code="identifier"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from: dt.date | None = cleaned.get("date_from")
        date_to: dt.date | None = cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error(
                "date_to", _("Till och med: datumet kan inte vara före från och med-datumet.")
            )
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The valid filter as plain values: for the selector, the audit event and links."""
        c = self.cleaned_data
        return {
            "date_from": c["date_from"].isoformat() if c.get("date_from") else "",
            "date_to": c["date_to"].isoformat() if c.get("date_to") else "",
            "actor_username": c.get("actor_username") or "",
            "association": c.get("association"),
            "action": c.get("action") or "",
        }
