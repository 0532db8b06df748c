"""Role grants per förbund."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stegvis.access.roles import NATIONAL_ROLES, Role

ROLE_LABELS = {
    Role.SYSTEM_ADMIN: _("Systemadministratör"),
    Role.ASSOCIATION_ADMIN: _("Förbundsadministratör"),
    Role.INTERVENTION_MANAGER: _("Insatsansvarig"),
    Role.PARTICIPANT_OFFICER: _("Deltagaransvarig"),
    Role.REPORT_READER: _("Rapportläsare"),
    Role.AUDITOR: _("Granskare"),
}
ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class RoleGrant(models.Model):
    """``user`` holds ``role`` in ``association``; a national grant has no association."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.CharField(_("roll"), max_length=30, choices=ROLE_CHOICES)
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_grants",
    )
    granted_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)

    class Meta:
        ordering = ["association__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "association"], name="role_grant_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(association__isnull=True),
                name="role_grant_unique_national",
            ),
            models.CheckConstraint(
                condition=Q(association__isnull=False)
                | Q(role__in=sorted(r.value for r in NATIONAL_ROLES)),
                name="role_grant_national_roles_only",
            ),
        ]
        verbose_name = _("roll")
        verbose_name_plural = _("roller")

    def __str__(self) -> str:
        where = self.association or _("hela landet")
        return f"{self.get_role_display()} – {where}"


class ApiToken(models.Model):
    """A personal API key: ``<prefix>.<secret>``; only the SHA-256 of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("namn"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    hashed_secret = models.CharField(_("hashad nyckel"), max_length=64)
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    last_used = models.DateTimeField(_("senast använd"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("API-nyckel")
        verbose_name_plural = _("API-nycklar")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ActivationCode(models.Model):
    """A one-time code with which a user sets a new password after an access reset.

    Shown once to the administrator who reset the access; only its SHA-256 is stored. It is
    valid for ``ACTIVATION_CODE_HOURS`` and consumed on use; a newer reset replaces it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes"
    )
    hashed_code = models.CharField(_("hashad kod"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)
    expires_at = models.DateTimeField(_("giltig till"))
    used_at = models.DateTimeField(_("använd"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("aktiveringskod")
        verbose_name_plural = _("aktiveringskoder")

    def __str__(self) -> str:
        return f"{self.user} ({self.created:%Y-%m-%d %H:%M})"


class PasswordChangeRequired(models.Model):
    """The user's password was set by someone else: it must be changed at the next sign-in
    before anything else (issue 11). Removed when the user has chosen their own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_change"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("krav på nytt lösenord")
        verbose_name_plural = _("krav på nytt lösenord")

    def __str__(self) -> str:
        return str(self.user)


class InterventionAssignment(models.Model):
    """A deltagaransvarig assigned to an insats: they see its participants.

    Kept here, with the role grants, because the scoping module reads it for every read of
    personal data (:func:`stegvis.access.scope.assigned_intervention_ids`); the insats is named
    by string so access stays below interventions (ADR 0014). The table keeps its old name."""

    AUDIT_OBJECT_TYPE = "interventions.interventionassignment"  # its events before the move

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervention_assignments"
    )
    assigned_at = models.DateTimeField(_("tilldelad"), auto_now_add=True)

    class Meta:
        db_table = "interventions_interventionassignment"
        ordering = ["intervention", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "user"], name="intervention_assignment_unique"
            ),
        ]
        verbose_name = _("tilldelad deltagaransvarig")
        verbose_name_plural = _("tilldelade deltagaransvariga")

    def __str__(self) -> str:
        return f"{self.user} – {self.intervention}"
