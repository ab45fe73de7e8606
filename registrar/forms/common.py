"""What every question page shares: the step form base class with its date and postcode checks,
the steps both journeys ask (the informant's details, the reason for lateness, the declaration),
and showing saved answers again in a form."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import YES_NO, GovukDateField, GovukForm
from core.names import name_field
from core.places import normalise_postcode

from .. import answers as answers_module
from .. import rules
from ..models import Registration

SEX = [("female", _("Female")), ("male", _("Male")), ("indeterminate", _("Indeterminate"))]
NAME_MAX = 100
EARLIEST_DATE = date(1900, 1, 1)


def text_field(label, required_message, *, max_length=NAME_MAX, required=True, **kwargs) -> forms.CharField:
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


class InformantDetailsForm(StepForm):
    step = "informant_details"
    full_name = name_field(_("Your full name"), _("Enter your full name"), column="full_name")
    address = text_field(
        _("Your address"), _("Enter your address"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    postcode = text_field(_("Postcode"), _("Enter your postcode"), max_length=10)

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
    reason = text_field(
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
