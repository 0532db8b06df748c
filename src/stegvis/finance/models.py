"""Money of a förbund's year, and the state's distribution model.

Amounts are whole kronor (``DecimalField(max_digits=14, decimal_places=0)``), as in the
interventions app; försörjningsmått may carry öre. Writes go through ``services.py`` only.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association, Organisation
from stegvis.interventions.models import Intervention
from stegvis.reference.models import Municipality

MONEY = {"max_digits": 14, "decimal_places": 0}


class FinanceYear(models.Model):
    """One förbund's money for one calendar year: frame, income, actual costs, equity."""

    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="finance_years"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    frame = models.DecimalField(_("ram (medlemsbidrag totalt)"), **MONEY)
    opening_equity = models.DecimalField(_("ingående eget kapital"), default=0, **MONEY)
    other_income = models.DecimalField(_("övriga intäkter"), default=0, **MONEY)
    actual_board = models.DecimalField(_("utfall styrelse"), null=True, blank=True, **MONEY)
    actual_administration = models.DecimalField(
        _("utfall administration"), null=True, blank=True, **MONEY
    )
    actual_audit = models.DecimalField(_("utfall revision"), null=True, blank=True, **MONEY)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        ordering = ["association__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="finance_year_unique"),
            models.CheckConstraint(
                condition=Q(frame__gte=0) & Q(opening_equity__gte=0) & Q(other_income__gte=0),
                name="finance_year_amounts_gte_0",
            ),
        ]
        verbose_name = _("ekonomiår")
        verbose_name_plural = _("ekonomiår")

    def __str__(self) -> str:
        return f"{self.association} {self.year}"


class MemberContribution(models.Model):
    """A member's contribution to the year's frame, as computed when the frame was set."""

    finance_year = models.ForeignKey(
        FinanceYear, on_delete=models.CASCADE, related_name="contributions"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    part_pct = models.DecimalField(_("andel av ramen för parten (%)"), max_digits=5,
                                   decimal_places=2)
    share_pct = models.DecimalField(_("andel inom parten (%)"), max_digits=7, decimal_places=4)
    exact = models.DecimalField(_("exakt belopp"), max_digits=18, decimal_places=4)
    amount = models.DecimalField(_("bidrag (kr)"), **MONEY)
    sort_order = models.PositiveSmallIntegerField(default=0)
    paid_on = models.DateField(_("betalt den"), null=True, blank=True)

    class Meta:
        ordering = ["finance_year", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["finance_year", "organisation"], name="member_contribution_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="member_contribution_gte_0"),
        ]
        verbose_name = _("medlemsbidrag")
        verbose_name_plural = _("medlemsbidrag")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.amount} kr"

    @property
    def rounding(self) -> Decimal:
        """Kronor added (+) or left out (−) by rounding the exact share."""
        return Decimal(self.amount) - self.exact


class BudgetStatus(models.TextChoices):
    DRAFT = "utkast", _("Utkast")
    ADOPTED = "faststalld", _("Fastställd")


