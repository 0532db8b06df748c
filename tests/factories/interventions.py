"""Insatser, built directly (tests of the insats services build theirs through the services)."""

from __future__ import annotations

import datetime as dt

import factory

from stegvis.access.models import InterventionAssignment
from stegvis.associations.models import Organisation
from stegvis.interventions.models import (
    BudgetLine,
    FollowUpMethod,
    Intervention,
    InterventionYear,
    Orientation,
)
from tests.factories.associations import AssociationFactory


def _member_organisations(association) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__association=association))


class InterventionFactory(factory.django.DjangoModelFactory):
    """An identified, individual insats. The organiser and controller default to the förbund's
    first member organisation, the parties to its first two (``parties=[]`` for none)."""

    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    name = "Steg till arbete"
    orientation = Orientation.INDIVIDUAL
    follow_up_method = FollowUpMethod.IDENTIFIED
    organiser = factory.LazyAttribute(lambda o: _member_organisations(o.association)[0])
    controller = factory.LazyAttribute(lambda o: o.organiser)
    start_date = dt.date(2020, 1, 1)

    @factory.post_generation
    def parties(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        if extracted is None:
            extracted = _member_organisations(self.association)[:2]
        self.parties.set(extracted)

    @factory.post_generation
    def assigned(self, create: bool, extracted, **kwargs) -> None:
        """``assigned=[user, …]``: the deltagaransvariga assigned to the insats."""
        for user in extracted or []:
            InterventionAssignment.objects.create(intervention=self, user=user)


class InterventionYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionYear

    intervention = factory.SubFactory(InterventionFactory)
    year = 2024
    planned_participants = 10


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    intervention_year = factory.SubFactory(InterventionYearFactory)
    kind = "insatskostnad"
    budget = 0
    actual = None
