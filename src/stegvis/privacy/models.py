"""Gallring (retention) and data-subject rights: legal holds, erasure marks, the audit window.

See ADR 0007. Nothing here stores a personnummer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.participants.models import Participation


class LegalHold(models.Model):
    """A participation that must not be erased by gallring (e.g. pending appeal or inquiry)."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="legal_holds"
    )
    reason = models.CharField(_("anledning"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(_("beslutad"), auto_now_add=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    released_at = models.DateTimeField(_("hävd"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation"],
                condition=Q(released_at__isnull=True),
                name="legal_hold_one_active_per_participation",
            ),
        ]
        verbose_name = _("bevarandebeslut")
        verbose_name_plural = _("bevarandebeslut")

    def __str__(self) -> str:
        return f"Bevarande {self.pk}"


class RetentionErasure(models.Model):
    """Marks a participation whose identity and measurements gallring has erased.

    Its row in the indicators' fact table is frozen from then on: it is the anonymised figure
    that keeps past reports unchanged (``participants/facts.py`` skips these participations).
    """

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, primary_key=True,
        related_name="retention_erasure",
    )
    erased_at = models.DateTimeField(_("gallrad"), auto_now_add=True)

    class Meta:
        verbose_name = _("gallrat deltagande")
        verbose_name_plural = _("gallrade deltaganden")

    def __str__(self) -> str:
        return f"Gallrat deltagande {self.participation_id}"


class AuditPurgeWindow(models.Model):
    """While a row exists, the audit guard lets audit events older than ``cutoff`` be deleted.

    Only :func:`stegvis.privacy.services.gallra` writes a row, and removes it again in the same
    transaction, so no other transaction ever sees one (ADR 0007).
    """

    cutoff = models.DateTimeField()

    class Meta:
        verbose_name = _("gallringsfönster för granskningslogg")
        verbose_name_plural = _("gallringsfönster för granskningslogg")

    def __str__(self) -> str:
        return f"{self.cutoff:%Y-%m-%d}"
