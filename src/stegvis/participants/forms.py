"""Forms of the participant pages. The rules live in domain.py (through services.py); these
forms only parse input and turn service errors back into field errors. A code that is not among
a field's choices gets the rules' own "okänd kod" message."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Organisation
from stegvis.interventions.models import Intervention
from stegvis.lib.forms import FieldMap, ServiceErrorsMixin
from stegvis.participants import domain
from stegvis.participants.models import AnswerType, Measurement, Occasion, SupplementaryQuestion
from stegvis.participants.services import ConsentInput, MeasurementInput
from stegvis.reference import selectors as reference
from stegvis.reference.models import CodeList, Municipality

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATING_FIELDS = (
    ("rating_work", _("Hur nära arbete eller studier känner du dig? (1–10)")),
    ("rating_health", _("Hur skattar du din hälsa? (1–10)")),
    ("rating_future", _("Hur ser du på framtiden? (1–10)")),
)


def _code_choices(code_list: str, on: dt.date, *, blank: bool = True) -> list[tuple[str, str]]:
    choices = [(c.key, c.label) for c in reference.codes(code_list, on=on)]
    return [("", _("– välj –")), *choices] if blank else choices


def _unknown(label: Any) -> dict[str, Any]:
    """The error message of a choice that is not offered: the rules' "okänd kod" (translated when
    shown, like every message set when the module is imported)."""
    return {"invalid_choice": _lazy_unknown_code(label)}


_lazy_unknown_code = lazy(domain.msg_unknown_code, str)


def mark_mandatory(fields: dict[str, forms.Field], names: list[str]) -> None:
    """Mark fields the service requires: "(obligatoriskt)" in the label, ``aria-required``.

    The fields stay ``required=False`` so that the service's messages are the ones shown.
    A group of checkboxes gets the text in its legend only (``aria-required`` on each box
    would claim that every box must be ticked).
    """
    for name in names:
        field = fields.get(name)
        if field is None:
            continue
        field.mandatory = True  # type: ignore[attr-defined]
        if not isinstance(field.widget, forms.CheckboxSelectMultiple):
            field.widget.attrs["aria-required"] = "true"


class MeasurementFieldsMixin:
    """Adds the fields of a measurement; activities get one extent field each."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]
    activity_keys: list[tuple[str, str]]
    question_fields: list[str]
    activities_mandatory: bool
    activity_errors: list[str]

    def add_service_errors(self, error: ValidationError, field_map: FieldMap | None = None) -> None:
        """The service's ``activities`` messages go above the activity table (and the top)."""
        if hasattr(error, "error_dict") and "activities" in error.message_dict:
            self.activity_errors = [
                *getattr(self, "activity_errors", []), *error.message_dict["activities"]
            ]
        super().add_service_errors(error, field_map)  # type: ignore[misc]

    def add_measurement_fields(
        self,
        *,
        occasion: str,
        on: dt.date,
        association_id: int,
        with_date: bool,
        questions: list[SupplementaryQuestion] | None = None,
    ) -> None:
        full = occasion in (Occasion.START, Occasion.END)
        if with_date:
            self.fields["measurement_date"] = forms.DateField(
                label=_("Mätdatum"), widget=DATE, required=False
            )
        self.fields["income_sources"] = forms.MultipleChoiceField(
            label=_("Försörjning"),
            choices=_code_choices(CodeList.INCOME_SOURCE, on, blank=False),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text=_("Välj alla försörjningskällor personen har."),
            error_messages=_unknown(_("Försörjning")),
        )
        self.activity_keys = [
            (c.key, c.label) for c in reference.codes(CodeList.ACTIVITY, on=on)
        ]
        for key, label in self.activity_keys:
            self.fields[f"activity_{key}"] = forms.IntegerField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.fields["education_level"] = forms.ChoiceField(
            label=_("Utbildningsnivå"),
            choices=_code_choices(CodeList.EDUCATION_LEVEL, on),
            required=False,
            error_messages=_unknown(_("Utbildningsnivå")),
        )
        if occasion == Occasion.START:
            self.fields["public_support_duration"] = forms.ChoiceField(
                label=_("Tid i offentlig försörjning före insatsen"),
                choices=_code_choices(CodeList.PUBLIC_SUPPORT_DURATION, on),
                required=False,
                error_messages=_unknown(_("Tid i offentlig försörjning")),
                help_text=_("Avbrott på högst en månad räknas inte."),
            )
        self.fields["step"] = forms.ChoiceField(
            label=_("Steg"),
            choices=_code_choices(CodeList.PROGRESSION_STEP, on),
            required=False,
            error_messages=_unknown(_("Steg")),
        )
        for name, label in RATING_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=label,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        self.question_fields = []
        for q in questions or []:
            name = f"answer_{q.pk}"
            if q.answer_type == AnswerType.YES_NO:
                field: forms.Field = forms.ChoiceField(
                    label=q.text,
                    choices=[("", _("– inget svar –")), ("ja", _("Ja")), ("nej", _("Nej"))],
                    required=False,
                )
            else:
                field = forms.CharField(label=q.text, required=False, max_length=1000)
            self.fields[name] = field
            self.question_fields.append(name)
        self._measurement_full = full
        # as the service requires them (participants.services): income and activities always,
        # education and step at start and end, time in public support at start.
        mandatory = ["measurement_date", "income_sources"]
        if full:
            mandatory += ["education_level", "step"]
        if occasion == Occasion.START:
            mandatory.append("public_support_duration")
        mark_mandatory(self.fields, mandatory)
        self.activities_mandatory = True

    def measurement_input(self) -> MeasurementInput:
        d = self.cleaned_data
        activities: list[tuple[str, int | None]] = [
            (key, d.get(f"activity_{key}"))
            for key, _label in self.activity_keys
            if d.get(f"activity_{key}") is not None
        ]
        return MeasurementInput(
            date=d.get("measurement_date"),
            income_sources=list(d.get("income_sources") or []),
            activities=activities,
            education_level=d.get("education_level") or None,
            public_support_duration=d.get("public_support_duration") or None,
            step=d.get("step") or None,
            rating_work=d.get("rating_work"),
            rating_health=d.get("rating_health"),
            rating_future=d.get("rating_future"),
            answers={
                int(name.split("_", 1)[1]): d.get(name) or ""
                for name in self.question_fields
                if d.get(name)
            },
        )

    def activity_rows(self) -> list[forms.BoundField]:
        return [self[f"activity_{key}"] for key, _label in self.activity_keys]  # type: ignore[index]

    def rating_rows(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in RATING_FIELDS]  # type: ignore[index]

    def question_rows(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_fields]  # type: ignore[index]

    def initial_from(self, m: Measurement) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "measurement_date": m.date,
            "income_sources": [c.key for c in m.income_sources.all()],
            "education_level": getattr(m.education_level, "key", ""),
            "public_support_duration": getattr(m.public_support_duration, "key", ""),
            "step": getattr(m.step, "key", ""),
            "rating_work": m.rating_work,
            "rating_health": m.rating_health,
            "rating_future": m.rating_future,
        }
        for a in m.activities.all():
            initial[f"activity_{a.activity.key}"] = a.extent_pct
        for ans in m.supplementary_answers.all():
            initial[f"answer_{ans.question_id}"] = ans.value
        return initial


