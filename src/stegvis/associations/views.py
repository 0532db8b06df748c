from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from stegvis.access.roles import Capability
from stegvis.access.rules import ADMINISTER, association_from, perm_name, permission_required
from stegvis.associations import kommuner, selectors, services
from stegvis.associations.forms import (
    AreaForm,
    AssociationCreateForm,
    AssociationEditForm,
    DistrictPopulationForm,
    FundingKeyForm,
    MembershipAddForm,
    MembershipEndForm,
    OrganisationCreateForm,
)
from stegvis.associations.models import PartyKind
from stegvis.lib.views import submit


@login_required
def association_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "associations/association_list.html",
        {
            "associations": selectors.association_list(user=request.user),
        },
    )


@login_required
@permission_required(perm_name(Capability.VIEW_ASSOCIATION), association_from("pk"))
def association_detail(request: HttpRequest, pk: int) -> HttpResponse:
    association = selectors.association_get(user=request.user, pk=pk)
    kommun_shares, region_shares = selectors.funding_key_rows(association)
    return render(
        request,
        "associations/association_detail.html",
        {
            "association": association,
            "area_rows": selectors.area_rows(association),
            "has_districts": bool(selectors.district_parts(association)),
            "kommun_shares": kommun_shares,
            "region_shares": region_shares,
        },
    )


