"""Re-encrypt every stored identity (and two-factor secret) with the newest identity key.

Rotation: put a new key first in STEGVIS_IDENTITY_KEYS (keep the old ones after it), restart,
run ``stegvis rotate_identity_keys``, then remove the old keys from the ring.

It lives in privacy, above every app whose encrypted data it rotates (participants' identities,
access's two-factor secrets, followup's contact channels; docs/adr/0014-layers.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from stegvis.access.services import two_factor_secrets_rotate
from stegvis.followup.services import rotate_contact_keys
from stegvis.participants.services import rotate_identity_keys


class Command(BaseCommand):
    help = "Krypterar om alla identiteter med den nyaste nyckeln i STEGVIS_IDENTITY_KEYS."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        count = rotate_identity_keys(batch_size=options["batch_size"])
        self.stdout.write(
            _("Krypterade om %(count)s identiteter med den nyaste nyckeln.") % {"count": count}
        )
        secrets = two_factor_secrets_rotate()
        self.stdout.write(
            _("Krypterade om %(secrets)s tvåfaktorshemligheter med den nyaste nyckeln.")
            % {"secrets": secrets}
        )
        contacts = rotate_contact_keys(batch_size=options["batch_size"])
        self.stdout.write(
            _("Krypterade om %(contacts)s kontaktvägar med den nyaste nyckeln.")
            % {"contacts": contacts}
        )
