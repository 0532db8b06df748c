"""The pure rules: organisationsnummer, membership rules on dates, share rounding and checks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from stegvis.associations import rules_pure as rp

D = dt.date
START = D(2020, 1, 1)


def fact(oid: str, kind: str, code: str | None = None, start=START, end=None):
    return rp.MemberFact(oid, oid, kind, code, start, end)


LAWFUL = [
    fact("fk", "FK"),
    fact("af", "AF"),
    fact("reg", "REGION"),
    fact("sthlm", "KOMMUN", "0180"),
]


@pytest.mark.parametrize(
    "value", ["212000-0142", "2120000142", "16212000-0142", " 212000-0142 ", "202100-5521"]
)
def test_valid_org_numbers_normalise(value):
    assert rp.org_number_violations(value) == []
    normalised = rp.normalise_org_number(value)
    assert len(normalised) == 11
    assert normalised[6] == "-"
    assert normalised.replace("-", "") in value.replace("-", "")


def test_normalised_form():
    assert rp.normalise_org_number("2120000142") == "212000-0142"
    assert rp.normalise_org_number("16212000-0142") == "212000-0142"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("212000-0143", "org_number_check_digit"),
        ("21200-0142", "org_number_format"),
        ("abcdef-ghij", "org_number_format"),
        ("", "org_number_format"),
        ("811218-9876", "org_number_not_legal_person"),  # a personnummer shape
    ],
)
def test_invalid_org_numbers(value, code):
    problems = rp.org_number_violations(value)
    assert code in [p.code for p in problems]
    with pytest.raises(ValueError, match="rganisations"):
        rp.normalise_org_number(value)


def test_lawful_membership_has_no_violations():
    assert rp.membership_violations([("0180", "")], LAWFUL, since=D(2020, 1, 1)) == []


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ("fk", "missing_fk"),
        ("af", "missing_af"),
        ("reg", "missing_region"),
        ("sthlm", "missing_kommun"),
    ],
)
def test_each_required_party(missing, code):
    members = [m for m in LAWFUL if m.organisation_id != missing]
    codes = [v.code for v in rp.membership_violations([("0180", "")], members, since=D(2020, 1, 1))]
    assert code in codes


def test_gotland_only_needs_no_region():
    members = [fact("fk", "FK"), fact("af", "AF"), fact("got", "KOMMUN", "0980")]
    assert rp.membership_violations([("0980", "")], members, since=D(2020, 1, 1)) == []
    # ...but Gotland together with another kommun does.
    two = [*members, fact("sthlm", "KOMMUN", "0180")]
    codes = [
        v.code
        for v in rp.membership_violations([("0980", ""), ("0180", "")], two, since=D(2020, 1, 1))
    ]
    assert codes == ["missing_region"]


def test_area_kommun_without_member_and_message_is_swedish():
    problems = rp.membership_violations([("0180", ""), ("0184", "")], LAWFUL, since=D(2020, 1, 1))
    assert [p.code for p in problems] == ["area_kommun_not_member"]
    assert "Kommun 0184 ingår i området men ingen medlemsorganisation" in str(problems[0])


def test_ending_fk_later_is_found_on_that_date():
    members = [m for m in LAWFUL if m.organisation_id != "fk"]
    members.append(fact("fk", "FK", end=D(2022, 6, 30)))
    problems = rp.membership_violations([("0180", "")], members, since=D(2020, 1, 1))
    assert [p.code for p in problems] == ["missing_fk"]
    assert "2022-07-01" in str(problems[0])


def test_overlapping_periods_of_one_organisation():
    members = [*LAWFUL, fact("sthlm", "KOMMUN", "0180", start=D(2021, 1, 1), end=D(2021, 12, 31))]
    problems = rp.membership_violations([("0180", "")], members, since=D(2020, 1, 1))
    assert [p.code for p in problems] == ["membership_overlap"]
    assert "överlappar" in str(problems[0])


def test_adjacent_periods_do_not_overlap():
    members = [m for m in LAWFUL if m.organisation_id != "sthlm"]
    members += [
        fact("sthlm", "KOMMUN", "0180", start=D(2020, 1, 1), end=D(2020, 12, 31)),
        fact("sthlm", "KOMMUN", "0180", start=D(2021, 1, 1)),
    ]
    assert rp.membership_violations([("0180", "")], members, since=D(2020, 1, 1)) == []


def test_round_shares_add_up_exactly():
    shares = rp.equal_shares(["a", "b", "c"])
    assert sum(shares.values()) == Decimal(100)
    assert sorted(shares.values()) == [Decimal("33.3333"), Decimal("33.3333"), Decimal("33.3334")]


def test_population_shares_proportional():
    shares = rp.population_shares({"x": 3, "y": 1})
    assert shares == {"x": Decimal("75.0000"), "y": Decimal("25.0000")}


def test_share_violations():
    members = {"a": "A kommun", "b": "B kommun"}
    assert rp.share_violations({"a": Decimal(60), "b": Decimal("40.005")}, members) == []
    codes = [v.code for v in rp.share_violations({"a": Decimal(60), "b": Decimal(30)}, members)]
    assert codes == ["share_sum"]
    codes = [v.code for v in rp.share_violations({"a": Decimal(100)}, members)]
    assert "share_missing" in codes
    problems = rp.share_violations(
        {"a": Decimal(50), "b": Decimal(40), "c": Decimal(10)}, members, names={"c": "C kommun"}
    )
    assert [v.code for v in problems] == ["share_for_non_member"]
    assert "C kommun, som inte är medlem" in str(problems[0])
