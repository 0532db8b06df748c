"""Forms of the privacy pages. The personnummer is posted, never echoed back into the page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.participants.forms import NoEchoInput


class ExtractForm(ServiceErrorsMixin, forms.Form):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        widget=NoEchoInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Registerutdraget visar det som finns i de insatser du är deltagaransvarig "
                    "för, och vem som har läst uppgifterna."),
        error_messages={"required": _("Personnummer: ange personens personnummer.")},
    )


class HoldForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Anledning till bevarande"),
        max_length=300,
        required=False,
        help_text=_("Till exempel ett pågående ärende. Sparas i granskningsloggen. "
                    "Skriv inte personnummer här."),
    )


class HoldByIdForm(HoldForm):
    participation = forms.IntegerField(
        label=_("Deltagande-id"),
        min_value=1,
        help_text=_("Numret på deltagandet (visas på deltagarsidan), inte personnummer."),
        error_messages={
            "required": _("Deltagande-id: ange deltagandets nummer."),
            "invalid": _("Deltagande-id: ange ett heltal."),
            "min_value": _("Deltagande-id: ange ett heltal."),
        },
    )
    field_order = ["participation", "reason"]
