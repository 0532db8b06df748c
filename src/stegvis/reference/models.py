"""Reference data: län, kommuner, population figures and versioned code lists."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A län (SCB länskod)."""

    code = models.CharField(_("länskod"), max_length=2, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("län")
        verbose_name_plural = _("län")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """A kommun (SCB kommunkod, four digits with leading zero)."""

    code = models.CharField(_("kommunkod"), max_length=4, primary_key=True)
    name = models.CharField(_("namn"), max_length=100)
    short_name = models.CharField(_("kort namn"), max_length=100)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")

    class Meta:
        ordering = ["short_name"]
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")

    def __str__(self) -> str:
        return self.short_name


class PopulationByAge(models.Model):
    """Population on 31 December of ``year`` by single year of age (100 = 100 and older)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    age = models.PositiveSmallIntegerField(_("ålder"))
    women = models.PositiveIntegerField(_("kvinnor"))
    men = models.PositiveIntegerField(_("män"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "age"], name="population_unique_cell"
            )
        ]
        verbose_name = _("befolkning per ålder")
        verbose_name_plural = _("befolkning per ålder")

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year} {self.age}"


class CodeList(models.TextChoices):
    """The versioned code lists of domain.md §3 (stable keys)."""

    INCOME_SOURCE = "income_source", _("Försörjning")
    ACTIVITY = "activity", _("Sysselsättning")
    EDUCATION_LEVEL = "education_level", _("Utbildningsnivå")
    PUBLIC_SUPPORT_DURATION = "public_support_duration", _("Tid i offentlig försörjning")
    REFERRED_BY = "referred_by", _("Aktualiserad av")
    EXIT_REASON = "exit_reason", _("Avslutsanledning")
    TARGET_GROUP = "target_group", _("Målgrupp")
    PRECISE_ORIENTATION = "precise_orientation", _("Preciserad inriktning")
    PROGRESSION_STEP = "progression_step", _("Stegförflyttning")
    FOLLOWUP_CLOSURE = "followup_closure", _("Uppföljning avslutad utan mätning")
    CONSENT_FORM_VERSION = "consent_form_version", _("Samtyckesblankettens version")


class ActivityCategory(models.TextChoices):
    """The four headline categories every activity code reports under."""

    WORK = "work", _("Förvärvsarbete")
    STUDIES = "studies", _("Studier")
    JOB_SEEKING = "job_seeking", _("Aktivt arbetssökande")
    OTHER = "other", _("Övrigt")


class CodeQuerySet(models.QuerySet["Code"]):
    def valid_on(self, day: dt.date) -> CodeQuerySet:
        return self.filter(valid_from__lte=day).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Code(models.Model):
    """One code of a code list. Codes are retired (``valid_to``), never deleted once used."""

    list = models.CharField(_("kodlista"), max_length=40, choices=CodeList.choices)
    key = models.SlugField(_("nyckel"), max_length=60)
    label = models.CharField(_("benämning"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("sorteringsordning"), default=0)
    valid_from = models.DateField(_("giltig från"), default=dt.date(2000, 1, 1))
    valid_to = models.DateField(_("giltig till"), null=True, blank=True)
    # Income sources: counts as offentlig försörjning.
    public_support = models.BooleanField(_("offentlig försörjning"), default=False)
    # Activities: headline category.
    category = models.CharField(
        _("huvudkategori"), max_length=20, choices=ActivityCategory.choices, blank=True
    )
    # Progression steps: the step number on the ladder.
    level = models.SmallIntegerField(_("nivå"), null=True, blank=True)

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["list", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["list", "key"], name="code_unique_key_per_list"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="code_valid_period",
            ),
        ]
        verbose_name = _("kod")
        verbose_name_plural = _("koder")

    def __str__(self) -> str:
        return self.label
