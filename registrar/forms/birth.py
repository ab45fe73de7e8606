"""The birth journey's question pages, and the other parent's confirm or decline forms."""

from __future__ import annotations

import re
from datetime import time

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, yes_no_field
from core.names import name_field
from core.pages import add_refusal
from identity.forms import normalise_uk_mobile

from .. import answers as answers_module
from .. import rules
from ..refusals import NotQualified
from .common import SEX, StepForm, text_field


def clean_24_hour_time(value: str, message) -> str:
    """A time on the 24-hour clock as "HH:MM" ("4.35" is 04:35); empty stays empty."""
    value = value.replace(".", ":")
    if not value:
        return ""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)
    if not match:
        raise forms.ValidationError(message)
    return time(int(match.group(1)), int(match.group(2))).strftime("%H:%M")


class BirthInformantForm(StepForm):
    step = "informant"
    qualification = forms.ChoiceField(
        label=_("Who are you?"),
        choices=list(rules.BIRTH_QUALIFICATIONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who you are"), "invalid_choice": _("Select who you are")},
    )
    parents_unable = forms.BooleanField(
        label=_("Neither parent is able to register the birth"),
        help_text=_("Only answer this if you are not a parent of the child"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("qualification"):
            try:
                rules.check_birth_informant(
                    qualification=data["qualification"], parents_unable=data.get("parents_unable")
                )
            except NotQualified as problem:
                add_refusal(self, problem, "parents_unable")
        return data

    def layout_fields(self) -> list:
        return [Field.radios("qualification", legend_size=Size.MEDIUM), Field.checkbox("parents_unable")]


def born_form(
    *,
    date_field: str,
    time_field: str,
    sex_required: str,
    date_label: str,
    date_what: str,
    date_subject: str,
    time_label: str,
    time_help: str,
    time_invalid: str,
) -> type[StepForm]:
    """The base of a page asking a baby's sex and when it was born, as the birth's child page and
    the still-birth's baby page both do: the same fields, checks and layout, under the names the
    answers keep them by (`date_field`, `time_field`) and in each page's own words."""

    def clean_date(self):
        return self._past_date(date_field, date_subject)

    def clean_time(self) -> str:
        return clean_24_hour_time(self.cleaned_data.get(time_field, ""), time_invalid)

    def layout_fields(self) -> list:
        return [
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field(date_field),
            Field.text(time_field, field_width=Fixed.FIVE),
        ]

    return type(
        "BornForm",
        (StepForm,),
        {
            "__module__": __name__,
            "sex": forms.ChoiceField(
                label=_("Sex"),
                choices=SEX,
                widget=forms.RadioSelect,
                error_messages={"required": sex_required, "invalid_choice": sex_required},
            ),
            date_field: GovukDateField(label=date_label, what=date_what, help_text=_("For example, 27 3 2026")),
            time_field: text_field(time_label, "", max_length=5, required=False, help_text=time_help),
            f"clean_{date_field}": clean_date,
            f"clean_{time_field}": clean_time,
            "layout_fields": layout_fields,
        },
    )


class ChildForm(
    born_form(
        date_field="date_of_birth",
        time_field="time_of_birth",
        sex_required=_("Select the child's sex"),
        date_label=_("Date of birth"),
        date_what=_("the child's date of birth"),
        date_subject=_("The child's date of birth"),
        time_label=_("Time of birth (optional)"),
        time_help=_("Use the 24-hour clock, for example 14:05. Needed for twins and other multiple births"),
        time_invalid=_("Enter the time of birth like 14:05"),
    )
):
    step = "child"
    field_order = ["forenames", "surname", "sex", "date_of_birth", "time_of_birth", "multiple_birth"]
    forenames = name_field(_("First and middle names"), _("Enter the child's first name"), column="forenames")
    surname = name_field(_("Surname"), _("Enter the child's surname"), column="surname")
    multiple_birth = yes_no_field(_("Was this a multiple birth (twins, triplets or more)?"), _("Select yes or no"))

    def clean(self):
        data = super().clean()
        if data.get("multiple_birth") and not data.get("time_of_birth") and "time_of_birth" not in self.errors:
            self.add_error("time_of_birth", _("Enter the time of birth: it tells twins and triplets apart"))
        return data

    def layout_fields(self) -> list:
        sex, born, time_of_birth = super().layout_fields()
        return [
            Field.text("forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("surname", field_width=Fluid.TWO_THIRDS),
            sex,
            born,
            Field.radios("multiple_birth", legend_size=Size.SMALL, inline=True),
            time_of_birth,
        ]


class PlaceForm(StepForm):
    step = "place"
    place_type = forms.ChoiceField(
        label=_("Where was the child born?"),
        choices=[
            ("hospital", _("In a hospital or birth centre")),
            ("home", _("At home")),
            ("elsewhere", _("Elsewhere")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where the child was born"),
            "invalid_choice": _("Select where the child was born"),
        },
    )
    place_name = text_field(_("Name of the hospital or place (optional)"), "", max_length=200, required=False)
    address = text_field(
        _("Address"),
        _("Enter the address where the child was born"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = text_field(
        _("Postcode"),
        _("Enter the postcode of the place of birth"),
        max_length=10,
        help_text=_("The postcode decides the registration district"),
    )

    def clean_postcode(self) -> str:
        return self._postcode()

    def clean(self):
        data = super().clean()
        if data.get("place_type") == "hospital" and not data.get("place_name"):
            self.add_error("place_name", _("Enter the name of the hospital or birth centre"))
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("place_type", legend_size=Size.SMALL),
            Field.text("place_name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
        ]


class ParentDetails(StepForm):
    forenames = name_field(_("First and middle names"), _("Enter their first name"), column="forenames")
    surname = name_field(_("Surname"), _("Enter their surname"), column="surname")
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("their date of birth"))
    place_of_birth = text_field(
        _("Place of birth"), _("Enter their place of birth"), help_text=_("Town or city, and country if not the UK")
    )
    occupation = text_field(_("Occupation (optional)"), "", required=False)

    def clean_date_of_birth(self):
        return self._past_date("date_of_birth", _("Date of birth"))

    def layout_fields(self) -> list:
        return [
            Field.text("forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("surname", field_width=Fluid.TWO_THIRDS),
            Field("date_of_birth"),
            Field.text("place_of_birth", field_width=Fluid.TWO_THIRDS),
            Field.text("occupation", field_width=Fluid.TWO_THIRDS),
        ]


class MotherForm(ParentDetails):
    step = "mother"
    forenames = name_field(_("First and middle names"), _("Enter the mother's first name"), column="forenames")
    surname = name_field(_("Surname"), _("Enter the mother's surname"), column="surname")
    maiden_surname = name_field(
        _("Surname at birth (optional)"),
        column="surname",
        what=_("Surname at birth"),
        required=False,
        help_text=_("If it is different from her surname now"),
    )
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("the mother's date of birth"))
    address = text_field(
        _("Usual address"),
        _("Enter the mother's usual address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = text_field(_("Postcode (optional)"), "", max_length=10, required=False)

    def clean_postcode(self) -> str:
        return self._postcode()

    def layout_fields(self) -> list:
        fields = super().layout_fields()
        return [
            *fields[:2],
            Field.text("maiden_surname", field_width=Fluid.TWO_THIRDS),
            *fields[2:],
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
        ]


class RelationshipForm(StepForm):
    step = "relationship"
    parents_married = yes_no_field(
        _("Were the parents married to each other, or in a civil partnership, when the child was born?"),
        _("Select yes if the parents were married or in a civil partnership"),
    )
    register_jointly = yes_no_field(
        _("Do you want to name the father or second parent in the register?"),
        _("Select yes to name the other parent"),
        required=False,
        help_text=_(
            "They must take part: we will ask them to sign in, verify their identity and confirm the details "
            "before the birth is registered. If you register alone, their details will not be in the register; "
            "they can be added later by re-registering the birth, which both parents must ask for."
        ),
    )

    def clean(self):
        data = super().clean()
        married = data.get("parents_married")
        qualification = answers_module.value(self.answers, "informant", "qualification", "")
        if married is None:
            return data
        if qualification == "parent_married" and not married:
            self.add_error(
                "parents_married",
                _("You said you are married to the mother or her civil partner. Change your answer to who you are"),
            )
        if qualification == "parent_unmarried" and married:
            self.add_error(
                "parents_married",
                _("You said you are not married to the mother. Change your answer to who you are"),
            )
        if qualification == "mother" and not married and data.get("register_jointly") is None:
            self.add_error("register_jointly", _("Select yes to name the other parent, or no to register alone"))
        if married or qualification != "mother":
            data["register_jointly"] = None
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("parents_married", legend_size=Size.SMALL, inline=True),
            Field.radios("register_jointly", legend_size=Size.SMALL, inline=True),
        ]


class FatherForm(ParentDetails):
    step = "father"


class SecondParentForm(StepForm):
    step = "second_parent"
    channel = forms.ChoiceField(
        label=_("How should we contact the other parent?"),
        choices=[("email", _("Email")), ("sms", _("Text message"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how to contact the other parent"),
            "invalid_choice": _("Select how to contact the other parent"),
        },
    )
    email = forms.EmailField(
        label=_("Their email address"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    mobile = text_field(_("Their UK mobile phone number"), "", max_length=30, required=False)

    def clean(self):
        data = super().clean()
        if data.get("channel") == "email":
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Enter the other parent's email address"))
            elif data.get("email") and data["email"].lower() == self.registration.informant.email.lower():
                self.add_error("email", _("Enter the other parent's own email address, not yours"))
        if data.get("channel") == "sms":
            mobile = normalise_uk_mobile(data.get("mobile", ""))
            if mobile is None:
                self.add_error("mobile", _("Enter a UK mobile phone number, like 07700 900 982"))
            else:
                data["mobile"] = mobile
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("channel", legend_size=Size.SMALL),
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("mobile", field_width=Fluid.ONE_THIRD, inputmode="tel"),
        ]


class DeclineForm(GovukForm):
    submit_label = _("Send to the other parent")
    reason = text_field(
        _("What is wrong with the details?"),
        _("Tell us what is wrong with the details"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False  # the page's own form carries which answer it is

    def layout_fields(self) -> list:
        return [Field.textarea("reason", label_size=Size.SMALL)]


class ConfirmSecondParentForm(GovukForm):
    submit_label = _("Confirm and register")
    confirmed = forms.BooleanField(
        label=_("I am the other parent of this child and the details are correct"),
        error_messages={
            "required": _("Confirm that you are the other parent and the details are correct"),
            "invalid_choice": _("Confirm that you are the other parent and the details are correct"),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False  # the page's own form carries which answer it is

    def layout_fields(self) -> list:
        return [Field.checkbox("confirmed")]
