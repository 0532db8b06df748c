"""Persons, consents, participations and measurements.

No plaintext personnummer is stored anywhere: a :class:`Person` holds the number encrypted
(``identity_ciphertext``, see ``stegvis.lib.crypto``) and an HMAC blind index for exact look-up.

Birth date: a person keeps only the **month of birth** (``birth_month``, always the first day of
the month). Age rules that need the exact date (under 16, over 67) are checked at registration
from the number itself, and the exact age at start is stored on the participation
(``age_at_start``) for the reports' age groups. Keeping year and month only means the table of
persons on its own reveals no full birth date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Organisation
from stegvis.interventions.models import Intervention
from stegvis.lib.personnummer import SEX_MAN, SEX_WOMAN
from stegvis.reference.models import Code, CodeList, Municipality


class Sex(models.TextChoices):
    WOMAN = SEX_WOMAN, _("Kvinna")
    MAN = SEX_MAN, _("Man")


class Person(models.Model):
    """A person known by personnummer or samordningsnummer (encrypted)."""

    identity_ciphertext = models.TextField(_("krypterad identitet"))
    blind_index = models.CharField(_("sökindex"), max_length=64, unique=True)
    birth_month = models.DateField(_("födelsemånad"))
    sex = models.CharField(_("kön"), max_length=1, choices=Sex.choices)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return f"Person {self.pk}"


class Participation(models.Model):
    """One person in one insats, from inskrivning to utskrivning."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="participations"
    )
    # Null once consent is withdrawn: the row then survives only as sex and year of start.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    sex = models.CharField(_("kön"), max_length=1, choices=Sex.choices)
    start_year = models.PositiveSmallIntegerField(_("startår"))
    age_at_start = models.PositiveSmallIntegerField(_("ålder vid start"), null=True, blank=True)
    residence = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bostadskommun"),
    )
    referred_by = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.REFERRED_BY},
        verbose_name=_("aktualiserad av"),
    )
    start_date = models.DateField(_("startdatum"), null=True, blank=True)
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    exit_reason = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.EXIT_REASON},
        verbose_name=_("avslutsanledning"),
    )
    is_error = models.BooleanField(_("felregistrering"), default=False)
    consent_withdrawn_at = models.DateTimeField(_("samtycke återkallat"), null=True, blank=True)
    idempotency_key = models.CharField(
        _("engångsnyckel"), max_length=64, null=True, blank=True, unique=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    # The deltagaransvarig who works with the participant after a move; empty: the one who
    # registered it (``created_by``). See ``current_coach_id``.
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deltagaransvarig"),
    )
    # The coach's own short note to recognise the participant; never a personnummer.
    own_reference = models.CharField(_("egen referens"), max_length=40, blank=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["intervention", "end_date"], name="participation_int_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "person"],
                condition=Q(end_date__isnull=True, person__isnull=False, is_error=False),
                name="participation_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="participation_dates",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=False) | Q(consent_withdrawn_at__isnull=False),
                name="participation_start_unless_withdrawn",
            ),
        ]
        verbose_name = _("deltagande")
        verbose_name_plural = _("deltaganden")

    def __str__(self) -> str:
        return f"Deltagande {self.pk}"

    @property
    def current_coach_id(self) -> int | None:
        return self.coach_id or self.created_by_id

    @property
    def is_open(self) -> bool:
        return self.end_date is None and self.consent_withdrawn_at is None


