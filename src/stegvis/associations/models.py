"""Samordningsförbund, their member organisations, memberships, area and funding key."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.lib import parties
from stegvis.reference.models import County, Municipality


class PartyKind(models.TextChoices):
    FK = parties.FK, _("Försäkringskassan")
    AF = parties.AF, _("Arbetsförmedlingen")
    REGION = parties.REGION, _("Region")
    KOMMUN = parties.KOMMUN, _("Kommun")


class Organisation(models.Model):
    """A member organisation (party). FK and AF are national; a kommun is tied to its kommunkod."""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ av part"), max_length=10, choices=PartyKind.choices)
    # A kommun's organisation created together with a förbund may lack its number until
    # someone enters it; every other party has one.
    org_number = models.CharField(
        _("organisationsnummer"), max_length=11, unique=True, null=True, blank=True
    )
    municipality = models.OneToOneField(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="organisation"
    )
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, null=True, blank=True, related_name="regions"
    )

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=parties.KOMMUN, municipality__isnull=False)
                | (~Q(kind=parties.KOMMUN) & Q(municipality__isnull=True)),
                name="organisation_kommun_has_municipality",
            ),
            models.CheckConstraint(
                condition=Q(kind="KOMMUN") | Q(org_number__isnull=False),
                name="organisation_number_unless_kommun",
            ),
        ]
        verbose_name = _("medlemsorganisation")
        verbose_name_plural = _("medlemsorganisationer")

    def __str__(self) -> str:
        return self.name


class FundingKeyMethod(models.TextChoices):
    POPULATION = "population", _("Efter befolkning")
    EQUAL = "equal", _("Lika delar")
    CUSTOM = "custom", _("Egen fördelning")


class Association(models.Model):
    """A samordningsförbund: a tenant of Stegvis."""

    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, unique=True)
    founded = models.DateField(_("bildat"))
    dissolved = models.DateField(_("upplöst"), null=True, blank=True)
    funding_key_method = models.CharField(
        _("fördelning av kommunernas fjärdedel"),
        max_length=12,
        choices=FundingKeyMethod.choices,
        default=FundingKeyMethod.POPULATION,
    )
    funding_key_population_year = models.PositiveSmallIntegerField(
        _("befolkningsår för fördelningen"), null=True, blank=True
    )
    is_demo = models.BooleanField(_("demoförbund"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(dissolved__gte=models.F("founded")),
                name="association_dates",
            ),
        ]
        verbose_name = _("samordningsförbund")
        verbose_name_plural = _("samordningsförbund")

    def __str__(self) -> str:
        return self.name


class AreaPart(models.Model):
    """A kommun, or a named district of one, in a förbund's area."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="area")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    district = models.CharField(_("kommundel"), max_length=200, blank=True)
    # Population aged 16–64 of a district, entered by the förbund (Täckning's need).
    district_population = models.PositiveIntegerField(
        _("befolkning 16–64 år i kommundelen"), null=True, blank=True
    )

    class Meta:
        ordering = ["municipality__short_name", "district"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "municipality", "district"], name="area_part_unique"
            )
        ]
        verbose_name = _("del av område")
        verbose_name_plural = _("område")

    def __str__(self) -> str:
        return f"{self.municipality} – {self.district}" if self.district else str(self.municipality)


class Membership(models.Model):
    """An organisation's membership of a förbund over a period (``valid_to`` inclusive)."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    valid_from = models.DateField(_("medlem från"))
    valid_to = models.DateField(_("medlem till"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__kind", "organisation__name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_period",
            ),
        ]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        until = self.valid_to.isoformat() if self.valid_to else ""
        return f"{self.organisation} {self.valid_from.isoformat()}–{until}"


class FundingShare(models.Model):
    """A kommun's (or, with several regions, a region's) share, in percent, of its quarter."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="funding_shares"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    share_pct = models.DecimalField(_("andel (%)"), max_digits=7, decimal_places=4)

    class Meta:
        ordering = ["organisation__kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "organisation"], name="funding_share_unique"
            ),
            models.CheckConstraint(
                condition=Q(share_pct__gte=0) & Q(share_pct__lte=100), name="funding_share_range"
            ),
        ]
        verbose_name = _("fördelningsandel")
        verbose_name_plural = _("fördelningsnyckel")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.share_pct} %"


class DataVersion(models.Model):
    """A token per förbund (``scope`` = its id; 0 = reference data shared by all) that every
    write transaction changing what the indicators read replaces (ADR 0012). Cached bundles
    and charts are keyed on the tokens of their scope, so a committed write is never answered
    from an older cache entry. Random tokens (not counters) stay unique after a restore."""

    scope = models.BigIntegerField(unique=True)
    token = models.BigIntegerField()

    class Meta:
        db_table = "indicators_dataversion"  # moved from indicators, table kept

    def __str__(self) -> str:
        return f"{self.scope}:{self.token}"
