"""The registration rules as a pure module: plain values in, Swedish problems out (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from stegvis.participants import domain
from tests.participants.conftest import end_measurement, make_pnr, start_measurement

TODAY = dt.date(2026, 11, 24)
START = dt.date(2024, 3, 1)
ALWAYS = domain.Validity(dt.date(2000, 1, 1))
CODES = {
    (code_list, key): ALWAYS
    for code_list, key in [
        (domain.INCOME_SOURCE, "sjukpenning"), (domain.INCOME_SOURCE, "lon_eget_foretag"),
        (domain.ACTIVITY, "annan_insats"), (domain.ACTIVITY, "arbete_osubventionerat"),
        (domain.EDUCATION_LEVEL, "gymnasial"), (domain.PUBLIC_SUPPORT_DURATION, "1_2_ar"),
        (domain.PROGRESSION_STEP, "steg_1"), (domain.PROGRESSION_STEP, "steg_6"),
        (domain.REFERRED_BY, "kommun"), (domain.EXIT_REASON, "arbete"),
    ]
}
CAT = domain.Catalogue(today=TODAY, codes=CODES, municipalities={"0180"}, member_ids={7})
INSATS = domain.InterventionFacts(start_date=dt.date(2020, 1, 1), end_date=None, identified=True)


def registration(**changes) -> domain.Registration:
    reg = domain.Registration(
        personnummer=make_pnr(dt.date(1990, 5, 17)),
        consent=domain.ConsentInput(date=START, form_version="2024:1"),
        referred_by="kommun", start_date=START, residence="0180",
        measurement=start_measurement(),
    )
    return replace(reg, **changes)


def problems(reg: domain.Registration, *, already_open: bool = False) -> list[tuple[str, str]]:
    _ident, found = domain.registration_problems(
        reg, intervention=INSATS, cat=CAT, already_open=lambda _i: already_open
    )
    return [(p.field, p.message) for p in found]


def test_a_valid_registration_has_no_problems():
    ident, found = domain.registration_problems(
        registration(), intervention=INSATS, cat=CAT, already_open=lambda _i: False
    )
    assert found == [] and ident is not None and ident.sex == "K"


def test_protected_identity_and_unidentified_insats_stop_at_once():
    assert [f for f, _m in problems(registration(protected_identity=True))] == [
        "protected_identity"
    ]
    _ident, found = domain.registration_problems(
        registration(), intervention=replace(INSATS, identified=False), cat=CAT,
        already_open=lambda _i: False,
    )
    assert [p.field for p in found] == ["intervention"]


def test_code_valid_only_later_is_refused_for_the_day():
    cat = replace(CAT, codes={**CODES, (domain.REFERRED_BY, "kommun"):
                              domain.Validity(dt.date(2025, 1, 1))})
    _ident, found = domain.registration_problems(
        registration(), intervention=INSATS, cat=cat, already_open=lambda _i: False
    )
    assert [(p.field, p.message) for p in found] == [
        ("referred_by", "Aktualiserad av: koden gäller inte det datumet.")
    ]


def test_sharing_only_with_members_and_prefix_for_measurement_fields():
    reg = registration(consent=domain.ConsentInput(date=START, form_version="1",
                                                   sharing_parties=[8]),
                       measurement=replace(start_measurement(), income_sources=[]))
    _ident, found = domain.registration_problems(
        reg, intervention=INSATS, cat=CAT, already_open=lambda _i: False, prefix="start."
    )
    fields = {p.field for p in found}
    assert fields == {"consent_sharing_parties", "start.income_sources"}


def test_already_open_is_refused():
    assert problems(registration(), already_open=True) == [
        ("personnummer", domain.MSG_SECOND_OPEN)
    ]


def test_ending_rules():
    found = domain.ending_problems(
        start_date=START, end_date=START, exit_reason=domain.EXIT_REASON_ERROR,
        measurement=replace(end_measurement(), public_support_duration="1_2_ar"), cat=CAT,
    )
    assert {p.field for p in found} == {"exit_reason", "public_support_duration"}


def test_follow_up_needs_end_consent_and_a_date_in_its_window():
    base = {"start_date": START, "measurement": end_measurement(date=dt.date(2024, 11, 1)),
            "cat": CAT, "occasion": "followup_3m"}
    open_one = domain.later_measurement_problems(end_date=None, consent_follow_up=True, **base)
    assert [p.field for p in open_one] == ["occasion"]
    early = domain.later_measurement_problems(
        end_date=dt.date(2024, 9, 2), consent_follow_up=True, **base
    )
    assert [p.message for p in early] == [
        "Mätdatum: uppföljningen registreras med ett datum från 2024-11-18 till 2025-02-02."
    ]
