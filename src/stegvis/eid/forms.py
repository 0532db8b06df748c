from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.eid.models import EidIdentity


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av identitet"), choices=EidIdentity.Kind.choices)
    value = forms.CharField(
        label=_("HSA-id eller personnummer"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Det som e-legitimationen intygar om användaren: HSA-id för SITHS eID, "
            "personnummer för Freja eID och BankID. Sparas krypterat och visas inte igen."
        ),
    )
