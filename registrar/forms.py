"""One form per question page of the birth and death journeys (the steps in answers.py), with
GOV.UK error messages. The API binds the same forms to JSON (`bind_json`), so a rule is checked
in one place for pages and API alike."""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import YES_NO, GovukDateField, GovukForm, yes_no_field
from core.places import normalise_postcode
from identity.forms import normalise_uk_mobile

from . import answers as answers_module
from . import rules, selectors
from .models import Event, Registration

SEX = [("female", _("Female")), ("male", _("Male")), ("indeterminate", _("Indeterminate"))]
NAME_MAX = 100
EARLIEST_DATE = date(1900, 1, 1)


def _text(label, required_message, *, max_length=NAME_MAX, required=True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": required_message,
            "max_length": _("%(label)s must be %(max)s characters or fewer") % {"label": label, "max": max_length},
        },
        **kwargs,
    )


class StepForm(GovukForm):
    """A question page. `registration` gives the answers other questions depend on."""

    step = ""

    def __init__(self, *args, registration: Registration, today: date | None = None, **kwargs) -> None:
        self.registration = registration
        self.today = today or rules.local_today()
        super().__init__(*args, **kwargs)

    @property
    def answers(self) -> dict[str, Any]:
        return self.registration.answers or {}

    def answer_values(self) -> dict[str, Any]:
        """The cleaned data as they are saved in the answers."""
        return dict(self.cleaned_data)

    def _past_date(self, name: str, what: str) -> date | None:
        value = self.cleaned_data.get(name)
        if value is None:
            return None
        if value > self.today:
            raise forms.ValidationError(_("%(what)s must be today or in the past") % {"what": what})
        if value < EARLIEST_DATE:
            raise forms.ValidationError(_("%(what)s must be after 1 January 1900") % {"what": what})
        return value

    def _postcode(self, name: str = "postcode") -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return ""
        normalised = normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return normalised


# --- Birth ------------------------------------------------------------------------------------------


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
            except rules.NotQualified as problem:
                self.add_error("parents_unable", rules.QUALIFICATION_PROBLEMS[problem.reason])
        return data

    def layout_fields(self) -> list:
        return [Field.radios("qualification", legend_size=Size.MEDIUM), Field.checkbox("parents_unable")]


