"""A förbund's year: the frame and the members' contributions computed from the funding key,
payments, and actual costs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from stegvis.associations.models import (
    Association,
    FundingShare,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.finance import money
from stegvis.finance.models import (
    FinanceYear,
    MemberContribution,
)
from stegvis.finance.services._common import _check_year, _kronor, _manage_of, _today
from stegvis.lib import parties
from stegvis.lib.errors import Errors
from stegvis.lib.services import service

# --- Contributions -------------------------------------------------------------------------


def year_members(association: Association, year: int) -> list[Organisation]:
    """Member organisations with a membership period overlapping ``year``."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = (
        Membership.objects.filter(association=association, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("organisation_id", flat=True)
    )
    return list(Organisation.objects.filter(pk__in=set(ids)).order_by("kind", "name", "pk"))


def compute_split(association: Association, year: int, frame: int) -> money.ContributionSplit:
    """The contribution of every member for ``frame`` (raises ValidationError on a bad key)."""
    members = year_members(association, year)
    shares = {
        s.organisation_id: s.share_pct
        for s in FundingShare.objects.filter(association=association)
    }
    fk = next((o for o in members if o.kind == PartyKind.FK), None)
    regions = [o for o in members if o.kind == PartyKind.REGION]
    kommuner = [o for o in members if o.kind == PartyKind.KOMMUN]
    errors = Errors()
    if fk is None:
        errors.add(
            "frame", _("Försäkringskassan är inte medlem i förbundet år %(year)s.") % {"year": year}
        )
    missing = [o for o in kommuner if o.pk not in shares and len(kommuner) > 1]
    missing += [o for o in regions if o.pk not in shares and len(regions) > 1]
    for org in missing:
        errors.add(
            "frame",
            _(
                "Fördelningsnyckeln täcker inte alla medlemmar: %(name)s saknar andel. "
                "Uppdatera fördelningsnyckeln på förbundets sida."
            )
            % {"name": org.name},
        )
    errors.raise_if_any()
    assert fk is not None
    try:
        return money.split_contributions(
            frame,
            fk=money.Party(fk.pk, fk.name, parties.FK),
            regions=[
                money.Party(o.pk, o.name, parties.REGION, shares.get(o.pk)) for o in regions
            ],
            kommuner=[
                money.Party(o.pk, o.name, parties.KOMMUN, shares.get(o.pk)) for o in kommuner
            ],
        )
    except money.MoneyError as error:
        raise ValidationError({"frame": error.messages}) from error


def _decimal4(value: Any) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.0001"))


@service(_manage_of('association'))
def finance_year_set(
    *,
    actor: Any,
    association: Association,
    year: Any,
    frame: Any,
    opening_equity: Any = 0,
    other_income: Any = 0,
) -> FinanceYear:
    """Create or change a year's frame, opening equity and other income; recompute the
    members' contributions (payment dates of members who remain are kept)."""
    errors = Errors()
    year = _check_year(errors, association, year)
    frame_kr = _kronor(errors, "frame", _("Ram"), frame)
    opening = _kronor(errors, "opening_equity", _("Ingående eget kapital"), opening_equity,
                      required=False) or 0
    other = _kronor(errors, "other_income", _("Övriga intäkter"), other_income, required=False) or 0
    errors.raise_if_any()
    assert year is not None and frame_kr is not None
    split = compute_split(association, year, frame_kr)
    fy = FinanceYear.objects.select_for_update().filter(association=association, year=year).first()
    created = fy is None
    before = {} if fy is None else {
        "frame": int(fy.frame), "opening_equity": int(fy.opening_equity),
        "other_income": int(fy.other_income),
    }
    if fy is None:
        fy = FinanceYear.objects.create(
            association=association, year=year, frame=frame_kr, opening_equity=opening,
            other_income=other,
        )
    else:
        fy.frame, fy.opening_equity, fy.other_income = frame_kr, opening, other
        fy.save()
    paid = dict(fy.contributions.values_list("organisation_id", "paid_on"))
    fy.contributions.all().delete()
    MemberContribution.objects.bulk_create(
        [
            MemberContribution(
                finance_year=fy,
                organisation_id=row.key,
                part_pct=row.part_pct,
                share_pct=row.share_pct,
                exact=_decimal4(row.exact),
                amount=row.amount,
                sort_order=n,
                paid_on=paid.get(row.key),
            )
            for n, row in enumerate(split.rows)
        ]
    )
    record_event(
        actor=actor,
        action=Action.CREATE if created else Action.UPDATE,
        obj=fy,
        association=association,
        details={
            "year": year,
            "before": before,
            "after": {"frame": frame_kr, "opening_equity": opening, "other_income": other},
            "contributions": {str(r.key): r.amount for r in split.rows},
        },
    )
    return fy


@service(_manage_of('finance_year'))
def contribution_payment_set(
    *,
    actor: Any,
    finance_year: FinanceYear,
    organisation: Organisation,
    paid_on: dt.date | None,
) -> MemberContribution:
    """Mark a member's contribution paid on ``paid_on`` (None: unpaid)."""
    errors = Errors()
    contribution = (
        MemberContribution.objects.select_for_update()
        .filter(finance_year=finance_year, organisation=organisation)
        .first()
    )
    if contribution is None:
        errors.add(
            "organisation",
            _("%(name)s är inte medlem i %(association)s år %(year)s och har inget medlemsbidrag.")
            % {
                "name": organisation.name,
                "association": finance_year.association.name,
                "year": finance_year.year,
            },
        )
    if paid_on is not None and paid_on > _today():
        errors.add("paid_on", _("Betalningsdatum kan inte ligga i framtiden."))
    if paid_on is not None and paid_on.year < finance_year.year - 1:
        errors.add("paid_on", _("Betalningsdatum ligger för långt före året."))
    errors.raise_if_any()
    assert contribution is not None
    before = contribution.paid_on
    contribution.paid_on = paid_on
    contribution.save(update_fields=["paid_on"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=contribution,
        association=finance_year.association,
        details={
            "year": finance_year.year,
            "organisation": organisation.pk,
            "paid_on_before": before.isoformat() if before else "",
            "paid_on": paid_on.isoformat() if paid_on else "",
        },
    )
    return contribution


@service(_manage_of('finance_year'))
def actual_costs_set(
    *,
    actor: Any,
    finance_year: FinanceYear,
    board: Any,
    administration: Any,
    audit: Any,
) -> FinanceYear:
    """Actual costs of styrelse, administration and revision (empty: not yet known)."""
    errors = Errors()
    values = {
        "actual_board": _kronor(errors, "board", _("Utfall styrelse"), board, required=False),
        "actual_administration": _kronor(
            errors, "administration", _("Utfall administration"), administration, required=False
        ),
        "actual_audit": _kronor(errors, "audit", _("Utfall revision"), audit, required=False),
    }
    errors.raise_if_any()
    fy = FinanceYear.objects.select_for_update().get(pk=finance_year.pk)
    before = {k: None if getattr(fy, k) is None else int(getattr(fy, k)) for k in values}
    for k, v in values.items():
        setattr(fy, k, v)
    fy.save()
    record_event(
        actor=actor, action=Action.UPDATE, obj=fy, association=fy.association_id,
        object_type="finance.financeyear.actual",
        details={"year": fy.year, "before": before, "after": values},
    )
    return fy