class RegistrationForm(MeasurementFieldsMixin, ServiceErrorsMixin, forms.Form):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        required=False,
        help_text=_(
            "10 eller 12 siffror, med eller utan bindestreck, till exempel ÅÅÅÅMMDD-NNNN."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    protected_identity = forms.BooleanField(
        label=_("Personen har skyddade personuppgifter"),
        required=False,
        help_text=_("Personer med skyddade personuppgifter räknas bara anonymt."),
    )
    consent_date = forms.DateField(label=_("Datum för samtycke"), widget=DATE, required=False)
    consent_form_version = forms.ChoiceField(
        label=_("Samtyckesblankettens version"),
        required=False,
        help_text=_("Den version som står på blanketten personen har skrivit under."),
        error_messages={
            "invalid_choice": _("Blankettversion: välj en av versionerna i listan.")
        },
    )
    consent_scope_registration = forms.BooleanField(
        label=_("Samtycker till registrering i insatsen"), required=False
    )
    consent_follow_up = forms.BooleanField(
        label=_("Samtycker till uppföljning 3, 6 och 12 månader efter avslut"), required=False
    )
    consent_sharing_parties = forms.MultipleChoiceField(
        label=_("Samtycker till att uppgifter delas mellan"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    referred_by = forms.ChoiceField(
        label=_("Aktualiserad av"), required=False, error_messages=_unknown(_("Aktualiserad av"))
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DATE, required=False)
    residence = forms.ChoiceField(
        label=_("Bostadskommun"),
        required=False,
        error_messages={"invalid_choice": _(domain.MSG_UNKNOWN_MUNICIPALITY)},
    )
    confirm_young = forms.BooleanField(
        label=_("Jag har kontrollerat uppgifterna: personen är under 16 år och ska registreras"),
        required=False,
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        intervention: Intervention,
        own_municipalities: list[Municipality],
        other_municipalities: list[Municipality],
        questions: list[SupplementaryQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4().hex)
        self.fields["referred_by"].choices = _code_choices(CodeList.REFERRED_BY, today)
        # The managed list (Kodlistor): the version text itself is stored with the consent.
        versions = [c.label for c in reference.codes(CodeList.CONSENT_FORM_VERSION, on=today)]
        self.fields["consent_form_version"].choices = [
            ("", _("– välj –")), *[(v, v) for v in versions]
        ]
        if len(versions) == 1 and not self.is_bound:
            self.initial.setdefault("consent_form_version", versions[0])
        if not versions:
            self.fields["consent_form_version"].help_text = _(
                "Ingen version av samtyckesblanketten är upplagd. Be systemadministratören "
                "lägga till den under Administration, Kodlistor."
            )
        self.fields["residence"].choices = [
            ("", _("– välj kommun –")),
            (_("Förbundets kommuner"), [(m.code, m.short_name) for m in own_municipalities]),
            (_("Övriga kommuner"), [(m.code, m.short_name) for m in other_municipalities]),
        ]
        self.fields["consent_sharing_parties"].choices = [
            (str(o.pk), o.name)
            for o in Organisation.objects.filter(
                memberships__association_id=intervention.association_id
            ).distinct()
        ]
        self.add_measurement_fields(
            occasion=Occasion.START,
            on=today,
            association_id=intervention.association_id,
            with_date=False,
            questions=questions,
        )
        mark_mandatory(self.fields, ["personnummer", "consent_date", "consent_form_version",
                                     "start_date", "referred_by", "residence"])

    def service_kwargs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "personnummer": d.get("personnummer") or "",
            "protected_identity": bool(d.get("protected_identity")),
            "consent": ConsentInput(
                date=d.get("consent_date"),
                form_version=d.get("consent_form_version") or "",
                scope_registration=bool(d.get("consent_scope_registration")),
                scope_follow_up=bool(d.get("consent_follow_up")),
                sharing_parties=[int(x) for x in d.get("consent_sharing_parties") or []],
            ),
            "referred_by": d.get("referred_by") or None,
            "start_date": d.get("start_date"),
            "residence": d.get("residence") or None,
            "measurement": self.measurement_input(),
            "confirm_young": bool(d.get("confirm_young")),
            "idempotency_key": d.get("form_token") or None,
        }


class EndForm(MeasurementFieldsMixin, ServiceErrorsMixin, forms.Form):
    end_date = forms.DateField(label=_("Slutdatum"), widget=DATE, required=False)
    exit_reason = forms.ChoiceField(
        label=_("Avslutsanledning"), required=False, error_messages=_unknown(_("Avslutsanledning"))
    )

    def __init__(
        self, *args: Any, intervention: Intervention, questions: list[SupplementaryQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        self.fields["exit_reason"].choices = [
            c for c in _code_choices(CodeList.EXIT_REASON, today) if c[0] != "felregistrering"
        ]
        self.add_measurement_fields(
            occasion=Occasion.END,
            on=today,
            association_id=intervention.association_id,
            with_date=False,
            questions=questions,
        )
        mark_mandatory(self.fields, ["end_date", "exit_reason"])


MSG_OCCASION_NOT_OFFERED = _("Mättillfälle: det mättillfället kan inte registreras nu.")


class MeasurementForm(MeasurementFieldsMixin, ServiceErrorsMixin, forms.Form):
    occasion = forms.ChoiceField(
        label=_("Mättillfälle"),
        required=False,
        error_messages={"invalid_choice": MSG_OCCASION_NOT_OFFERED},
    )

    def __init__(
        self, *args: Any, intervention: Intervention, occasions: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occasion"].choices = occasions
        self.add_measurement_fields(
            occasion=Occasion.INTERIM,
            on=dt.date.today(),
            association_id=intervention.association_id,
            with_date=True,
        )
        mark_mandatory(self.fields, ["occasion"])


class CorrectionForm(MeasurementFieldsMixin, ServiceErrorsMixin, forms.Form):
    def __init__(
        self, *args: Any, measurement: Measurement, questions: list[SupplementaryQuestion],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.add_measurement_fields(
            occasion=measurement.occasion,
            on=measurement.date,
            association_id=measurement.participation.intervention.association_id,
            with_date=measurement.occasion not in (Occasion.START, Occasion.END),
            questions=questions,
        )
        if not self.is_bound:
            self.initial.update(self.initial_from(measurement))


class RevealForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=500,
        required=False,
        help_text=_("Anledningen sparas i granskningsloggen. Skriv inte personnummer här."),
    )


class NoEchoInput(forms.TextInput):
    """A text input that never writes the submitted value back into the page."""

    def format_value(self, value: Any) -> None:
        return None


class SearchForm(forms.Form):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        max_length=20,
        widget=NoEchoInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": _("Personnummer: ange ett personnummer att söka efter.")},
    )


class AnonymousForm(ServiceErrorsMixin, forms.Form):
    sex = forms.ChoiceField(
        label=_("Kön"),
        choices=[("", _("– välj –")), ("K", _("Kvinna")), ("M", _("Man"))],
        error_messages={"required": _("Kön: välj kvinna eller man.")},
    )
    start_year = forms.IntegerField(
        label=_("Startår"),
        error_messages={"required": _("Startår: ange ett år."),
                        "invalid": _("Startår: ange ett år.")},
    )


def error_links(form: forms.Form) -> list[tuple[str, str]]:
    """(anchor, message) pairs for the error summary at the top of a form."""
    links: list[tuple[str, str]] = []
    order = {name: i for i, name in enumerate(["__all__", *form.fields])}
    # In the order of the form (a service reports its errors in its own order).
    for name, errors in sorted(form.errors.items(), key=lambda item: order.get(item[0], 0)):
        if name == "__all__":
            anchor = "#activities" if getattr(form, "activity_errors", None) else "#main"
        else:
            field = form.fields.get(name)
            multiple = isinstance(getattr(field, "widget", None), forms.CheckboxSelectMultiple)
            anchor = f"#id_{name}_0" if multiple else f"#id_{name}"
        links.extend((anchor, str(message)) for message in errors)
    return links


class SupplementaryQuestionForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Fråga"), max_length=300, required=False)
    answer_type = forms.ChoiceField(label=_("Svarstyp"), choices=AnswerType.choices)
    occasion = forms.ChoiceField(
        label=_("Ställs"), choices=[("start", _("Vid start")), ("end", _("Vid avslut"))]
    )
    valid_from = forms.DateField(label=_("Giltig från"), widget=DATE, required=False)
    valid_to = forms.DateField(label=_("Giltig till"), widget=DATE, required=False)


class MarkErrorForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=500,
        required=False,
        help_text=_("Till exempel fel person eller fel insats. Skriv inget personnummer."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_mandatory(self.fields, ["reason"])


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    withdrawn_on = forms.DateField(
        label=_("Datum då samtycket återkallades"),
        widget=DATE,
        required=False,
        help_text=_("Skriv datumet som ÅÅÅÅ-MM-DD."),
    )
    confirm = forms.BooleanField(
        label=_("Jag förstår att uppgifterna raderas och att det inte går att ångra"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mark_mandatory(self.fields, ["withdrawn_on", "confirm"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "withdrawn_on" not in self.errors and cleaned.get("withdrawn_on") is None:
            self.add_error(
                "withdrawn_on", _("Datum då samtycket återkallades: fyll i datumet.")
            )
        if not cleaned.get("confirm"):
            self.add_error(
                "confirm",
                _("Bekräftelse: kryssa i rutan för att bekräfta att uppgifterna ska raderas."),
            )
        return cleaned
