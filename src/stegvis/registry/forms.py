"""Forms of the register matching pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.lib.forms import ServiceErrorsMixin

NATIONAL = "hela_landet"


class ExportForm(ServiceErrorsMixin, forms.Form):
    scope = forms.ChoiceField(label=_("Omfattning"), error_messages={
        "required": _("Omfattning: välj förbund."),
        "invalid_choice": _("Omfattning: välj ett förbund i listan.")})
    recipient = forms.CharField(label=_("Mottagare"), max_length=200, error_messages={
        "required": _("Mottagare: ange mottagaren, t.ex. SCB.")})
    public_key = forms.CharField(
        label=_("Mottagarens publika age-nyckel"), max_length=200,
        help_text=_("Börjar med age1. Filen kan bara öppnas med mottagarens hemliga nyckel."),
        error_messages={"required": _("Mottagarens nyckel: ange nyckeln.")})
    purpose = forms.CharField(label=_("Ändamål"), widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("Ändamål: ange ändamålet.")})
    legal_basis = forms.CharField(
        label=_("Rättslig grund"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Rättslig grund: ange den rättsliga grunden.")})

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["scope"].choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Registerhållarens fil (CSV, UTF-8)"), required=False)
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    destroy_keys = forms.BooleanField(
        label=_("Förstör nyckeltabellen efter importen"), required=False,
        help_text=_("Registeruppgifterna finns kvar; ingen fler fil kan importeras för exporten."))

    def text(self) -> str | None:
        upload = self.cleaned_data.get("file")
        if upload is not None:
            try:
                return upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("Fil: filen kan inte läsas som UTF-8-text."))
                return None
        if self.cleaned_data.get("content"):
            return self.cleaned_data["content"]
        self.add_error("file", _("Fil: välj filen från registerhållaren."))
        return None
