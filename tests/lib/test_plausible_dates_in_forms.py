"""Issue 9 §7: every date or year a user types on the förbund, finance and code-list pages is
refused with a Swedish message before 2004 or more than a year ahead (the insats and participant
forms are covered in their own tests)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from stegvis.associations import forms as association_forms
from stegvis.codelists import forms as reference_forms
from stegvis.finance import forms as finance_forms

DATE_FIELDS = [
    (association_forms.AssociationCreateForm, "founded"),
    (association_forms.AssociationCreateForm, "dissolved"),
    (association_forms.MembershipAddForm, "valid_from"),
    (association_forms.MembershipAddForm, "valid_to"),
    (association_forms.MembershipEndForm, "valid_to"),
    (finance_forms.PaymentForm, "paid_on"),
    (finance_forms.AdoptForm, "decided_on"),
    (finance_forms.NoticeForm, "received_on"),
    (finance_forms.DecideForm, "decided_on"),
    (reference_forms.CodeCreateForm, "valid_from"),
    (reference_forms.CodeCreateForm, "valid_to"),
    (reference_forms.CodeRetireForm, "valid_to"),
]
YEAR_FIELDS = [
    (finance_forms.FinanceYearForm, "year"),
    (finance_forms.ParametersForm, "allocation_year"),
]


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS)
def test_implausible_dates_are_refused_in_swedish(form, name):
    field = form.base_fields[name]
    too_far = timezone.localdate() + dt.timedelta(days=400)
    for typed, words in (("1800-01-01", "före 2004-01-01"), (too_far.isoformat(), "fram i tiden")):
        with pytest.raises(ValidationError) as caught:
            field.clean(typed)
        assert words in " ".join(caught.value.messages)
    assert field.clean("2024-05-02") == dt.date(2024, 5, 2)


@pytest.mark.parametrize(("form", "name"), YEAR_FIELDS)
def test_implausible_years_are_refused_in_swedish(form, name):
    field = form.base_fields[name]
    ahead = str(timezone.localdate().year + 2)
    for typed, words in (("1999", "före 2004"), (ahead, "fram i tiden")):
        with pytest.raises(ValidationError) as caught:
            field.clean(typed)
        assert words in " ".join(caught.value.messages)
    assert field.clean("2025") == 2025