class ChildForm(StepForm):
    step = "child"
    forenames = _text(_("First and middle names"), _("Enter the child's first name"))
    surname = _text(_("Surname"), _("Enter the child's surname"))
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the child's sex"), "invalid_choice": _("Select the child's sex")},
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth"), what=_("the child's date of birth"), help_text=_("For example, 27 3 2026")
    )
    time_of_birth = _text(
        _("Time of birth (optional)"),
        "",
        max_length=5,
        required=False,
        help_text=_("Use the 24-hour clock, for example 14:05. Needed for twins and other multiple births"),
    )
    multiple_birth = yes_no_field(_("Was this a multiple birth (twins, triplets or more)?"), _("Select yes or no"))

    def clean_date_of_birth(self):
        return self._past_date("date_of_birth", _("The child's date of birth"))

    def clean_time_of_birth(self) -> str:
        value = self.cleaned_data.get("time_of_birth", "").replace(".", ":")
        if not value:
            return ""
        match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", value)
        if not match:
            raise forms.ValidationError(_("Enter the time of birth like 14:05"))
        return time(int(match.group(1)), int(match.group(2))).strftime("%H:%M")

    def clean(self):
        data = super().clean()
        if data.get("multiple_birth") and not data.get("time_of_birth") and "time_of_birth" not in self.errors:
            self.add_error("time_of_birth", _("Enter the time of birth: it tells twins and triplets apart"))
        return data

    def layout_fields(self) -> list:
        return [
            Field.text("forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("surname", field_width=Fluid.TWO_THIRDS),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field("date_of_birth"),
            Field.radios("multiple_birth", legend_size=Size.SMALL, inline=True),
            Field.text("time_of_birth", field_width=Fixed.FIVE),
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
    place_name = _text(_("Name of the hospital or place (optional)"), "", max_length=200, required=False)
    address = _text(
        _("Address"),
        _("Enter the address where the child was born"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = _text(
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
    forenames = _text(_("First and middle names"), _("Enter their first name"))
    surname = _text(_("Surname"), _("Enter their surname"))
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("their date of birth"))
    place_of_birth = _text(
        _("Place of birth"), _("Enter their place of birth"), help_text=_("Town or city, and country if not the UK")
    )
    occupation = _text(_("Occupation (optional)"), "", required=False)

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
    forenames = _text(_("First and middle names"), _("Enter the mother's first name"))
    surname = _text(_("Surname"), _("Enter the mother's surname"))
    maiden_surname = _text(
        _("Surname at birth (optional)"), "", required=False, help_text=_("If it is different from her surname now")
    )
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("the mother's date of birth"))
    address = _text(
        _("Usual address"),
        _("Enter the mother's usual address"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = _text(_("Postcode (optional)"), "", max_length=10, required=False)

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
    mobile = _text(_("Their UK mobile phone number"), "", max_length=30, required=False)

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


class InformantDetailsForm(StepForm):
    step = "informant_details"
    full_name = _text(_("Your full name"), _("Enter your full name"), max_length=200)
    address = _text(
        _("Your address"), _("Enter your address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = _text(_("Postcode"), _("Enter your postcode"), max_length=10)

    def clean_postcode(self) -> str:
        return self._postcode()

    def layout_fields(self) -> list:
        return [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, autocomplete="name"),
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
        ]


class LateReasonForm(StepForm):
    step = "late_reason"
    reason = _text(
        _("Why is the registration late?"),
        _("Tell us why the registration is late"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def layout_fields(self) -> list:
        return [Field.textarea("reason", label_size=Size.MEDIUM)]


class DeclarationForm(StepForm):
    step = "declaration"
    submit_label = _("Send registration")
    confirmed = forms.BooleanField(
        label=_("I declare that the information I have given is true to the best of my knowledge and belief"),
        error_messages={
            "required": _("Confirm the declaration to send the registration"),
            "invalid_choice": _("Confirm the declaration to send the registration"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.checkbox("confirmed")]


# --- Death ------------------------------------------------------------------------------------------


class DeathInformantForm(StepForm):
    step = "informant"
    qualification = forms.ChoiceField(
        label=_("Who are you?"),
        choices=list(rules.DEATH_QUALIFICATIONS.items()),
        widget=forms.RadioSelect,
        help_text=_("Choose the first that applies. The law sets this order"),
        error_messages={"required": _("Select who you are"), "invalid_choice": _("Select who you are")},
    )
    higher_unavailable = forms.BooleanField(
        label=_("Nobody higher in the list is able to register the death"), required=False
    )
    funeral_director = forms.BooleanField(label=_("I am the funeral director"), required=False)
    relationship = _text(
        _("Your relationship to the person who died (relatives only)"),
        "",
        required=False,
        help_text=_("For example, daughter"),
    )

    def clean(self):
        data = super().clean()
        qualification = data.get("qualification")
        if not qualification:
            return data
        try:
            rules.check_death_informant(
                qualification=qualification,
                higher_unavailable=data.get("higher_unavailable"),
                funeral_director=bool(data.get("funeral_director")),
            )
        except rules.NotQualified as problem:
            field = "funeral_director" if problem.reason == "funeral_director" else "higher_unavailable"
            self.add_error(field, rules.QUALIFICATION_PROBLEMS[problem.reason])
        if qualification.startswith("relative") and not data.get("relationship"):
            self.add_error("relationship", _("Enter your relationship to the person who died"))
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("qualification", legend_size=Size.MEDIUM),
            Field.checkbox("higher_unavailable"),
            Field.checkbox("funeral_director"),
            Field.text("relationship", field_width=Fluid.ONE_THIRD),
        ]


class DeceasedForm(StepForm):
    step = "deceased"
    forenames = _text(_("First and middle names"), _("Enter the first name of the person who died"))
    surname = _text(_("Surname"), _("Enter the surname of the person who died"))
    maiden_surname = _text(_("Surname at birth (optional)"), "", required=False, help_text=_("If it was different"))
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their sex"), "invalid_choice": _("Select their sex")},
    )
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("their date of birth"))
    place_of_birth = _text(_("Place of birth (optional)"), "", required=False)
    occupation = _text(_("Occupation (optional)"), "", required=False)
    address = _text(
        _("Usual address"), _("Enter their usual address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = _text(_("Postcode (optional)"), "", max_length=10, required=False)

    def clean_date_of_birth(self):
        return self._past_date("date_of_birth", _("Date of birth"))

    def clean_postcode(self) -> str:
        return self._postcode()

    def layout_fields(self) -> list:
        return [
            Field.text("forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("surname", field_width=Fluid.TWO_THIRDS),
            Field.text("maiden_surname", field_width=Fluid.TWO_THIRDS),
            Field.radios("sex", legend_size=Size.SMALL, inline=True),
            Field("date_of_birth"),
            Field.text("place_of_birth", field_width=Fluid.TWO_THIRDS),
            Field.text("occupation", field_width=Fluid.TWO_THIRDS),
            Field.textarea("address"),
            Field.text("postcode", field_width=Fixed.TEN),
        ]


class DeathForm(StepForm):
    step = "death"
    date_of_death = GovukDateField(label=_("Date of death"), what=_("the date of death"))
    place_of_death = _text(
        _("Place of death"),
        _("Enter where the death happened"),
        max_length=300,
        help_text=_("For example, the hospital and town"),
    )
    postcode = _text(_("Postcode of the place of death"), _("Enter the postcode of the place of death"), max_length=10)

    def clean_date_of_death(self):
        died = self._past_date("date_of_death", _("The date of death"))
        born = answers_module.as_date(answers_module.value(self.answers, "deceased", "date_of_birth"))
        if died and born and died < born:
            raise forms.ValidationError(_("The date of death must be the same as or after the date of birth"))
        return died

    def clean_postcode(self) -> str:
        return self._postcode()

    def layout_fields(self) -> list:
        return [
            Field("date_of_death"),
            Field.text("place_of_death", field_width=Fluid.TWO_THIRDS),
            Field.text("postcode", field_width=Fixed.TEN),
        ]


class CertificateForm(StepForm):
    step = "certificate"
    reference = _text(
        _("Reference of the medical certificate of cause of death"),
        _("Enter the reference of the medical certificate"),
        max_length=40,
        help_text=_("The doctor or medical examiner gives you this reference"),
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if selectors.medical_certificate_by_reference(reference) is None:
            raise forms.ValidationError(
                _(
                    "We have not received a medical certificate with this reference. Check it, or try again later: "
                    "the medical examiner sends it to us"
                )
            )
        return reference

    def layout_fields(self) -> list:
        return [Field.text("reference", field_width=Fixed.TWENTY, spellcheck="false")]


class FuneralForm(StepForm):
    step = "funeral"
    arranger_name = _text(
        _("Name of the person arranging the funeral"),
        _("Enter the name of the person arranging the funeral"),
        max_length=200,
    )
    arranger_email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("We will send them the certificate for burial or cremation"),
        max_length=254,
        error_messages={
            "required": _("Enter the email address of the person arranging the funeral"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    disposal = forms.ChoiceField(
        label=_("Burial or cremation?"),
        choices=[("burial", _("Burial")), ("cremation", _("Cremation"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select burial or cremation"), "invalid_choice": _("Select burial or cremation")},
    )

    def layout_fields(self) -> list:
        return [
            Field.text("arranger_name", field_width=Fluid.TWO_THIRDS),
            Field.text("arranger_email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.radios("disposal", legend_size=Size.SMALL, inline=True),
        ]


FORMS: dict[str, dict[str, type[StepForm]]] = {
    Event.BIRTH: {
        form.step: form
        for form in (
            BirthInformantForm,
            ChildForm,
            PlaceForm,
            MotherForm,
            RelationshipForm,
            FatherForm,
            SecondParentForm,
            InformantDetailsForm,
            LateReasonForm,
            DeclarationForm,
        )
    },
    Event.DEATH: {
        form.step: form
        for form in (
            DeathInformantForm,
            DeceasedForm,
            DeathForm,
            CertificateForm,
            InformantDetailsForm,
            FuneralForm,
            LateReasonForm,
            DeclarationForm,
        )
    },
}


def initial_from_answers(form_class: type[StepForm], section: dict[str, Any]) -> dict[str, Any]:
    """Saved answers shown again in the form (dates back to dates, yes/no to radios)."""
    initial = {}
    for name, field in form_class.base_fields.items():
        if name not in section:
            continue
        saved = section[name]
        if isinstance(field, GovukDateField):
            initial[name] = answers_module.as_date(saved)
        elif isinstance(field, forms.TypedChoiceField) and field.choices == YES_NO:
            initial[name] = None if saved is None else ("yes" if saved else "no")
        else:
            initial[name] = saved
    return initial


class DeclineForm(GovukForm):
    submit_label = _("Send to the other parent")
    reason = _text(
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
