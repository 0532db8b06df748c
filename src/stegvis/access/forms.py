from __future__ import annotations

from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.access.models import ROLE_LABELS
from stegvis.access.roles import Role

# Roles a förbund's users can hold in it (systemadministratör is national only).
ASSOCIATION_ROLE_CHOICES = [
    (role.value, ROLE_LABELS[role]) for role in Role if role != Role.SYSTEM_ADMIN
]


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        help_text=_("Används vid inloggning. Inga personnummer."),
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-postadress"), required=False)
    role = forms.ChoiceField(label=_("Roll i förbundet"), choices=ASSOCIATION_ROLE_CHOICES)


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Roll"), choices=ASSOCIATION_ROLE_CHOICES)


class ExistingUserGrantForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn på befintligt konto"), max_length=150)
    role = forms.ChoiceField(label=_("Roll"), choices=ASSOCIATION_ROLE_CHOICES)


class ActivationForm(forms.Form):
    """First sign-in after an access reset: the code from the administrator, a new password."""

    username = forms.CharField(
        label=_("Användarnamn"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    code = forms.CharField(
        label=_("Aktiveringskod"), max_length=40,
        help_text=_("Koden du har fått av förbundets administratör, till exempel "
                    "ABCD-EFGH-JKLM-NPQR."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    password1 = forms.CharField(
        label=_("Nytt lösenord"),
        help_text=_("Minst 12 tecken."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nytt lösenord igen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("Nytt lösenord igen: lösenorden är inte lika."))
        return data


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Namn på nyckeln"),
        max_length=100,
        help_text=_("Till exempel vilket system som ska använda nyckeln."),
    )


class SignInForm(LoginForm):
    """allauth's sign-in form without its e-mail password-reset hint (Stegvis sends no e-mail)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _(
            "Har du glömt lösenordet? Kontakta förbundets administratör."
        )


NATIONAL_ROLE_CHOICES = [
    (role.value, ROLE_LABELS[role])
    for role in (Role.REPORT_READER, Role.AUDITOR, Role.SYSTEM_ADMIN)
]


class NationalRoleForm(forms.Form):
    username = forms.CharField(label=_("Användarnamn"), max_length=150)
    role = forms.ChoiceField(
        label=_("Nationell roll"),
        choices=NATIONAL_ROLE_CHOICES,
        help_text=_("Gäller alla samordningsförbund. Rapportläsare ser bara skyddade "
                    "sammanställningar; granskare läser granskningsloggen."),
    )


class TemporaryPasswordForm(forms.Form):
    """First sign-in with a password someone else set: the user chooses their own."""

    current = forms.CharField(
        label=_("Nuvarande (tillfälligt) lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    password1 = forms.CharField(
        label=_("Nytt lösenord"),
        help_text=_("Minst 12 tecken. Bara du ska känna till det."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Nytt lösenord igen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password2") != data.get("password1"):
            self.add_error("password2", _("Nytt lösenord igen: lösenorden är inte lika."))
        return data
