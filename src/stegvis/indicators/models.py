"""The per-participation fact table the indicators read (indicators.md, architecture rule 8).

One row per participation (felregistrering kept with ``is_error``; withdrawn consent removes the
row). Rows are written only by :func:`stegvis.indicators.facts.refresh_participation_facts`,
called inside the transactions of the participant services, or rebuilt atomically by
``stegvis rebuild_facts``. Nothing here identifies a person: ``person_key`` is the internal id
of the person row, used only to count distinct persons.

Multi-valued keys (headline activity categories, income sources) are stored as ``,a,b,``
so that a ``contains(',a,')`` filter finds exactly ``a`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from stegvis.associations.models import Association
from stegvis.interventions.models import Intervention
from stegvis.participants.models import Participation
from stegvis.reference.models import Municipality

# Fact columns per follow-up horizon (24 and 36 only for förbund that chose them).
FOLLOW_UP_MONTHS = (3, 6, 12, 24, 36)


class ParticipationFact(models.Model):
    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    person_key = models.BigIntegerField(null=True, blank=True)
    sex = models.CharField(_("kön"), max_length=1)
    age_group = models.CharField(_("åldersgrupp"), max_length=12)
    residence = models.ForeignKey(
        Municipality, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_error = models.BooleanField(default=False)
    exit_reason = models.CharField(max_length=60, blank=True)
    referred_by = models.CharField(max_length=60, blank=True)
    education_level = models.CharField(max_length=60, blank=True)
    public_support_duration = models.CharField(max_length=60, blank=True)
    duration_days = models.IntegerField(null=True, blank=True)
    # Start and end measurements (null when the measurement is missing).
    has_start = models.BooleanField(default=False)
    has_end = models.BooleanField(default=False)
    complete = models.BooleanField(default=False)  # both start and end measurement
    start_work_or_studies = models.BooleanField(null=True)
    end_work_or_studies = models.BooleanField(null=True)
    start_no_public_support = models.BooleanField(null=True)
    end_no_public_support = models.BooleanField(null=True)
    start_extent = models.SmallIntegerField(null=True)
    end_extent = models.SmallIntegerField(null=True)
    start_step = models.SmallIntegerField(null=True)
    end_step = models.SmallIntegerField(null=True)
    start_categories = models.CharField(max_length=80, blank=True)
    end_categories = models.CharField(max_length=80, blank=True)
    start_income = models.CharField(max_length=600, blank=True)
    end_income = models.CharField(max_length=600, blank=True)
    # Follow-ups k months after the end.
    follow_up_consent = models.BooleanField(default=False)
    fu3_date = models.DateField(null=True)
    fu3_measured = models.BooleanField(default=False)
    fu3_work_or_studies = models.BooleanField(null=True)
    fu3_no_public_support = models.BooleanField(null=True)
    fu6_date = models.DateField(null=True)
    fu6_measured = models.BooleanField(default=False)
    fu6_work_or_studies = models.BooleanField(null=True)
    fu6_no_public_support = models.BooleanField(null=True)
    fu12_date = models.DateField(null=True)
    fu12_measured = models.BooleanField(default=False)
    fu12_work_or_studies = models.BooleanField(null=True)
    fu12_no_public_support = models.BooleanField(null=True)
    fu24_date = models.DateField(null=True)
    fu24_measured = models.BooleanField(default=False)
    fu24_work_or_studies = models.BooleanField(null=True)
    fu24_no_public_support = models.BooleanField(null=True)
    fu36_date = models.DateField(null=True)
    fu36_measured = models.BooleanField(default=False)
    fu36_work_or_studies = models.BooleanField(null=True)
    fu36_no_public_support = models.BooleanField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["association", "start_date"], name="fact_assoc_start"),
            models.Index(fields=["association", "end_date"], name="fact_assoc_end"),
            models.Index(fields=["start_date"], name="fact_start"),
            models.Index(fields=["end_date"], name="fact_end"),
            models.Index(fields=["intervention"], name="fact_intervention"),
        ]
        verbose_name = _("deltagandefakta")
        verbose_name_plural = _("deltagandefakta")

    def __str__(self) -> str:
        return f"Fakta {self.pk}"


class DataVersion(models.Model):
    """A token per förbund (``scope`` = its id; 0 = reference data shared by all) that every
    write transaction changing what the indicators read replaces (ADR 0012). Cached bundles
    and charts are keyed on the tokens of their scope, so a committed write is never answered
    from an older cache entry. Random tokens (not counters) stay unique after a restore."""

    scope = models.BigIntegerField(unique=True)
    token = models.BigIntegerField()

    def __str__(self) -> str:
        return f"{self.scope}:{self.token}"
