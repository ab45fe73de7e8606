"""The registrar's forms for converting a civil partnership into a marriage: finding the
partnership's entry by its reference, and recording both partners' declaration. The staff API
validates its JSON with the same declaration form."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm
from identity.models import RegisterOffice

REFERENCE_MESSAGES = {
    "required": _("Enter the civil partnership's entry reference"),
    "max_length": _("The reference must be 60 characters or fewer"),
}


def reference_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label=_("Civil partnership entry reference"),
        help_text=_("For example, E-LEEDS/C/2019/000042"),
        max_length=60,
        error_messages=REFERENCE_MESSAGES,
        **kwargs,
    )


class FindPartnershipForm(GovukForm):
    submit_label = _("Find the civil partnership")

    partnership = reference_field()

    def layout_fields(self) -> list:
        return [Field.text("partnership", field_width=Fluid.TWO_THIRDS, spellcheck="false")]


def _confirmation(label, message) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": message, "invalid_choice": message})


class ConversionForm(GovukForm):
    """Both partners declared before the registrar, on a date, at one of the registrar's offices."""

    submit_label = _("Convert into a marriage")

    partnership = reference_field(widget=forms.HiddenInput)
    office = forms.ChoiceField(
        label=_("Register office where the declaration was made"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the register office where the declaration was made"),
            "invalid_choice": _("Choose one of your register offices"),
        },
    )
    declared_on = GovukDateField(
        label=_("Date of the declaration"),
        what=_("the date of the declaration"),
        help_text=_("For example, 27 3 2026"),
    )
    both_present = _confirmation(
        _("Both partners made the declaration in front of me"),
        _("Confirm that both partners made the declaration in front of you"),
    )
    both_signed = _confirmation(
        _("Both partners signed the declaration"),
        _("Confirm that both partners signed the declaration"),
    )
    identities_checked = _confirmation(
        _("I checked both partners' identities"),
        _("Confirm that you checked both partners' identities"),
    )

    def __init__(self, *args, offices=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        offices = list(offices if offices is not None else RegisterOffice.objects.none())
        self.fields["office"].choices = [(office.code, office.name) for office in offices]
        if len(offices) == 1:
            self.fields["office"].initial = offices[0].code
        self.offices = {office.code: office for office in offices}

    def layout_fields(self) -> list:
        return [
            Field("partnership"),
            Field.radios("office", legend_size=Size.MEDIUM),
            Field("declared_on"),
            Field.checkbox("both_present"),
            Field.checkbox("both_signed"),
            Field.checkbox("identities_checked"),
        ]

    def clean_office(self):
        return self.offices[self.cleaned_data["office"]]
