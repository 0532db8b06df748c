"""The migrations loaded geography, population and every code list of domain.md §3."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from stegvis.reference.codelists_seed import CODE_LISTS, seed_rows
from stegvis.reference.models import Code, CodeList, County, Municipality, PopulationByAge
from stegvis.reference.selectors import codes

pytestmark = pytest.mark.django_db


def test_geography_and_population_loaded():
    assert Municipality.objects.count() == 290
    assert County.objects.count() == 21
    assert Municipality.objects.get(code="0980").short_name == "Gotland"
    totals = PopulationByAge.objects.filter(year=2019, age__gte=16, age__lte=64).aggregate(
        women=Sum("women"), men=Sum("men")
    )
    assert totals["women"] + totals["men"] == 6_310_457
    assert totals["women"] == 3_080_573


def test_every_code_list_loaded_from_seed_module():
    assert set(CODE_LISTS) == set(CodeList.values)
    for list_key in CodeList.values:
        assert Code.objects.filter(list=list_key).count() == len(CODE_LISTS[list_key]) > 0
    assert Code.objects.count() == len(seed_rows())


def test_keys_are_lowercase_ascii_slugs():
    for key in Code.objects.values_list("key", flat=True):
        assert key.isascii() and key == key.lower() and " " not in key, key


def test_income_source_public_support_flags():
    flags = dict(
        Code.objects.filter(list=CodeList.INCOME_SOURCE).values_list("key", "public_support")
    )
    public = {k for k, v in flags.items() if v}
    assert public == {
        "a_kassa",
        "sjukpenning",
        "aktivitetsersattning",
        "sjukersattning",
        "aktivitetsstod",
        "etableringsersattning",
        "forsorjningsstod",
    }
    assert {k for k, v in flags.items() if not v} == {
        "lon_eget_foretag",
        "studiemedel",
        "annan_ersattning",
        "ingen_ersattning",
    }


def test_activity_categories():
    categories = dict(Code.objects.filter(list=CodeList.ACTIVITY).values_list("key", "category"))
    assert categories == {
        "arbete_osubventionerat": "work",
        "arbete_med_stod": "work",
        "studier": "studies",
        "aktivt_arbetssokande": "job_seeking",
        "annan_insats": "other",
        "ingen": "other",
    }
    assert "arbetsmarknadsutbildning" in Code.objects.get(list="activity", key="studier").label


def test_progression_steps_zero_to_six():
    steps = list(codes(CodeList.PROGRESSION_STEP).values_list("level", "label"))
    assert [level for level, _ in steps] == [0, 1, 2, 3, 4, 5, 6]
    assert "Ej i aktivitet" in steps[0][1]
    assert "Osubventionerat arbete eller reguljära studier" in steps[6][1]


def test_other_lists_have_the_domain_codes():
    def keys(list_key: str) -> list[str]:
        return list(codes(list_key).values_list("key", flat=True))

    assert "felregistrering" in keys(CodeList.EXIT_REASON)
    assert [c.label for c in codes(CodeList.PUBLIC_SUPPORT_DURATION)] == [
        "Mindre än 1 år",
        "1–2 år",
        "2–5 år",
        "5–10 år",
        "Mer än 10 år",
    ]
    assert set(keys(CodeList.TARGET_GROUP)) >= {
        "langtidssjukskrivna",
        "unga_aktivitetsersattning",
        "unga_funktionsnedsattning",
        "forsorjningsstod",
        "psykisk_ohalsa",
        "langtidsarbetslosa",
        "nyanlanda",
        "annan",
    }
    assert len(keys(CodeList.EDUCATION_LEVEL)) == 6
    assert set(keys(CodeList.REFERRED_BY)) == {
        "arbetsformedlingen",
        "forsakringskassan",
        "kommun",
        "region",
        "egen_anmalan",
        "annan",
    }
    orientations = keys(CodeList.PRECISE_ORIENTATION)
    assert all(k.startswith(("individ_", "struktur_")) for k in orientations)
    assert "individ_stod_i_arbete_ips" in orientations
    assert "struktur_kompetensutveckling" in orientations
