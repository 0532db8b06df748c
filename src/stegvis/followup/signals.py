"""Erase contact channels and links as soon as consent is withdrawn (or the row is an error).

A receiver rather than a call in ``participants.services.consent_withdraw``: it runs in the
same transaction as the withdrawal, whichever service saves it.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from stegvis.participants.models import Participation


@receiver(post_save, sender=Participation, dispatch_uid="followup_erase_on_withdrawal")
def erase_on_withdrawal(sender: Any, instance: Participation, **kwargs: Any) -> None:
    if instance.consent_withdrawn_at is None and not instance.is_error:
        return
    from stegvis.followup.models import Invitation
    from stegvis.followup.services import contact_erase

    contact_erase(
        actor=None, participation=instance,
        why="consent_withdrawn" if instance.consent_withdrawn_at else "error",
    )
    if instance.consent_withdrawn_at is not None:
        Invitation.objects.filter(participation=instance).delete()
