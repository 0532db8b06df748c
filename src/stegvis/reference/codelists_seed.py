"""The initial content of the versioned code lists (domain.md §3). Pure data: no Django imports.

Edit here to change what a *new* database starts with; the data migration
``0003_load_code_lists`` loads this module. In a running system, codes are added and retired
through ``stegvis.codelists.services`` (the "Kodlistor" pages), never edited in place.

Conventions:
- ``key`` is a stable, lowercase ASCII slug (``[a-z0-9_]``). Code and reports refer to keys; a key
  is never reused for another meaning.
- ``income_source``: ``public_support`` says whether the source counts as *offentlig försörjning*.
- ``activity``: ``category`` is one of ``work``, ``studies``, ``job_seeking``, ``other``.
- ``progression_step``: ``level`` is the step number 0–6.
- ``precise_orientation``: the key prefix tells which orientation the code refines
  (see ``PRECISE_ORIENTATION_PREFIXES``).
"""

from __future__ import annotations

from typing import Any, Final

# Key prefix of a precise orientation per intervention orientation (individual/structural).
PRECISE_ORIENTATION_PREFIXES: Final[dict[str, str]] = {
    "individual": "individ_",
    "structural": "struktur_",
}


def _simple(*rows: tuple[str, str]) -> list[dict[str, Any]]:
    """Codes with only key and label, sorted in the order given (10, 20, ...)."""
    return [{"key": key, "label": label} for key, label in rows]


