"""Append-only audit events. Nothing in the application updates or deletes them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "READ", _("Läsning")
    SEARCH = "SEARCH", _("Sökning")
    CREATE = "CREATE", _("Skapande")
    UPDATE = "UPDATE", _("Ändring")
    DELETE = "DELETE", _("Radering")
    EXPORT = "EXPORT", _("Export")
    LOGIN = "LOGIN", _("Inloggning")
    LOGIN_FAILED = "LOGIN_FAILED", _("Misslyckad inloggning")
    PERMISSION_DENIED = "PERMISSION_DENIED", _("Nekad åtkomst")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tid"), auto_now_add=True, db_index=True)
    # No database constraint: events outlive users and förbund and are never rewritten.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_username = models.CharField(_("användare"), max_length=150, blank=True)
    action = models.CharField(_("händelse"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("objekttyp"), max_length=60, blank=True)
    object_id = models.CharField(_("objekt-id"), max_length=40, blank=True)
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("anledning"), max_length=500, blank=True)
    request_id = models.CharField(_("begäran-id"), max_length=36, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["association", "at"], name="audit_association_at")]
        verbose_name = _("granskningshändelse")
        verbose_name_plural = _("granskningslogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username} {self.action}"
