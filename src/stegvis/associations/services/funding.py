"""The area and the funding key of a förbund: the area, the district populations and the key.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from stegvis.associations.models import (
    AreaPart,
    Association,
    FundingKeyMethod,
)
from stegvis.associations.services._common import (
    AreaInput,
    SharesInput,
    _clean_area,
    _manage_check,
)
from stegvis.associations.services._keys import (
    _current_state,
    _locked,
    _recheck_and_rekey,
    _rekey,
    _shares_detail,
    _store_key,
    _triples,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors
from stegvis.lib.services import service


@service(_manage_check)
def area_set(
    *,
    actor: Any,
    association: Association,
    area: AreaInput,
    custom_shares: SharesInput = None,
) -> Association:
    """Replace the förbund's area (kommuner and kommundelar)."""
    association = _locked(association)
    errors = Errors()
    pairs = _clean_area(errors, area)
    errors.raise_if_any()
    _old_area, memberships = _current_state(association)
    new_area = [(m.pk, d) for m, d in pairs]
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=new_area,
        memberships=_triples(memberships),
        custom_shares=custom_shares,
    )
    errors.raise_if_any()
    before = [f"{c} {d}".strip() for c, d in _old_area]
    AreaPart.objects.filter(association=association).delete()
    AreaPart.objects.bulk_create(
        [AreaPart(association=association, municipality=m, district=d) for m, d in pairs]
    )
    _rekey(association, shares, year)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.areapart",
        details={"before": before, "after": [f"{c} {d}".strip() for c, d in new_area]},
    )
    return association


@service(_manage_check)
def district_population_set(
    *, actor: Any, association: Association, populations: dict[int, int | None]
) -> Association:
    """Record the population aged 16–64 of the förbund's kommundelar (Täckning's need);
    ``populations`` maps area part ids to a number, or None to clear it."""
    association = _locked(association)
    parts = {p.pk: p for p in AreaPart.objects.filter(association=association).exclude(
        district="")}
    errors = Errors()
    for pk, value in populations.items():
        if pk not in parts:
            errors.add("area", gettext("Kommundelen finns inte i förbundets område."))
        elif value is not None and value < 0:
            errors.add("area", gettext("Befolkningen kan inte vara negativ."))
    errors.raise_if_any()
    changes = {}
    for pk, value in populations.items():
        part = parts[pk]
        if part.district_population != value:
            changes[f"{part.municipality_id} {part.district}"] = {
                "before": part.district_population, "after": value}
            part.district_population = value
            part.save(update_fields=["district_population"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.areapart",
        details={"district_population": changes},
    )
    return association


@service(_manage_check)
def funding_key_set(
    *,
    actor: Any,
    association: Association,
    method: str,
    population_year: int | None = None,
    custom_shares: SharesInput = None,
    region_shares: SharesInput = None,
) -> Association:
    """Choose how the kommuner's (and regions') quarter is split, and store the shares."""
    association = _locked(association)
    errors = Errors()
    area, memberships = _current_state(association)
    if method == FundingKeyMethod.CUSTOM and custom_shares is None:
        custom_shares = {}
    before = {
        "method": association.funding_key_method,
        "shares": _shares_detail(
            {s.organisation_id: s.share_pct for s in association.funding_shares.all()}
        ),
    }
    shares, year = _recheck_and_rekey(
        errors,
        association,
        area=area,
        memberships=_triples(memberships),
        method=method,
        population_year=population_year,
        custom_shares=custom_shares,
        region_shares=region_shares,
    )
    errors.raise_if_any()
    association.funding_key_method = method
    association.funding_key_population_year = year
    association.save(update_fields=["funding_key_method", "funding_key_population_year"])
    _store_key(association, shares)
    record_event(
        actor=actor,
        action=Action.UPDATE,
        obj=association,
        association=association,
        object_type="associations.fundingshare",
        details={
            "before": before,
            "after": {"method": method, "year": year, "shares": _shares_detail(shares)},
        },
    )
    return association
