"""The death journey's question pages."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from core.names import name_field
from core.pages import add_refusal

from .. import answers as answers_module
from .. import rules, selectors
from ..refusals import NotQualified
from .common import SEX, StepForm, text_field


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
    relationship = text_field(
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
        except NotQualified as problem:
            add_refusal(
                self, problem, "funeral_director" if problem.code == "funeral_director" else "higher_unavailable"
            )
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
    forenames = name_field(
        _("First and middle names"), _("Enter the first name of the person who died"), column="forenames"
    )
    surname = name_field(_("Surname"), _("Enter the surname of the person who died"), column="surname")
    maiden_surname = name_field(
        _("Surname at birth (optional)"),
        column="surname",
        what=_("Surname at birth"),
        required=False,
        help_text=_("If it was different"),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their sex"), "invalid_choice": _("Select their sex")},
    )
    date_of_birth = GovukDateField(label=_("Date of birth"), what=_("their date of birth"))
    place_of_birth = text_field(_("Place of birth (optional)"), "", required=False)
    occupation = text_field(_("Occupation (optional)"), "", required=False)
    address = text_field(
        _("Usual address"), _("Enter their usual address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = text_field(_("Postcode (optional)"), "", max_length=10, required=False)

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
    place_of_death = text_field(
        _("Place of death"),
        _("Enter where the death happened"),
        max_length=300,
        help_text=_("For example, the hospital and town"),
    )
    postcode = text_field(
        _("Postcode of the place of death"), _("Enter the postcode of the place of death"), max_length=10
    )

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
    reference = text_field(
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
    arranger_name = name_field(
        _("Name of the person arranging the funeral"),
        _("Enter the name of the person arranging the funeral"),
        column="full_name",
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