class Consent(models.Model):
    """The written consent given for one participation."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="consent"
    )
    date = models.DateField(_("datum för samtycke"))
    form_version = models.CharField(_("blankettversion"), max_length=40)
    scope_registration = models.BooleanField(_("registrering i insatsen"), default=True)
    scope_follow_up = models.BooleanField(_("uppföljning efter avslut"), default=False)
    sharing_parties = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("delning mellan parter")
    )
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)

    class Meta:
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")

    def __str__(self) -> str:
        return f"Samtycke {self.pk}"


class Occasion(models.TextChoices):
    START = "start", _("Start")
    INTERIM = "interim", _("Delmätning")
    END = "end", _("Avslut")
    FOLLOWUP_3M = "followup_3m", _("Uppföljning 3 månader")
    FOLLOWUP_6M = "followup_6m", _("Uppföljning 6 månader")
    FOLLOWUP_12M = "followup_12m", _("Uppföljning 12 månader")
    FOLLOWUP_24M = "followup_24m", _("Uppföljning 24 månader")
    FOLLOWUP_36M = "followup_36m", _("Uppföljning 36 månader")


FOLLOW_UP_OCCASIONS = (Occasion.FOLLOWUP_3M, Occasion.FOLLOWUP_6M, Occasion.FOLLOWUP_12M,
                       Occasion.FOLLOWUP_24M, Occasion.FOLLOWUP_36M)


class MeasurementSource(models.TextChoices):
    """Who gave the answers of a measurement (kept and shown, never merged without saying so)."""

    COACH = "coach", _("Registrerad av deltagaransvarig")
    SELF_REPORTED = "self_reported", _("Självrapporterad")


class Measurement(models.Model):
    """What was recorded about a participant on one occasion."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="measurements"
    )
    occasion = models.CharField(_("mättillfälle"), max_length=16, choices=Occasion.choices)
    date = models.DateField(_("datum"))
    income_sources = models.ManyToManyField(
        Code, related_name="+", verbose_name=_("försörjning")
    )
    education_level = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utbildningsnivå"),
    )
    public_support_duration = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tid i offentlig försörjning"),
    )
    step = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("steg"),
    )
    rating_work = models.PositiveSmallIntegerField(
        _("hur nära arbete eller studier"), null=True, blank=True
    )
    rating_health = models.PositiveSmallIntegerField(_("hälsa"), null=True, blank=True)
    rating_future = models.PositiveSmallIntegerField(_("framtidstro"), null=True, blank=True)
    source = models.CharField(
        _("källa"), max_length=16, choices=MeasurementSource.choices,
        default=MeasurementSource.COACH,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["participation", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "occasion"],
                condition=~Q(occasion="interim"),
                name="measurement_one_per_occasion",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | (Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 10})),
                    name=f"measurement_{name}_1_10",
                )
                for name in ("rating_work", "rating_health", "rating_future")
            ],
        ]
        verbose_name = _("mätning")
        verbose_name_plural = _("mätningar")

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} {self.date}"


class MeasurementActivity(models.Model):
    """An activity (sysselsättning) with its extent in percent of full time."""

    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="activities"
    )
    activity = models.ForeignKey(
        Code, on_delete=models.PROTECT, related_name="+", verbose_name=_("sysselsättning")
    )
    extent_pct = models.PositiveSmallIntegerField(_("omfattning (%)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "activity"], name="measurement_activity_unique"
            ),
            models.CheckConstraint(
                condition=Q(extent_pct__gte=0) & Q(extent_pct__lte=100),
                name="measurement_activity_extent_0_100",
            ),
        ]
        verbose_name = _("sysselsättning")
        verbose_name_plural = _("sysselsättningar")

    def __str__(self) -> str:
        return f"{self.activity} {self.extent_pct} %"


class AnswerType(models.TextChoices):
    TEXT = "text", _("Fritext")
    YES_NO = "yes_no", _("Ja/nej")
    NUMBER = "number", _("Tal")


class QuestionOccasion(models.TextChoices):
    START = "start", _("Vid start")
    END = "end", _("Vid avslut")


