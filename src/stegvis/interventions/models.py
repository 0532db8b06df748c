"""Insatser (interventions), their yearly budgets, assigned officers and counts.

Money is stored in whole kronor as ``DecimalField(max_digits=14, decimal_places=0)``: exact
arithmetic (no float), room for any förbund's budget, and the same type on SQLite and
PostgreSQL. Öre are not tracked (the old register and annual reports use whole kronor).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Organisation
from stegvis.reference.models import Code, CodeList


class Orientation(models.TextChoices):
    INDIVIDUAL = "individual", _("Individinriktad")
    STRUCTURAL = "structural", _("Strukturövergripande")


class FollowUpMethod(models.TextChoices):
    IDENTIFIED = "identified", _("Identifierad")
    ANONYMOUS = "anonymous", _("Anonym")
    VOLUME = "volume", _("Volym")


class BudgetKind(models.TextChoices):
    COST = "insatskostnad", _("Insatskostnad")
    ESF_COST = "esf_insatskostnad", _("ESF-insatskostnad")


MONEY = {"max_digits": 14, "decimal_places": 0}


class Intervention(models.Model):
    """An insats financed by a förbund. Orientation, follow-up method and ESF never change."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="interventions"
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    orientation = models.CharField(_("inriktning"), max_length=12, choices=Orientation.choices)
    precise_orientation = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"list": CodeList.PRECISE_ORIENTATION},
        verbose_name=_("preciserad inriktning"),
    )
    target_groups = models.ManyToManyField(
        Code,
        related_name="+",
        limit_choices_to={"list": CodeList.TARGET_GROUP},
        verbose_name=_("målgrupper"),
    )
    follow_up_method = models.CharField(
        _("uppföljningsmetod"), max_length=12, choices=FollowUpMethod.choices
    )
    esf_cofunded = models.BooleanField(_("ESF-medfinansierad"), default=False)
    organiser = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("anordnare")
    )
    parties = models.ManyToManyField(
        Organisation, related_name="+", verbose_name=_("deltagande parter")
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("slutdatum"), null=True, blank=True)
    controller = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("personuppgiftsansvarig"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["association__name", "name", "id"]
        indexes = [models.Index(fields=["association", "name"], name="intervention_assoc_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="intervention_dates",
            ),
        ]
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")

    def __str__(self) -> str:
        return self.name


class InterventionYear(models.Model):
    """Plan for one calendar year of an insats: planned participants and budget lines."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("år"))
    planned_participants = models.PositiveIntegerField(_("planerat antal deltagare"), default=0)

    class Meta:
        ordering = ["intervention", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "year"], name="intervention_year_unique"
            ),
        ]
        verbose_name = _("insatsår")
        verbose_name_plural = _("insatsår")

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}"


class BudgetLine(models.Model):
    """A budget line of an insats year, in whole kronor."""

    intervention_year = models.ForeignKey(
        InterventionYear, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=BudgetKind.choices)
    budget = models.DecimalField(_("budget (kr)"), **MONEY)
    actual = models.DecimalField(_("utfall (kr)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["intervention_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention_year", "kind"], name="budget_line_unique_kind"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="budget_line_budget_gte_0"),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0),
                name="budget_line_actual_gte_0",
            ),
        ]
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.budget} kr"


class VolumeCount(models.Model):
    """Volume follow-up: how many took part during a period (women/men optional)."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="volume_counts"
    )
    period_start = models.DateField(_("periodens början"))
    period_end = models.DateField(_("periodens slut"))
    total = models.PositiveIntegerField(_("antal totalt"))
    women = models.PositiveIntegerField(_("varav kvinnor"), null=True, blank=True)
    men = models.PositiveIntegerField(_("varav män"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("registrerad"), auto_now=True)

    class Meta:
        ordering = ["intervention", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="volume_count_period"
            ),
        ]
        verbose_name = _("volymräkning")
        verbose_name_plural = _("volymräkningar")

    def __str__(self) -> str:
        return f"{self.period_start}–{self.period_end}: {self.total}"


class AnonymousCount(models.Model):
    """Anonymous follow-up: women and men who started in ``start_year``."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="anonymous_counts"
    )
    start_year = models.PositiveSmallIntegerField(_("startår"))
    women = models.PositiveIntegerField(_("kvinnor"), default=0)
    men = models.PositiveIntegerField(_("män"), default=0)
    recorded_at = models.DateTimeField(_("registrerad"), auto_now=True)

    class Meta:
        ordering = ["intervention", "start_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "start_year"], name="anonymous_count_unique_year"
            ),
        ]
        verbose_name = _("anonym räkning")
        verbose_name_plural = _("anonyma räkningar")

    def __str__(self) -> str:
        return f"{self.start_year}: {self.women} K, {self.men} M"
