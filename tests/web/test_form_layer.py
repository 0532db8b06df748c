"""The one form layer: every field in FKUI markup with label, hint, error and aria-describedby;
one error summary in the form's order; one way of marking optional fields."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template


class ExampleForm(forms.Form):
    name = forms.CharField(label="Namn")
    note = forms.CharField(label="Anteckning", required=False, help_text="Högst en rad.")
    kind = forms.ChoiceField(label="Typ", choices=[("", "– välj –"), ("a", "A")])
    parties = forms.MultipleChoiceField(
        label="Parter", choices=[("fk", "FK"), ("af", "AF")], widget=forms.CheckboxSelectMultiple,
        help_text="Välj alla som deltar.")
    agree = forms.BooleanField(label="Jag godkänner", required=False)


class FilterForm(forms.Form):
    date_from = forms.DateField(label="Från och med", required=False)
    user = forms.CharField(label="Användare", required=False)


def render(text: str, **context) -> str:
    return Template("{% load stegvis_forms %}" + text).render(Context(context))


def test_fields_are_drawn_with_fkui_markup_and_only_optional_ones_are_marked():
    html = render("{% for f in form %}{{ f.as_field_group }}{% endfor %}", form=ExampleForm())
    assert '<div class="field text-field">' in html
    assert 'class="text-field__input"' in html
    assert '<div class="field select-field">' in html and 'class="select-field__select"' in html
    assert '<label for="id_name">Namn</label>' in html  # mandatory: not marked
    assert ('<label for="id_note">Anteckning <span class="optional">(frivilligt)</span></label>'
            in html)
    assert 'id="id_note_helptext"' in html and 'aria-describedby="id_note_helptext"' in html
    # a group: legend, described on the fieldset
    assert re.search(r'<fieldset class="fieldset field" aria-describedby="id_parties_helptext">'
                     r'\s*<legend>Parter</legend>', html)
    # one check box: box first, never marked
    assert re.search(r'<div class="field choice">\s*<input type="checkbox" name="agree"', html)
    assert "Jag godkänner</label>" in html


def test_errors_are_tied_to_their_field_and_summarised_in_form_order():
    form = ExampleForm(data={"note": "x", "agree": "on"})
    assert not form.is_valid()
    form.add_error(None, "Något gick fel i hela formuläret.")
    html = render("{% error_summary form %}{% for f in form %}{{ f.as_field_group }}{% endfor %}",
                  form=form)
    summary = re.search(r'<div class="error-summary" role="alert" tabindex="-1".*?</ul>', html,
                        re.S).group(0)
    items = re.findall(r"<li[^>]*>(.*?)</li>", summary)
    assert items == [
        "Något gick fel i hela formuläret.",
        '<a href="#id_name">Namn: Detta fält måste fyllas i.</a>',
        '<a href="#id_kind">Typ: Detta fält måste fyllas i.</a>',
        '<a href="#id_parties">Parter: Detta fält måste fyllas i.</a>',
    ]
    assert re.search(r'<input type="text" name="name"[^>]*aria-describedby="id_name_error"'
                     r'[^>]*aria-invalid="true"', html)
    assert '<p class="label__message label__message--error field-error" id="id_name_error">' in html
    assert 'class="field text-field text-field--error field-has-error"' in html
    assert 'aria-describedby="id_parties_helptext id_parties_error"' in html


def test_a_filter_form_marks_nothing_as_optional():
    html = render("{% for f in form %}{{ f.as_field_group }}{% endfor %}", form=FilterForm())
    assert "frivilligt" not in html


def test_stale_describedby_from_a_form_class_never_points_at_nothing():
    form = FilterForm()
    form.fields["user"].widget.attrs["aria-describedby"] = "user-hint"
    html = render("{{ form.user.as_field_group }}", form=form)
    assert "user-hint" not in html and "aria-describedby" not in html


def test_no_errors_no_summary():
    assert render("{% error_summary form %}", form=ExampleForm()).strip() == ""
