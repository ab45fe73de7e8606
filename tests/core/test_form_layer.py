"""The shared form layer (core.forms and its templates): error-summary links reach an input (the
first radio, a date's day box), every GOV.UK form has `novalidate`, and numbers are text inputs
with the numeric keyboard, never `type=number`."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

from core.forms import GovukDateField, GovukForm, error_links, error_target, yes_no_field


class StepLikeForm(GovukForm):
    full_name = forms.CharField(label="Full name")
    sex = forms.ChoiceField(label="Sex", choices=[("female", "Female"), ("male", "Male")], widget=forms.RadioSelect)
    married = yes_no_field("Married?", "Select yes or no")
    date_from = GovukDateField(label="From", what="the first date")
    days = forms.MultipleChoiceField(
        label="Days", choices=[("mon", "Monday"), ("tue", "Tuesday")], widget=forms.CheckboxSelectMultiple
    )
    guests = forms.IntegerField(label="Guests", min_value=0, max_value=100)
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("Something about the whole form")


def _render(form) -> str:
    return Template("{% load crispy_forms_tags crispy_forms_gds %}{% error_summary form %}{% crispy form %}").render(
        Context({"form": form})
    )


def test_error_links_point_at_the_first_radio_the_day_box_or_the_input():
    form = StepLikeForm({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    assert not form.is_valid()
    targets = {message: target for target, message in error_links(form)}
    assert targets["Select yes or no"] == "id_married_1"
    assert targets["The first date must be a real date"] == "id_date_from_0"
    assert targets["Something about the whole form"] == "id_full_name"
    assert error_target(form["sex"]) == "id_sex_1"
    assert error_target(form["days"]) == "id_days_1"
    assert error_target(form["full_name"]) == "id_full_name"
    assert error_target(form["agree"]) == "id_agree"


def test_every_error_link_of_the_rendered_page_names_an_id_on_the_page():
    form = StepLikeForm({})
    assert not form.is_valid()
    html = _render(form)
    links = re.findall(r'<a href="#([^"]+)">', html)
    assert len(links) == len(error_links(form)) >= 7
    for target in links:
        assert re.search(rf'<(input|select|textarea)[^>]*\sid="{re.escape(target)}"', html), target
    assert '#id_sex"' not in html and '#id_date_from"' not in html


def test_a_date_with_an_empty_box_links_to_its_day_box():
    form = StepLikeForm({"date_from_0": "3", "date_from_1": "", "date_from_2": "2026"})
    form.is_valid()
    dates = [target for target, message in error_links(form) if "first date" in message]
    assert dates == ["id_date_from_0"]


def test_govuk_forms_have_novalidate_and_no_number_inputs():
    html = _render(StepLikeForm())
    form_tag = re.search(r"<form[^>]*>", html).group(0)
    assert "novalidate" in form_tag
    assert 'type="number"' not in html
    guests = re.search(r'<input[^>]*id="id_guests"[^>]*>', html).group(0)
    assert 'type="text"' in guests and 'inputmode="numeric"' in guests and "govuk-input" in guests


def test_a_number_typed_as_text_is_still_checked_as_a_number():
    form = StepLikeForm({"guests": "101"})
    form.is_valid()
    assert "guests" in form.errors
    form = StepLikeForm({"guests": "lots"})
    form.is_valid()
    assert "guests" in form.errors