class Budget(models.Model):
    """A version of the year's budget. An adopted version is locked; changes are new versions."""

    finance_year = models.ForeignKey(FinanceYear, on_delete=models.CASCADE, related_name="budgets")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    board = models.DecimalField(_("styrelse"), default=0, **MONEY)
    administration = models.DecimalField(_("administration"), default=0, **MONEY)
    audit = models.DecimalField(_("revision"), default=0, **MONEY)
    # Sum of the insatser's own budget lines, frozen when the budget is adopted.
    interventions_total = models.DecimalField(
        _("insatser (fastställt)"), null=True, blank=True, **MONEY
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["finance_year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["finance_year", "version"], name="budget_version"),
            models.UniqueConstraint(
                fields=["finance_year"],
                condition=Q(status="utkast"),
                name="budget_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(board__gte=0) & Q(administration__gte=0) & Q(audit__gte=0),
                name="budget_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(status="utkast") | Q(decided_on__isnull=False),
                name="budget_adopted_has_date",
            ),
        ]
        verbose_name = _("budget")
        verbose_name_plural = _("budgetar")

    def __str__(self) -> str:
        return f"{self.finance_year} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == BudgetStatus.ADOPTED


class BudgetInterventionLine(models.Model):
    """An insats's budget for the year, frozen into an adopted budget version."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="intervention_lines")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("insats"), max_length=200)
    amount = models.DecimalField(_("budget (kr)"), **MONEY)

    class Meta:
        ordering = ["budget", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "intervention"], name="budget_intervention_line_unique"
            )
        ]
        verbose_name = _("insatsbudget i budgetversion")
        verbose_name_plural = _("insatsbudgetar i budgetversion")

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} kr"


# --- The state's distribution model --------------------------------------------------------


class AllocationParameters(models.Model):
    """The model's parameters for an allocation year; a change is a new version."""

    allocation_year = models.PositiveSmallIntegerField(_("fördelningsår"))
    version = models.PositiveSmallIntegerField(_("version"))
    state_total = models.DecimalField(_("statens totala belopp"), **MONEY)
    base_amount = models.DecimalField(_("grundbelopp per förbund"), **MONEY)
    key_support_pct = models.DecimalField(
        _("nyckel försörjningsmått (%)"), max_digits=5, decimal_places=2
    )
    key_population_pct = models.DecimalField(
        _("nyckel befolkning (%)"), max_digits=5, decimal_places=2
    )
    age_from = models.PositiveSmallIntegerField(_("ålder från"), default=16)
    age_to = models.PositiveSmallIntegerField(_("ålder till"), default=64)
    max_reduction_pct = models.DecimalField(
        _("största årliga minskning (%)"), max_digits=5, decimal_places=2
    )
    note = models.CharField(_("anteckning"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        ordering = ["-allocation_year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_year", "version"], name="allocation_parameters_version"
            ),
            models.CheckConstraint(
                condition=Q(state_total__gte=0) & Q(base_amount__gte=0),
                name="allocation_parameters_gte_0",
            ),
        ]
        verbose_name = _("parametrar för statens fördelning")
        verbose_name_plural = _("parametrar för statens fördelning")

    def __str__(self) -> str:
        return f"{self.allocation_year} v{self.version}"


class EquityScaleStep(models.Model):
    """One step of the scale of reasonable equity: from a size of the year's contributions."""

    parameters = models.ForeignKey(
        AllocationParameters, on_delete=models.CASCADE, related_name="equity_scale"
    )
    from_size = models.DecimalField(_("från medlemsbidrag (kr)"), **MONEY)
    max_equity_pct = models.DecimalField(
        _("rimligt eget kapital (% av medlemsbidragen)"), max_digits=6, decimal_places=2
    )

    class Meta:
        ordering = ["parameters", "from_size"]
        constraints = [
            models.UniqueConstraint(
                fields=["parameters", "from_size"], name="equity_scale_step_unique"
            )
        ]
        verbose_name = _("steg i skalan för eget kapital")
        verbose_name_plural = _("skala för eget kapital")

    def __str__(self) -> str:
        return f"≥ {self.from_size} kr: {self.max_equity_pct} %"


class AllocationInput(models.Model):
    """A förbund's figures for an allocation year (summed over its area when imported)."""

    allocation_year = models.PositiveSmallIntegerField(_("fördelningsår"))
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    support_measure = models.DecimalField(_("försörjningsmått (kr)"), max_digits=16,
                                          decimal_places=2)
    population = models.PositiveIntegerField(_("befolkning i åldersspannet"))
    imported_at = models.DateTimeField(_("importerad"), auto_now=True)

    class Meta:
        ordering = ["allocation_year", "association__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_year", "association"], name="allocation_input_unique"
            ),
            models.CheckConstraint(condition=Q(support_measure__gte=0),
                                   name="allocation_input_gte_0"),
        ]
        verbose_name = _("indata för statens fördelning")
        verbose_name_plural = _("indata för statens fördelning")

    def __str__(self) -> str:
        return f"{self.allocation_year} {self.association}"


class AllocationKommunInput(models.Model):
    """A kommun's imported figures (kept for what-if: a new förbund made of kommuner)."""

    allocation_year = models.PositiveSmallIntegerField(_("fördelningsår"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    # Set when the row was for one förbund's part of a kommun shared by several förbund.
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    support_measure = models.DecimalField(_("försörjningsmått (kr)"), max_digits=16,
                                          decimal_places=2)
    population = models.PositiveIntegerField(_("befolkning i åldersspannet"))

    class Meta:
        ordering = ["allocation_year", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_year", "municipality", "association"],
                name="allocation_kommun_input_unique",
            ),
            models.UniqueConstraint(
                fields=["allocation_year", "municipality"],
                condition=Q(association__isnull=True),
                name="allocation_kommun_input_unique_whole",
            ),
        ]
        verbose_name = _("indata per kommun")
        verbose_name_plural = _("indata per kommun")

    def __str__(self) -> str:
        return f"{self.allocation_year} {self.municipality_id}"


class AdvanceNotice(models.Model):
    """A förbund's förhandsbesked: the amount it requests (at most the model amount)."""

    allocation_year = models.PositiveSmallIntegerField(_("fördelningsår"))
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    requested = models.DecimalField(_("begärt belopp"), **MONEY)
    model_amount = models.DecimalField(_("modellens belopp vid begäran"), **MONEY)
    received_on = models.DateField(_("mottaget"))

    class Meta:
        ordering = ["allocation_year", "association__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_year", "association"], name="advance_notice_unique"
            ),
            models.CheckConstraint(condition=Q(requested__gte=0), name="advance_notice_gte_0"),
        ]
        verbose_name = _("förhandsbesked")
        verbose_name_plural = _("förhandsbesked")

    def __str__(self) -> str:
        return f"{self.allocation_year} {self.association}: {self.requested} kr"


class DecidedAllocation(models.Model):
    """The state's decided allocation to a förbund for a year (its 50 % of the year's frame).

    The previous year's decided allocation is what the cap on reductions compares with.
    """

    allocation_year = models.PositiveSmallIntegerField(_("fördelningsår"))
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("beslutat belopp"), **MONEY)
    decided_on = models.DateField(_("beslutsdatum"))

    class Meta:
        ordering = ["allocation_year", "association__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_year", "association"], name="decided_allocation_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="decided_allocation_gte_0"),
        ]
        verbose_name = _("beslutad tilldelning")
        verbose_name_plural = _("beslutade tilldelningar")

    def __str__(self) -> str:
        return f"{self.allocation_year} {self.association}: {self.amount} kr"
