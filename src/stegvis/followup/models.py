"""Follow-ups after the end: closures, contact channels and one-time self-report links.

- :class:`Closure`: a follow-up (3, 6, 12, 24 or 36 months) closed without a measurement, with
  a reason from the code list ``followup_closure`` and a date. It leaves the worklist and counts as
  *not reached* or *declined* in the reports' coverage.
- :class:`ContactChannel`: e-mail and/or mobile number the participant agreed to be reached at
  for follow-up, encrypted like identities; erased after the last follow-up and at withdrawal.
- :class:`HorizonSetting`: whether a förbund also follows up 24 and 36 months after the end
  (``participants.followup.schedule``); absent means 3, 6 and 12 months only.
- :class:`Invitation`: one self-report invitation per follow-up, with its delivery state. Its
  links (:class:`InvitationToken`, the first and the reminder's) are stored as SHA-256 only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.participants.models import FOLLOW_UP_OCCASIONS, Measurement, Participation
from stegvis.reference.models import Code, CodeList

FOLLOW_UP_CHOICES = [(o.value, o.label) for o in FOLLOW_UP_OCCASIONS]


class HorizonSetting(models.Model):
    """A förbund's choice of follow-up horizons (written by ``services.horizons_set``)."""

    association = models.OneToOneField(
        Association, on_delete=models.CASCADE, related_name="follow_up_horizons"
    )
    long_horizons = models.BooleanField(
        _("uppföljning även 24 och 36 månader efter avslut"), default=False
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    changed = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("uppföljningshorisont")
        verbose_name_plural = _("uppföljningshorisonter")

    def __str__(self) -> str:
        return gettext("Uppföljningshorisonter %(association)s") % {
            "association": self.association_id
        }


class Closure(models.Model):
    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="follow_up_closures"
    )
    occasion = models.CharField(_("mättillfälle"), max_length=16, choices=FOLLOW_UP_CHOICES)
    reason = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": CodeList.FOLLOWUP_CLOSURE},
        verbose_name=_("skäl"),
    )
    date = models.DateField(_("datum"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "occasion"], name="followup_closure_one_per_occasion"
            ),
        ]
        verbose_name = _("avslutad uppföljning")
        verbose_name_plural = _("avslutade uppföljningar")

    def __str__(self) -> str:
        return gettext("Avslutad uppföljning %(pk)s") % {"pk": self.pk}


class ContactChannel(models.Model):
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="follow_up_contact"
    )
    email_ciphertext = models.TextField(_("krypterad e-postadress"), blank=True)
    mobile_ciphertext = models.TextField(_("krypterat mobilnummer"), blank=True)
    agreed_on = models.DateField(_("deltagaren godkände"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(email_ciphertext="") | ~Q(mobile_ciphertext=""),
                name="followup_contact_has_channel",
            ),
        ]
        verbose_name = _("kontaktväg för uppföljning")
        verbose_name_plural = _("kontaktvägar för uppföljning")

    def __str__(self) -> str:
        return gettext("Kontaktväg %(pk)s") % {"pk": self.pk}


class Channel(models.TextChoices):
    EMAIL = "email", _("E-post")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Brev")


class Invitation(models.Model):
    """The self-report invitation of one follow-up and what became of it."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="follow_up_invitations"
    )
    occasion = models.CharField(_("mättillfälle"), max_length=16, choices=FOLLOW_UP_CHOICES)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices)
    valid_from = models.DateField(_("giltig från"))
    valid_until = models.DateField(_("giltig till"))
    sent_at = models.DateTimeField(_("skickad"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("påminnelse skickad"), null=True, blank=True)
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    answered_at = models.DateTimeField(_("besvarad"), null=True, blank=True)
    declined_at = models.DateTimeField(_("avböjd"), null=True, blank=True)
    measurement = models.ForeignKey(
        Measurement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "occasion"], name="followup_invitation_one_per_occasion"
            ),
        ]
        verbose_name = _("inbjudan till självrapportering")
        verbose_name_plural = _("inbjudningar till självrapportering")

    def __str__(self) -> str:
        return f"Inbjudan {self.pk}"

    @property
    def used(self) -> bool:
        return self.answered_at is not None or self.declined_at is not None


class InvitationToken(models.Model):
    """One link of an invitation: only the SHA-256 of its random token is stored."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("engångslänk")
        verbose_name_plural = _("engångslänkar")

    def __str__(self) -> str:
        return gettext("Länk %(pk)s") % {"pk": self.pk}
