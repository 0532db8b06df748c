"""Service functions: validation (Swedish messages, nothing saved), permissions and audit."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from stegvis.associations import services
from stegvis.associations.models import (
    AreaPart,
    Association,
    FundingKeyMethod,
    FundingShare,
    Membership,
    Organisation,
    PartyKind,
)
from stegvis.audit.models import Action, AuditEvent
from stegvis.reference.loading import DATA_DIR
from tests import factories

pytestmark = pytest.mark.django_db

FOUNDED = dt.date(2020, 1, 1)


def orgs():
    return {
        "fk": factories.organisation(PartyKind.FK, "Försäkringskassan"),
        "af": factories.organisation(PartyKind.AF, "Arbetsförmedlingen"),
        "region": factories.organisation(PartyKind.REGION, "Region Stockholm"),
        "sthlm": factories.organisation(PartyKind.KOMMUN, "Stockholms kommun", "0180"),
        "solna": factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184"),
        "gotland": factories.organisation(PartyKind.KOMMUN, "Region Gotland", "0980"),
        "gbg": factories.organisation(PartyKind.KOMMUN, "Göteborgs kommun", "1480"),
    }


def create(actor, o, **overrides):
    kwargs = {
        "actor": actor,
        "name": "Samordningsförbundet Gamma",
        "org_number": "222999-0003",
        "founded": FOUNDED,
        "area": [("0180", ""), ("0184", "")],
        "memberships": [(o[k], FOUNDED, None) for k in ("fk", "af", "region", "sthlm", "solna")],
        "funding_key_method": FundingKeyMethod.POPULATION,
    }
    kwargs.update(overrides)
    return services.association_create(**kwargs)


def messages(excinfo) -> str:
    return " ".join(excinfo.value.messages)


def assert_nothing_saved(before: int) -> None:
    assert Association.objects.count() == before
    assert not Association.objects.filter(name="Samordningsförbundet Gamma").exists()


def pop_16_64(code: str) -> int:
    with (DATA_DIR / "befolkning_16_64_2019.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kommunkod"] == code:
                return int(row["pop_16_64"])
    raise KeyError(code)


# --- Creating a förbund --------------------------------------------------------------------


def test_sysadmin_creates_forbund_with_population_key(personas):
    o = orgs()
    a = create(personas.sysadmin, o)
    assert a.org_number == "222999-0003"
    assert a.funding_key_population_year == 2019
    assert {(p.municipality_id, p.district) for p in a.area.all()} == {("0180", ""), ("0184", "")}
    assert a.memberships.count() == 5
    shares = {s.organisation_id: s.share_pct for s in FundingShare.objects.filter(association=a)}
    sthlm, solna = pop_16_64("0180"), pop_16_64("0184")
    expected_sthlm = Decimal(sthlm) * 100 / Decimal(sthlm + solna)
    assert abs(shares[o["sthlm"].pk] - expected_sthlm) < Decimal("0.0001")
    assert abs(shares[o["solna"].pk] - (100 - expected_sthlm)) < Decimal("0.0001")
    assert shares[o["sthlm"].pk] + shares[o["solna"].pk] == Decimal(100)
    # The single region carries its whole quarter.
    assert shares[o["region"].pk] == Decimal(100)
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="associations.association")
    assert event.association_id == a.pk
    assert event.actor_username == "sysadmin"


def test_org_number_normalised_on_create(personas):
    a = create(personas.sysadmin, orgs(), org_number="2229990003")
    assert a.org_number == "222999-0003"


@pytest.mark.parametrize(
    ("org_number", "fragment"),
    [
        ("222999-0004", "fel kontrollsiffra"),
        ("12345", "tio siffror"),
        ("851212-1230", "juridisk person"),
    ],
)
def test_invalid_org_number_refused_nothing_saved(personas, org_number, fragment):
    before = Association.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(personas.sysadmin, orgs(), org_number=org_number)
    assert fragment in messages(excinfo)
    assert "org_number" in excinfo.value.message_dict
    assert_nothing_saved(before)
    assert not AuditEvent.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("code", "fragment"), [("018", "Ogiltig kommunkod"), ("0000", "Okänd kommunkod ”0000”")]
)
def test_invalid_or_unknown_kommunkod(personas, code, fragment):
    before = Association.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(personas.sysadmin, orgs(), area=[("0180", ""), ("0184", ""), (code, "")])
    assert fragment in messages(excinfo)
    assert_nothing_saved(before)


@pytest.mark.parametrize(
    ("left_out", "fragment"),
    [
        ("fk", "Försäkringskassan måste vara medlem"),
        ("af", "Arbetsförmedlingen måste vara medlem"),
        ("region", "Minst en region måste vara medlem"),
    ],
)
def test_missing_required_party(personas, left_out, fragment):
    o = orgs()
    before = Association.objects.count()
    members = [(o[k], FOUNDED, None) for k in ("fk", "af", "region", "sthlm", "solna")]
    members = [m for m in members if m[0] != o[left_out]]
    with pytest.raises(ValidationError) as excinfo:
        create(personas.sysadmin, o, memberships=members)
    assert fragment in messages(excinfo)
    assert_nothing_saved(before)


def test_missing_kommun_member(personas):
    o = orgs()
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            o,
            memberships=[(o[k], FOUNDED, None) for k in ("fk", "af", "region")],
        )
    text = messages(excinfo)
    assert "Minst en kommun måste vara medlem" in text
    assert "Kommun 0180 ingår i området men ingen medlemsorganisation" in text


def test_gotland_only_without_region_is_lawful(personas):
    o = orgs()
    a = create(
        personas.sysadmin,
        o,
        area=[("0980", "")],
        memberships=[(o[k], FOUNDED, None) for k in ("fk", "af", "gotland")],
        funding_key_method=FundingKeyMethod.EQUAL,
    )
    assert list(a.funding_shares.values_list("share_pct", flat=True)) == [Decimal(100)]


def test_area_kommun_without_member_organisation(personas):
    o = orgs()
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            o,
            area=[("0180", ""), ("0184", ""), ("0136", "")],
        )
    assert "Kommun 0136 ingår i området men ingen medlemsorganisation" in messages(excinfo)


def test_overlapping_membership_periods(personas):
    o = orgs()
    members = [(o[k], FOUNDED, None) for k in ("fk", "af", "region", "sthlm", "solna")]
    members.append((o["solna"], dt.date(2021, 1, 1), dt.date(2021, 6, 30)))
    with pytest.raises(ValidationError) as excinfo:
        create(personas.sysadmin, o, memberships=members)
    assert "Medlemsperioderna för Solna kommun överlappar" in messages(excinfo)


def test_custom_key_must_add_up_to_100(personas):
    before = Association.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            orgs(),
            funding_key_method=FundingKeyMethod.CUSTOM,
            custom_shares={"0180": "60", "0184": "30"},
        )
    assert "ska bli 100 procent tillsammans (nu 90)" in messages(excinfo)
    assert_nothing_saved(before)


def test_custom_key_share_for_non_member(personas):
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            orgs(),
            funding_key_method=FundingKeyMethod.CUSTOM,
            custom_shares={"0180": 60, "0184": 30, "1480": 10},
        )
    assert "Andel angiven för kommun 1480, som inte är medlem" in messages(excinfo)


def test_custom_key_every_member_needs_a_share(personas):
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            orgs(),
            funding_key_method=FundingKeyMethod.CUSTOM,
            custom_shares={"0180": 100},
        )
    assert "Solna kommun saknar andel" in messages(excinfo)


def test_custom_key_within_tolerance_is_stored(personas):
    o = orgs()
    a = create(
        personas.sysadmin,
        o,
        funding_key_method=FundingKeyMethod.CUSTOM,
        custom_shares={o["sthlm"]: "66,67", o["solna"].pk: "33.33"},
    )
    assert a.funding_shares.get(organisation=o["sthlm"]).share_pct == Decimal("66.67")


def test_all_problems_reported_at_once(personas):
    o = orgs()
    with pytest.raises(ValidationError) as excinfo:
        create(
            personas.sysadmin,
            o,
            org_number="123",
            area=[("0180", ""), ("9999", "")],
            memberships=[(o["af"], FOUNDED, None), (o["sthlm"], FOUNDED, None)],
        )
    text = messages(excinfo)
    for fragment in ("tio siffror", "Okänd kommunkod", "Försäkringskassan", "region"):
        assert fragment in text


def test_only_sysadmin_creates(personas):
    with pytest.raises(PermissionDenied):
        create(personas.admin_a, orgs())
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).exists()


# --- Organisations -------------------------------------------------------------------------


def test_organisation_create_and_errors(personas):
    org = services.organisation_create(
        actor=personas.sysadmin,
        name="Haninge kommun 2",
        kind=PartyKind.KOMMUN,
        org_number="2129990004",
        municipality="0114",
    )
    assert org.org_number == "212999-0004"
    assert AuditEvent.objects.filter(object_type="associations.organisation").count() == 1
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=personas.sysadmin,
            name="Dubblett",
            kind=PartyKind.KOMMUN,
            org_number="212999-0004",
            municipality="0114",
        )
    text = messages(excinfo)
    assert "redan en medlemsorganisation med organisationsnumret 212999-0004" in text
    assert "Upplands Väsby har redan en medlemsorganisation" in text
    with pytest.raises(ValidationError) as excinfo:
        services.organisation_create(
            actor=personas.sysadmin,
            name="X",
            kind=PartyKind.KOMMUN,
            org_number="212999-0005",
            municipality="0000",
        )
    assert "fel kontrollsiffra" in messages(excinfo)
    assert "Okänd kommunkod" in messages(excinfo)
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=personas.admin_a,
            name="Y",
            kind=PartyKind.REGION,
            org_number="232999-0002",
        )


# --- Changing a förbund --------------------------------------------------------------------


def test_admin_adds_and_ends_kommun_membership(personas):
    a = personas.a
    solna = factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184")
    services.funding_key_set(actor=personas.admin_a, association=a, method="equal")
    m = services.membership_add(
        actor=personas.admin_a, association=a, organisation=solna, valid_from=dt.date(2024, 1, 1)
    )
    assert AreaPart.objects.filter(association=a, municipality_id="0184").exists()
    shares = sorted(
        FundingShare.objects.filter(association=a, organisation__kind=PartyKind.KOMMUN).values_list(
            "share_pct", flat=True
        )
    )
    assert sum(shares) == 100
    assert len(shares) == 3
    services.membership_end(actor=personas.admin_a, membership=m, valid_to=dt.date(2024, 12, 31))
    assert not AreaPart.objects.filter(association=a, municipality_id="0184").exists()
    assert not FundingShare.objects.filter(association=a, organisation=solna).exists()
    kinds = list(
        AuditEvent.objects.filter(object_type="associations.membership").values_list(
            "action", flat=True
        )
    )
    assert sorted(kinds) == ["CREATE", "UPDATE"]


def test_ending_fk_membership_is_refused(personas):
    fk = Membership.objects.get(association=personas.a, organisation__kind=PartyKind.FK)
    with pytest.raises(ValidationError) as excinfo:
        services.membership_end(actor=personas.admin_a, membership=fk, valid_to=dt.date.today())
    assert "Försäkringskassan måste vara medlem" in messages(excinfo)
    fk.refresh_from_db()
    assert fk.valid_to is None


def test_overlapping_membership_add_refused(personas):
    sthlm = Organisation.objects.get(municipality_id="0180")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=personas.admin_a,
            association=personas.a,
            organisation=sthlm,
            valid_from=dt.date(2015, 1, 1),
        )
    assert "överlappar" in messages(excinfo)
    assert Membership.objects.filter(association=personas.a, organisation=sthlm).count() == 1


def test_membership_before_founding_refused(personas):
    solna = factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=personas.admin_a,
            association=personas.a,
            organisation=solna,
            valid_from=dt.date(2000, 1, 1),
        )
    assert "före förbundet bildades" in messages(excinfo)


def test_outsider_cannot_change_other_forbund(personas):
    solna = factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184")
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=personas.admin_b,
            association=personas.a,
            organisation=solna,
            valid_from=dt.date(2024, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.funding_key_set(actor=personas.admin_b, association=personas.a, method="equal")
    with pytest.raises(PermissionDenied):
        services.funding_key_set(actor=personas.officer_a, association=personas.a, method="equal")
    assert not Membership.objects.filter(association=personas.a, organisation=solna).exists()
    assert AuditEvent.objects.filter(action=Action.PERMISSION_DENIED).count() == 3


def test_funding_key_custom_errors_and_success(personas):
    a = personas.a
    sthlm = Organisation.objects.get(municipality_id="0180")
    haninge = Organisation.objects.get(municipality_id="0136")
    gbg = Organisation.objects.get(municipality_id="1480")
    with pytest.raises(ValidationError) as excinfo:
        services.funding_key_set(
            actor=personas.admin_a,
            association=a,
            method="custom",
            custom_shares={sthlm.pk: 50, haninge.pk: 40, gbg.pk: 10},
        )
    assert "Andel angiven för Göteborgs kommun, som inte är medlem" in messages(excinfo)
    assert not a.funding_shares.exists()
    services.funding_key_set(
        actor=personas.admin_a,
        association=a,
        method="custom",
        custom_shares={sthlm.pk: 80, haninge.pk: 20},
    )
    a.refresh_from_db()
    assert a.funding_key_method == "custom"
    assert a.funding_shares.get(organisation=sthlm).share_pct == Decimal(80)
    event = AuditEvent.objects.get(object_type="associations.fundingshare")
    assert event.association_id == a.pk
    # A new kommun member without a share in the custom key is refused.
    solna = factories.organisation(PartyKind.KOMMUN, "Solna kommun", "0184")
    with pytest.raises(ValidationError) as excinfo:
        services.membership_add(
            actor=personas.admin_a,
            association=a,
            organisation=solna,
            valid_from=dt.date(2020, 1, 1),
        )
    assert "Solna kommun saknar andel" in messages(excinfo)


def test_several_regions_split_equally_by_default(personas):
    a = personas.a
    region2 = factories.organisation(PartyKind.REGION, "Region Uppsala")
    services.membership_add(
        actor=personas.admin_a, association=a, organisation=region2, valid_from=dt.date(2020, 1, 1)
    )
    regions = a.funding_shares.filter(organisation__kind=PartyKind.REGION)
    assert sorted(regions.values_list("share_pct", flat=True)) == [Decimal(50), Decimal(50)]
    with pytest.raises(ValidationError) as excinfo:
        services.funding_key_set(
            actor=personas.admin_a,
            association=a,
            method="population",
            region_shares={region2.pk: 70},
        )
    assert "regionernas fjärdedel" in messages(excinfo)


def test_area_set_with_districts(personas):
    a = personas.a
    services.area_set(
        actor=personas.admin_a,
        association=a,
        area=[("0180", "Järva"), ("0180", "Skärholmen"), ("0136", "")],
    )
    assert sorted(a.area.values_list("district", flat=True)) == ["", "Järva", "Skärholmen"]
    with pytest.raises(ValidationError) as excinfo:
        services.area_set(actor=personas.admin_a, association=a, area=[("0180", ""), ("0184", "")])
    assert "Kommun 0184 ingår i området men ingen medlemsorganisation" in messages(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.area_set(
            actor=personas.admin_a, association=a, area=[("0180", ""), ("0180", "Järva")]
        )
    assert "både som hel kommun och med kommundelar" in messages(excinfo)


def test_association_update(personas):
    a = services.association_update(
        actor=personas.admin_a,
        association=personas.a,
        name="Samordningsförbundet Alfa Nya",
        org_number=personas.a.org_number,
        founded=dt.date(2010, 1, 1),
    )
    assert a.name == "Samordningsförbundet Alfa Nya"
    with pytest.raises(ValidationError) as excinfo:
        services.association_update(
            actor=personas.admin_a,
            association=personas.a,
            name="",
            org_number="x",
            founded=dt.date(2012, 1, 1),
        )
    text = messages(excinfo)
    assert "Ange förbundets namn" in text
    assert "före det nya bildandedatumet" in text