CODE_LISTS: Final[dict[str, list[dict[str, Any]]]] = {
    "income_source": [
        {"key": "lon_eget_foretag", "label": "Lön/eget företag", "public_support": False},
        {
            "key": "sjukpenning",
            "label": "Sjukpenning (inkl. rehabiliteringspenning)",
            "public_support": True,
        },
        {"key": "aktivitetsersattning", "label": "Aktivitetsersättning", "public_support": True},
        {"key": "sjukersattning", "label": "Sjukersättning", "public_support": True},
        {"key": "a_kassa", "label": "A-kassa", "public_support": True},
        {
            "key": "aktivitetsstod",
            "label": "Aktivitetsstöd/utvecklingsersättning",
            "public_support": True,
        },
        {"key": "etableringsersattning", "label": "Etableringsersättning", "public_support": True},
        {"key": "forsorjningsstod", "label": "Försörjningsstöd", "public_support": True},
        {"key": "studiemedel", "label": "Studiemedel", "public_support": False},
        {
            "key": "annan_ersattning",
            "label": "Annan ersättning (t.ex. föräldrapenning, pension)",
            "public_support": False,
        },
        {"key": "ingen_ersattning", "label": "Ingen ersättning", "public_support": False},
    ],
    "activity": [
        {"key": "arbete_osubventionerat", "label": "Arbete (osubventionerat)", "category": "work"},
        {
            "key": "arbete_med_stod",
            "label": "Arbete med stöd (lönebidrag, nystartsjobb m.m.)",
            "category": "work",
        },
        {
            "key": "studier",
            "label": "Studier (inkl. arbetsmarknadsutbildning)",
            "category": "studies",
        },
        {"key": "aktivt_arbetssokande", "label": "Aktivt arbetssökande", "category": "job_seeking"},
        {"key": "annan_insats", "label": "Annan insats/rehabilitering", "category": "other"},
        {"key": "ingen", "label": "Ingen sysselsättning", "category": "other"},
    ],
    "education_level": _simple(
        ("forgymnasial_under_9", "Förgymnasial utbildning kortare än 9 år"),
        ("forgymnasial_9_10", "Förgymnasial utbildning 9–10 år"),
        ("gymnasial", "Gymnasial utbildning"),
        ("eftergymnasial_under_3", "Eftergymnasial utbildning kortare än 3 år"),
        ("eftergymnasial_3_eller_mer", "Eftergymnasial utbildning 3 år eller längre"),
        ("okand", "Okänd"),
    ),
    "public_support_duration": _simple(
        ("under_1_ar", "Mindre än 1 år"),
        ("1_2_ar", "1–2 år"),
        ("2_5_ar", "2–5 år"),
        ("5_10_ar", "5–10 år"),
        ("over_10_ar", "Mer än 10 år"),
    ),
    "referred_by": _simple(
        ("arbetsformedlingen", "Arbetsförmedlingen"),
        ("forsakringskassan", "Försäkringskassan"),
        ("kommun", "Kommunen"),
        ("region", "Regionen (hälso- och sjukvården)"),
        ("egen_anmalan", "Egen anmälan"),
        ("annan", "Annan"),
    ),
    "exit_reason": _simple(
        ("planenligt_avslut", "Planenligt avslut"),
        ("arbete", "Arbete"),
        ("studier", "Studier"),
        ("aktivt_arbetssokande", "Aktivt arbetssökande"),
        ("annan_insats", "Annan insats"),
        ("ohalsa", "Ohälsa"),
        ("flyttat", "Flyttat"),
        ("eget_avbrott", "Eget avbrott"),
        ("annan", "Annan anledning"),
        # Removes the participation from all statistics.
        ("felregistrering", "Felregistrering"),
    ),
    "progression_step": [
        {"key": f"steg_{level}", "label": f"Steg {level}: {label}", "level": level}
        for level, label in enumerate(
            [
                "Ej i aktivitet",
                "Kartläggning/motivation",
                "Social/medicinsk rehabilitering",
                "Arbetsträning/arbetsprövning",
                "Praktik, förberedande utbildning, aktivt arbetssökande",
                "Arbete med stöd eller studier med stöd",
                "Osubventionerat arbete eller reguljära studier",
            ]
        )
    ],
    "target_group": _simple(
        ("langtidssjukskrivna", "Långtidssjukskrivna"),
        ("unga_aktivitetsersattning", "Unga med aktivitetsersättning"),
        ("unga_funktionsnedsattning", "Unga med funktionsnedsättning"),
        ("forsorjningsstod", "Personer med försörjningsstöd"),
        ("psykisk_ohalsa", "Personer med psykisk ohälsa"),
        ("langtidsarbetslosa", "Långtidsarbetslösa"),
        ("nyanlanda", "Nyanlända"),
        ("annan", "Annan målgrupp"),
    ),
    "precise_orientation": _simple(
        ("individ_forrehabilitering", "Förrehabilitering"),
        ("individ_arbetslivsinriktad_rehabilitering", "Arbetslivsinriktad rehabilitering"),
        ("individ_samordnad_bedomning", "Samordnad bedömning/kartläggning"),
        ("individ_stod_i_arbete_ips", "Stöd i arbete/IPS"),
        ("individ_unga_utanfor", "Unga utanför arbete och studier"),
        ("individ_annan", "Annan individinriktad insats"),
        ("struktur_kompetensutveckling", "Kompetensutveckling för personal"),
        ("struktur_kartlaggning", "Kartläggning/behovsanalys"),
        ("struktur_natverk_samverkan", "Nätverk och samverkansstruktur"),
        ("struktur_metodutveckling", "Metodutveckling"),
        ("struktur_annan", "Annan strukturövergripande insats"),
    ),
    # Why a follow-up was closed without a measurement (stegvis.followup.rules groups the keys
    # into "not reached" and "declined" for the reports' coverage).
    "followup_closure": _simple(
        ("ej_nadd", "Ej nådd"),
        ("avbojt", "Avböjt"),
        ("avliden", "Avliden"),
        ("flyttat_utomlands", "Flyttat utomlands"),
        ("annat", "Annat skäl"),
    ),
    # Versions of the förbund's consent form (issue 11). The label is the version as written
    # on the form and stored with each consent; registration offers the versions valid today.
    # A deployment retires this one when it adds its own.
    "consent_form_version": _simple(
        ("v2024_1", "2024:1"),
    ),
}


def seed_rows() -> list[dict[str, Any]]:
    """Every code as a dict with ``list`` and ``sort_order`` (10, 20, ... per list) filled in."""
    rows: list[dict[str, Any]] = []
    for list_key, codes in CODE_LISTS.items():
        for index, code in enumerate(codes, start=1):
            rows.append({"list": list_key, "sort_order": index * 10, **code})
    return rows
