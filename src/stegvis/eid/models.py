"""Which e-legitimation identity signs in as which user account."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from stegvis.eid.config import HSA_ID, PERSONNUMMER


class EidIdentity(models.Model):
    """An HSA-id or personnummer recorded for a user by an administrator.

    The value is stored like participants' identities: encrypted with the identity key ring,
    and found through an HMAC blind index (which never leaves the database).
    """

    class Kind(models.TextChoices):
        HSA_ID = HSA_ID, _("HSA-id")
        PERSONNUMMER = PERSONNUMMER, _("Personnummer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="eid_identities"
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    value_encrypted = models.TextField(_("krypterat värde"))
    value_index = models.CharField(_("blindindex"), max_length=64)
    created = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value_index"], name="eid_identity_unique"),
            models.UniqueConstraint(fields=["user", "kind"], name="eid_identity_one_per_kind"),
        ]
        verbose_name = _("e-legitimation")
        verbose_name_plural = _("e-legitimationer")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.user_id})"
