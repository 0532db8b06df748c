"""Forms of the participant list's filter and the coach's casework on a participation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from stegvis.interventions.models import Intervention
from stegvis.lib.forms import ServiceErrorsMixin
from stegvis.participants.casework import REFERENCE_MAX


def person_name(user: Any) -> str:
    return user.get_full_name() or user.get_username()


class ParticipantFilterForm(forms.Form):
    """GET filter of an insats's participant list (works without JavaScript)."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("open", _("Pågående")),
            ("ended", _("Avslutade")),
            ("error", _("Felregistreringar")),
        ],
    )
    coach = forms.TypedChoiceField(
        label=_("Deltagaransvarig"), required=False, coerce=int, empty_value=None
    )
    start_year = forms.TypedChoiceField(
        label=_("Startår"), required=False, coerce=int, empty_value=None
    )
    sort = forms.ChoiceField(
        label=_("Sortera efter"),
        required=False,
        choices=[
            ("-start", _("Startdatum, senast först")),
            ("start", _("Startdatum, tidigast först")),
            ("end", _("Slutdatum")),
            ("reference", _("Egen referens")),
        ],
    )

    def __init__(self, *args: Any, coaches: list[Any], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coach"].choices = [
            ("", _("Alla")), *((str(u.pk), person_name(u)) for u in coaches)
        ]
        self.fields["start_year"].choices = [("", _("Alla")), *((str(y), str(y)) for y in years)]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"status": "", "coach_id": None, "start_year": None, "sort": "-start"}
        c = self.cleaned_data
        return {
            "status": c.get("status") or "",
            "coach_id": c.get("coach"),
            "start_year": c.get("start_year"),
            "sort": c.get("sort") or "-start",
        }


class ReferenceForm(ServiceErrorsMixin, forms.Form):
    own_reference = forms.CharField(
        label=_("Egen referens"),
        max_length=REFERENCE_MAX,
        required=False,
        help_text=_(
            "En kort anteckning som hjälper dig känna igen deltagaren, till exempel ett förnamn. "
            "Högst 40 tecken, inget personnummer. Syns bara för deltagaransvariga i insatsen."
        ),
    )


class CoachMoveForm(ServiceErrorsMixin, forms.Form):
    coach = forms.TypedChoiceField(
        label=_("Ny deltagaransvarig"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, coaches: list[Any], current: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.coaches = {u.pk: u for u in coaches}
        self.fields["coach"].choices = [
            ("", _("– välj –")),
            *((str(u.pk), person_name(u)) for u in coaches if u.pk != current),
        ]


class InterventionMoveForm(ServiceErrorsMixin, forms.Form):
    target = forms.TypedChoiceField(
        label=_("Ny insats"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, targets: list[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = {i.pk: i for i in targets}
        self.fields["target"].choices = [
            ("", _("– välj –")), *((str(i.pk), i.name) for i in targets)
        ]