@login_required
@permission_required(ADMINISTER)
def association_create(request: HttpRequest) -> HttpResponse:
    form = AssociationCreateForm(
        request.POST or None,
        municipalities=selectors.municipality_options(),
        regions=selectors.organisation_options(kind=PartyKind.REGION),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if response := submit(
            request,
            form,
            lambda: kommuner.association_create_with_kommuner(
                actor=request.user,
                name=data["name"],
                org_number=data["org_number"],
                founded=data["founded"],
                dissolved=data["dissolved"],
                area=form.area(),
                regions=list(data["regions"]),
                funding_key_method=data["funding_key_method"],
                funding_key_population_year=data["funding_key_population_year"],
                custom_shares=data["custom_shares"] or None,
            ),
            success=_("Samordningsförbundet har skapats."),
            redirect_to=lambda association: redirect("associations:detail", association.pk),
            field_map={"area": "kommuner", "memberships": "regions", "region_shares": "regions"},
        ):
            return response
    return render(request, "associations/association_form.html", {"form": form})


@login_required
@permission_required(ADMINISTER)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(
        request.POST or None,
        municipalities=selectors.municipality_options(),
        counties=selectors.county_options(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if response := submit(
            request,
            form,
            lambda: services.organisation_create(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                org_number=data["org_number"],
                municipality=data["municipality"] or None,
                county=data["county"] or None,
            ),
            success=_("Medlemsorganisationen har lagts till."),
            redirect_to=lambda _result: redirect("associations:list"),
        ):
            return response
    return render(request, "associations/organisation_form.html", {"form": form})


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def funding_key_edit(request: HttpRequest, pk: int) -> HttpResponse:
    association = selectors.association_for_management(user=request.user, pk=pk)
    day = services.key_date(association.founded, association.dissolved)
    members = selectors.current_members(association=association, day=day)
    kommuner = [o for o in members if o.kind == PartyKind.KOMMUN]
    regions = [o for o in members if o.kind == PartyKind.REGION]
    stored = {s.organisation_id: s.share_pct for s in association.funding_shares.all()}
    initial = {
        "method": association.funding_key_method,
        "population_year": association.funding_key_population_year,
    }
    initial.update({f"share_{o.pk}": stored.get(o.pk) for o in kommuner})
    initial.update({f"region_{o.pk}": stored.get(o.pk) for o in regions})
    form = FundingKeyForm(request.POST or None, initial=initial, kommuner=kommuner, regions=regions)
    if response := submit(
        request,
        form,
        lambda: services.funding_key_set(
            actor=request.user,
            association=association,
            method=form.cleaned_data["method"],
            population_year=form.cleaned_data["population_year"],
            custom_shares=form.custom_shares(),
            region_shares=form.region_shares(),
        ),
        success=_("Fördelningsnyckeln har sparats."),
        redirect_to=lambda _result: redirect("associations:detail", association.pk),
        field_map={
            "funding_key_method": "method",
            "funding_key_population_year": "population_year",
            "custom_shares": form.kommun_fields[0] if form.kommun_fields else "method",
            "region_shares": form.region_fields[0] if form.region_fields else "method",
        },
    ):
        return response
    return render(
        request,
        "associations/funding_key_form.html",
        {"association": association, "form": form},
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    association = selectors.association_for_management(user=request.user, pk=pk)
    form = MembershipAddForm(request.POST or None, organisations=selectors.organisation_options())
    if response := submit(
        request,
        form,
        lambda: services.membership_add(
            actor=request.user,
            association=association,
            organisation=form.cleaned_data["organisation"],
            valid_from=form.cleaned_data["valid_from"],
            valid_to=form.cleaned_data["valid_to"],
        ),
        success=_("Medlemskapet har lagts till."),
        redirect_to=lambda _result: redirect("associations:detail", association.pk),
        field_map={"memberships": "organisation", "area": "organisation"},
    ):
        return response
    return render(
        request,
        "associations/membership_add_form.html",
        {"association": association, "form": form},
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def membership_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = selectors.membership_for_management(
        user=request.user, association_pk=pk, pk=membership_pk
    )
    association = membership.association
    form = MembershipEndForm(request.POST or None)
    if response := submit(
        request,
        form,
        lambda: services.membership_end(
            actor=request.user, membership=membership, valid_to=form.cleaned_data["valid_to"]
        ),
        success=_("Medlemskapet har avslutats."),
        redirect_to=lambda _result: redirect("associations:detail", association.pk),
        field_map={"memberships": "valid_to", "area": "valid_to"},
    ):
        return response
    return render(
        request,
        "associations/membership_end_form.html",
        {"association": association, "membership": membership, "form": form},
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def district_population_edit(request: HttpRequest, pk: int) -> HttpResponse:
    association = selectors.association_for_management(user=request.user, pk=pk)
    form = DistrictPopulationForm(request.POST or None,
                                  parts=selectors.district_parts(association))
    if response := submit(
        request,
        form,
        lambda: services.district_population_set(
            actor=request.user, association=association, populations=form.populations()
        ),
        success=_("Befolkningen i kommundelarna har sparats."),
        redirect_to=lambda _result: redirect("associations:detail", association.pk),
    ):
        return response
    return render(request, "associations/district_population_form.html",
                  {"association": association, "form": form})


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def association_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Name, organisationsnummer and dates (förbundsadministratör, systemadministratör)."""
    association = selectors.association_for_management(user=request.user, pk=pk)
    form = AssociationEditForm(
        request.POST or None,
        initial={
            "name": association.name,
            "org_number": association.org_number,
            "founded": association.founded,
            "dissolved": association.dissolved,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if response := submit(
            request,
            form,
            lambda: services.association_update(
                actor=request.user,
                association=association,
                name=data["name"],
                org_number=data["org_number"],
                founded=data["founded"],
                dissolved=data["dissolved"],
            ),
            success=_("Förbundets uppgifter har sparats."),
            redirect_to=lambda _result: redirect("associations:detail", association.pk),
            field_map={"memberships": "founded", "area": "founded", "custom_shares": "founded",
                       "funding_key_population_year": "founded", "region_shares": "founded"},
        ):
            return response
    return render(
        request, "associations/association_edit.html", {"association": association, "form": form}
    )


@login_required
@permission_required(perm_name(Capability.MANAGE_ASSOCIATION), association_from("pk"))
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The förbund's area: kommuner and kommundelar."""
    association = selectors.association_for_management(user=request.user, pk=pk)
    form = AreaForm(
        request.POST or None,
        municipalities=selectors.municipality_options(),
        initial=AreaForm.initial_for(selectors.area_parts(association)),
    )
    if response := submit(
        request,
        form,
        lambda: kommuner.association_area_change(
            actor=request.user, association=association, area=form.area()
        ),
        success=_("Förbundets område har sparats."),
        redirect_to=lambda _result: redirect("associations:detail", association.pk),
        field_map={"area": "kommuner", "memberships": "kommuner", "custom_shares": "kommuner",
                   "valid_from": "kommuner", "region_shares": "kommuner",
                   "funding_key_population_year": "kommuner"},
    ):
        return response
    return render(
        request, "associations/area_form.html", {"association": association, "form": form}
    )
