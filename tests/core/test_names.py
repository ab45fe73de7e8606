"""One rule for names that go into a register (core.names): letters of any alphabet, spaces,
hyphens and apostrophes, at least one letter, no longer than the register's column; used by every
name field of the birth and death steps, booking party details, marriage notices and staff
corrections."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from booking.forms import PartyForm, WitnessesForm
from core.names import RegisterNameField, RegisterNameValidator, name_field, tidy
from registrar.forms import birth, common, death
from registrar.marriage import notice_forms
from registrar.staff_forms import CorrectionForm


class NameForm(forms.Form):
    forenames = name_field("First and middle names", "Enter a first name", column="forenames")


@pytest.mark.parametrize(
    "name",
    [
        "Siân",
        "Zoë Ó Súilleabháin",
        "Mary-Jane",
        "D'Arcy",
        "O\u2019Brien",
        "Гордон",
        "李小龍",
        "Nguyễn",
        "José",  # an e and a combining accent
        "Ffion ap Gruffydd",
    ],
)
def test_letters_of_any_alphabet_with_spaces_hyphens_and_apostrophes_are_names(name):
    form = NameForm({"forenames": name})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["forenames"] == tidy(name)


@pytest.mark.parametrize(
    "name, message",
    [
        ("x" * 10_000, "First and middle names must be 100 characters or fewer"),
        ("x" * 101, "First and middle names must be 100 characters or fewer"),
        ("Anna2", "First and middle names must only include letters, spaces, hyphens and apostrophes"),
        ("Anna <script>", "must only include letters, spaces, hyphens and apostrophes"),
        ("Anna\u202e", "must only include letters"),  # a right-to-left override
        ("Anna 😀", "must only include letters"),
        ("Anna.", "must only include letters"),
        ("- '", "First and middle names must include at least one letter"),
    ],
)
def test_other_names_are_refused_with_a_clear_message(name, message):
    form = NameForm({"forenames": name})
    assert not form.is_valid()
    assert message in form.errors["forenames"][0]


def test_a_null_character_is_refused():
    assert not NameForm({"forenames": "Anna\u0000"}).is_valid()


def test_exactly_the_longest_name_the_column_holds_is_accepted():
    assert NameForm({"forenames": "x" * 100}).is_valid()


def test_the_limit_follows_its_setting_and_the_message_says_the_number(settings):
    settings.REGISTER_FORENAMES_MAX_LENGTH = 20
    form = NameForm({"forenames": "x" * 21})
    assert not form.is_valid() and "20 characters or fewer" in form.errors["forenames"][0]


def test_spaces_are_tidied_and_accents_composed():
    form = NameForm({"forenames": "  Jose\u0301   María  "})
    assert form.is_valid() and form.cleaned_data["forenames"] == "José María"


def test_messages_are_in_welsh_on_welsh_pages():
    with translation.override("cy"):
        form = NameForm({"forenames": "x" * 101})
        assert not form.is_valid()
        assert "characters or fewer" not in form.errors["forenames"][0]


def test_no_maxlength_attribute_cuts_a_pasted_name_short():
    assert "maxlength" not in str(NameForm()["forenames"])


def test_an_unknown_column_is_a_programming_error():
    with pytest.raises(ValueError):
        RegisterNameValidator("nickname", "Nickname")


def _name_fields(form_class):
    return {name for name, field in form_class.base_fields.items() if isinstance(field, RegisterNameField)}


@pytest.mark.parametrize(
    "form_class, names",
    [
        (birth.ChildForm, {"forenames", "surname"}),
        (birth.FatherForm, {"forenames", "surname"}),
        (birth.MotherForm, {"forenames", "surname", "maiden_surname"}),
        (common.InformantDetailsForm, {"full_name"}),
        (death.DeceasedForm, {"forenames", "surname", "maiden_surname"}),
        (death.FuneralForm, {"arranger_name"}),
        (PartyForm, {"full_name"}),
        (WitnessesForm, {"witness_1", "witness_2"}),
        (notice_forms.NamesForm, {"forenames", "surname"}),
    ],
)
def test_every_name_field_of_the_register_pages_uses_the_one_rule(form_class, names):
    assert _name_fields(form_class) == names


def test_a_staff_correction_of_a_name_follows_the_rule_and_other_particulars_do_not():
    particulars = {"child_forenames": "Anna", "place_of_birth": "Leeds"}
    data = {"reason": "Spelt wrongly", "evidence": "Passport seen"}
    form = CorrectionForm({**data, "field": "child_forenames", "new_value": "x" * 101}, particulars=particulars)
    assert not form.is_valid() and "100 characters or fewer" in form.errors["new_value"][0]
    form = CorrectionForm({**data, "field": "child_forenames", "new_value": "Anna 2"}, particulars=particulars)
    assert not form.is_valid() and "only include letters" in form.errors["new_value"][0]
    form = CorrectionForm({**data, "field": "child_forenames", "new_value": " Ánna  Marie "}, particulars=particulars)
    assert form.is_valid() and form.cleaned_data["new_value"] == "Ánna Marie"
    form = CorrectionForm(
        {**data, "field": "place_of_birth", "new_value": "St. James's, Leeds 2"}, particulars=particulars
    )
    assert form.is_valid()
