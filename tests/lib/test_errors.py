"""One collector for service validation: every problem at once, keyed by field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from stegvis.lib.errors import NON_FIELD, Errors, raise_problems
from stegvis.lib.problems import Problem


def test_nothing_collected_raises_nothing():
    errors = Errors()
    assert not errors
    errors.raise_if_any()
    raise_problems([])


def test_every_message_is_raised_together_once_per_field():
    errors = Errors()
    errors.add("name", "Namn: ange ett namn.")
    errors.add("name", "Namn: ange ett namn.")
    errors.add("year", "År: ange ett årtal.")
    assert "name" in errors
    with pytest.raises(ValidationError) as exc:
        errors.raise_if_any()
    assert exc.value.message_dict == {
        "name": ["Namn: ange ett namn."],
        "year": ["År: ange ett årtal."],
    }


def test_problems_fill_in_their_parameters_and_fall_back_to_the_whole_form():
    problems = [
        Problem("org_number", "Organisationsnumret %(value)s har fel kontrollsiffra.",
                {"value": "212000-0143"}),
        Problem(None, "Området måste omfatta minst en kommun."),
    ]
    with pytest.raises(ValidationError) as exc:
        raise_problems(problems)
    assert exc.value.message_dict == {
        "org_number": ["Organisationsnumret 212000-0143 har fel kontrollsiffra."],
        NON_FIELD: ["Området måste omfatta minst en kommun."],
    }
    assert str(problems[0]) == "Organisationsnumret 212000-0143 har fel kontrollsiffra."


def test_a_helpers_checks_merge_into_the_callers():
    helper = Errors().add("valid_to", "Giltig till: före Giltig från.")
    errors = Errors().add("key", "Ange en nyckel.").merge(helper)
    with pytest.raises(ValidationError) as exc:
        errors.raise_if_any()
    assert set(exc.value.message_dict) == {"key", "valid_to"}
