"""Cohort exports to a register holder and the outcomes it returns (issue 14 §2, ADR 0013).

A :class:`CohortExport` keeps, per exported participation, a random pseudonymous key
(:class:`CohortMember`) so that the returned file can be matched without personnummer. The
mapping can be destroyed after import; the imported :class:`RegisterOutcome` rows then stay
linked to the participation only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.participants.models import Participation


class CohortExport(models.Model):
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text=_("Tomt för hela landet."),
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipient = models.CharField(_("mottagare"), max_length=200)
    purpose = models.TextField(_("ändamål"))
    legal_basis = models.TextField(_("rättslig grund"))
    row_count = models.PositiveIntegerField(default=0)
    checksum = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    keys_destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kohortexport")
        verbose_name_plural = _("kohortexporter")

    def __str__(self) -> str:
        return f"Kohortexport {self.pk}"


class CohortMember(models.Model):
    export = models.ForeignKey(CohortExport, on_delete=models.CASCADE, related_name="members")
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=32, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "participation"],
                                    name="registry_member_once_per_export"),
        ]

    def __str__(self) -> str:
        return f"Kohortmedlem {self.pk}"


class RegisterImport(models.Model):
    export = models.ForeignKey(CohortExport, on_delete=models.PROTECT, related_name="imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"Registerimport {self.pk}"


class RegisterOutcome(models.Model):
    """One person's register status in one month."""

    register_import = models.ForeignKey(
        RegisterImport, on_delete=models.CASCADE, related_name="outcomes"
    )
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="register_outcomes"
    )
    month = models.DateField(help_text=_("Månadens första dag."))
    support = models.CharField(max_length=200, blank=True)  # ",code,code," or ""
    employed = models.BooleanField()
    studying = models.BooleanField()
    born_abroad = models.BooleanField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participation", "month"],
                                    name="registry_outcome_once_per_month"),
        ]
        indexes = [models.Index(fields=["participation", "month"], name="registry_outcome_pm")]

    def __str__(self) -> str:
        return f"Registerutfall {self.pk}"