class SupplementaryQuestion(models.Model):
    """A kompletterande fråga defined by a förbund, asked at start or end during its validity."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="supplementary_questions"
    )
    text = models.CharField(_("fråga"), max_length=300)
    answer_type = models.CharField(
        _("svarstyp"), max_length=10, choices=AnswerType.choices, default=AnswerType.TEXT
    )
    occasion = models.CharField(_("tillfälle"), max_length=10, choices=QuestionOccasion.choices)
    valid_from = models.DateField(_("giltig från"))
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)

    class Meta:
        ordering = ["association", "occasion", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="supplementary_question_period",
            ),
        ]
        verbose_name = _("kompletterande fråga")
        verbose_name_plural = _("kompletterande frågor")

    def __str__(self) -> str:
        return self.text


class SupplementaryAnswer(models.Model):
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, related_name="supplementary_answers"
    )
    question = models.ForeignKey(
        SupplementaryQuestion, on_delete=models.PROTECT, related_name="answers"
    )
    value = models.CharField(_("svar"), max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measurement", "question"], name="supplementary_answer_unique"
            ),
        ]
        verbose_name = _("svar på kompletterande fråga")
        verbose_name_plural = _("svar på kompletterande frågor")

    def __str__(self) -> str:
        return f"Svar {self.pk}"


# --- the indicators' fact table ------------------------------------------------------------
# One row per participation (felregistrering kept with ``is_error``; withdrawn consent removes
# the row), written only by :func:`stegvis.participants.facts.refresh_participation_facts` inside
# the transactions of the participant and follow-up services, or rebuilt atomically by
# ``stegvis rebuild_facts``; read by the indicators. Nothing here identifies a person:
# ``person_key`` is the internal id of the person row, used only to count distinct persons.
# Multi-valued keys (headline activity categories, income sources) are stored as ``,a,b,`` so
# that a ``contains(',a,')`` filter finds exactly ``a`` on SQLite and PostgreSQL alike.


class ParticipationFact(models.Model):
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    person_key = models.BigIntegerField(null=True, blank=True)
    sex = models.CharField(_("kön"), max_length=1)
    age_group = models.CharField(_("åldersgrupp"), max_length=12)
    residence = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_error = models.BooleanField(default=False)
    exit_reason = models.CharField(max_length=60, blank=True)
    referred_by = models.CharField(max_length=60, blank=True)
    education_level = models.CharField(max_length=60, blank=True)
    public_support_duration = models.CharField(max_length=60, blank=True)
    duration_days = models.IntegerField(null=True, blank=True)
    # Start and end measurements (null when the measurement is missing).
    has_start = models.BooleanField(default=False)
    has_end = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)  # both start and end measurement
    start_work_or_studies = models.BooleanField(null=True)
    end_work_or_studies = models.BooleanField(null=True)
    start_no_public_support = models.BooleanField(null=True)
    end_no_public_support = models.BooleanField(null=True)
    start_extent = models.SmallIntegerField(null=True)
    end_extent = models.SmallIntegerField(null=True)
    start_step = models.SmallIntegerField(null=True)
    end_step = models.SmallIntegerField(null=True)
    start_categories = models.CharField(max_length=80, blank=True)
    end_categories = models.CharField(max_length=80, blank=True)
    start_income = models.CharField(max_length=600, blank=True)
    end_income = models.CharField(max_length=600, blank=True)
    # Follow-ups k months after the end.
    follow_up_consent = models.BooleanField(default=False)
    fu3_date = models.DateField(null=True)
    fu3_measured = models.BooleanField(default=False)
    fu3_work_or_studies = models.BooleanField(null=True)
    fu3_no_public_support = models.BooleanField(null=True)
    fu6_date = models.DateField(null=True)
    fu6_measured = models.BooleanField(default=False)
    fu6_work_or_studies = models.BooleanField(null=True)
    fu6_no_public_support = models.BooleanField(null=True)
    fu12_date = models.DateField(null=True)
    fu12_measured = models.BooleanField(default=False)
    fu12_work_or_studies = models.BooleanField(null=True)
    fu12_no_public_support = models.BooleanField(null=True)
    fu24_date = models.DateField(null=True)
    fu24_measured = models.BooleanField(default=False)
    fu24_work_or_studies = models.BooleanField(null=True)
    fu24_no_public_support = models.BooleanField(null=True)
    fu36_date = models.DateField(null=True)
    fu36_measured = models.BooleanField(default=False)
    fu36_work_or_studies = models.BooleanField(null=True)
    fu36_no_public_support = models.BooleanField(null=True)

    class Meta:
        db_table = "indicators_participationfact"  # moved from indicators, table kept
        indexes = [
            models.Index(fields=["association", "start_date"], name="fact_assoc_start"),
            models.Index(fields=["association", "end_date"], name="fact_assoc_end"),
            models.Index(fields=["start_date"], name="fact_start"),
            models.Index(fields=["end_date"], name="fact_end"),
            models.Index(fields=["intervention"], name="fact_intervention"),
        ]
        verbose_name = _("deltagandefakta")
        verbose_name_plural = _("deltagandefakta")

    def __str__(self) -> str:
        return f"Fakta {self.pk}"
