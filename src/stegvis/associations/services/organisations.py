"""Member organisations (kommun, region, Försäkringskassan, Arbetsförmedlingen).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from stegvis.associations.models import (
    Organisation,
    PartyKind,
)
from stegvis.associations.services._common import (
    _check_org_number,
    _system_admin_check,
)
from stegvis.audit.models import Action
from stegvis.audit.services import record_event
from stegvis.lib.errors import Errors
from stegvis.lib.services import service
from stegvis.reference.models import County, Municipality

# --- Organisations -------------------------------------------------------------------------


@service(_system_admin_check)
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    org_number: str,
    municipality: Municipality | str | None = None,
    county: County | str | None = None,
) -> Organisation:
    """A new member organisation (systemadministratör only)."""
    errors = Errors()
    name = (name or "").strip()
    if not name:
        errors.add("name", gettext("Ange organisationens namn."))
    if kind not in PartyKind.values:
        errors.add("kind", gettext("Välj typ av part."))
    normalised = _check_org_number(errors, org_number)
    if normalised and Organisation.objects.filter(org_number=normalised).exists():
        errors.add(
            "org_number",
            gettext("Det finns redan en medlemsorganisation med organisationsnumret %(value)s.")
            % {"value": normalised},
        )
    code = municipality.pk if isinstance(municipality, Municipality) else (municipality or "")
    muni: Municipality | None = None
    if kind == PartyKind.KOMMUN:
        muni = Municipality.objects.filter(pk=code).first() if code else None
        if not code:
            errors.add("municipality", gettext("Välj vilken kommun organisationen är."))
        elif muni is None:
            errors.add("municipality", gettext("Okänd kommunkod ”%(code)s”.") % {"code": code})
        elif Organisation.objects.filter(municipality=muni).exists():
            errors.add(
                "municipality",
                gettext("Kommun %(name)s har redan en medlemsorganisation.")
                % {"name": muni.short_name},
            )
    elif code:
        errors.add("municipality", gettext("Bara en kommun kan kopplas till en kommunkod."))
    county_code = county.pk if isinstance(county, County) else (county or "")
    county_obj: County | None = None
    if county_code:
        if kind != PartyKind.REGION:
            errors.add("county", gettext("Bara en region kan kopplas till ett län."))
        county_obj = County.objects.filter(pk=county_code).first()
        if county_obj is None:
            errors.add("county", gettext("Okänd länskod ”%(code)s”.") % {"code": county_code})
    errors.raise_if_any()
    org = Organisation.objects.create(
        name=name, kind=kind, org_number=normalised, municipality=muni, county=county_obj
    )
    record_event(
        actor=actor,
        action=Action.CREATE,
        obj=org,
        details={"name": name, "kind": kind, "municipality": muni.pk if muni else ""},
    )
    return org
