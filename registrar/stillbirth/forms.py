"""The stillbirth journey's question pages. Where the question is the birth's, the birth's form
is reused (with words for parents whose baby was stillborn where the birth's would jar); the
API binds the same forms to JSON."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import yes_no_field

from ..forms.birth import BirthInformantForm, PlaceForm, RelationshipForm, born_form
from ..forms.common import StepForm, text_field
from . import matching
from .rules import STILLBIRTH_QUALIFICATIONS


class StillbirthInformantForm(BirthInformantForm):
    qualification = forms.ChoiceField(
        label=_("Who is registering?"),
        choices=list(STILLBIRTH_QUALIFICATIONS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who you are"), "invalid_choice": _("Select who you are")},
    )
    parents_unable = forms.BooleanField(
        label=_("Neither parent is able to register"),
        help_text=_("Only answer this if you are not a parent of the baby"),
        required=False,
    )


class StillbirthCertificateForm(StepForm):
    step = "certificate"
    reference = text_field(
        _("Reference of the medical certificate of stillbirth"),
        _("Enter the reference of the medical certificate of stillbirth"),
        max_length=40,
        help_text=_("The doctor or midwife gives you this reference"),
    )

    def clean_reference(self) -> str:
        reference = self.cleaned_data["reference"].strip().upper()
        if matching.certificate_by_reference(reference) is None:
            raise forms.ValidationError(
                _(
                    "We have not received a medical certificate of stillbirth with this reference. Check it, or try "
                    "again later: the hospital or midwife sends it to us"
                )
            )
        return reference

    def layout_fields(self) -> list:
        return [Field.text("reference", field_width=Fixed.TWENTY, spellcheck="false")]


class BabyForm(
    born_form(
        date_field="date_of_delivery",
        time_field="time_of_delivery",
        sex_required=_("Select your baby's sex"),
        date_label=_("Date your baby was born"),
        date_what=_("the date your baby was born"),
        date_subject=_("The date your baby was born"),
        time_label=_("Time your baby was born (optional)"),
        time_help=_("Use the 24-hour clock, for example 14:05"),
        time_invalid=_("Enter the time like 14:05"),
    )
):
    step = "baby"


class NameForm(StepForm):
    step = "name"
    give_name = yes_no_field(
        _("Do you want to give your baby a name in the register?"),
        _("Select yes if you want to give your baby a name"),
        help_text=_("You do not have to. If you do, the name will be on the certificates you receive."),
    )
    forenames = text_field(_("Your baby's first and middle names"), "", required=False, help_text=_("If you said yes"))
    surname = text_field(_("Your baby's surname"), "", required=False, help_text=_("If you said yes"))

    def clean(self):
        data = super().clean()
        if data.get("give_name"):
            if not data.get("forenames") and "forenames" not in self.errors:
                self.add_error("forenames", _("Enter your baby's first name, or choose not to give a name"))
            if not data.get("surname") and "surname" not in self.errors:
                self.add_error("surname", _("Enter your baby's surname, or choose not to give a name"))
        elif data.get("give_name") is False:
            data["forenames"], data["surname"] = "", ""
        return data

    def layout_fields(self) -> list:
        return [
            Field.radios("give_name", legend_size=Size.MEDIUM, inline=True),
            Field.text("forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("surname", field_width=Fluid.TWO_THIRDS),
        ]


class StillbirthPlaceForm(PlaceForm):
    place_type = forms.ChoiceField(
        label=_("Where was your baby born?"),
        choices=[
            ("hospital", _("In a hospital or birth centre")),
            ("home", _("At home")),
            ("elsewhere", _("Elsewhere")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where your baby was born"),
            "invalid_choice": _("Select where your baby was born"),
        },
    )
    address = text_field(
        _("Address"),
        _("Enter the address where your baby was born"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class StillbirthRelationshipForm(RelationshipForm):
    parents_married = yes_no_field(
        _("Were the parents married to each other, or in a civil partnership, when your baby was born?"),
        _("Select yes if the parents were married or in a civil partnership"),
    )
    register_jointly = yes_no_field(
        _("Do you want to name the father or second parent in the register?"),
        _("Select yes to name the other parent"),
        required=False,
        help_text=_(
            "If you do, we will ask them to sign in, verify their identity and confirm the details before "
            "the stillbirth is registered. If you register alone, they will not be named in the register."
        ),
    )
