"""The forms of objections and suspicion reports, used by the pages and (through
`core.forms.bind_json`) by the API: an objection to a displayed notice, a superintendent
registrar's decision on it, and a registrar's report of a suspected sham or forced marriage."""

from __future__ import annotations

import re

from crispy_forms_gds.layout import Field, Fluid, Size
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm, fill_in_later, setting_later

from ..models import SuspicionReport

PHONE = re.compile(r"^\+?[0-9 ()-]{7,30}$")
GROUNDS_TOO_LONG = fill_in_later(
    _("The grounds must be %(max)s characters or fewer"), {"max": setting_later("OBJECTION_GROUNDS_MAX_LENGTH")}
)
REASON_MAX_LENGTH = 2000


def _no_nul(value: str) -> str:
    if "\x00" in (value or ""):
        raise forms.ValidationError(_("Remove the unusual characters and try again"))
    return value


class ObjectionForm(GovukForm):
    submit_label = _("Send objection")

    name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={
            "required": _("Enter your full name"),
            "max_length": _("Your name must be 200 characters or fewer"),
        },
    )
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("We will send you a reference for your objection, and may contact you about it."),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Your email address must be 254 characters or fewer"),
        },
    )
    phone = forms.CharField(
        label=_("Phone number (optional)"),
        required=False,
        max_length=30,
        error_messages={"max_length": _("Enter a phone number, like 01632 960 001")},
    )
    grounds = forms.CharField(
        label=_("Why should this marriage or civil partnership not take place?"),
        help_text=_(
            "Say what the lawful impediment is and how you know. A superintendent registrar will read it. "
            "The couple are told an objection was made, but not by whom."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Enter the grounds for your objection")},
    )

    def layout_fields(self) -> list:
        return [
            Field.text("name", field_width=Fluid.TWO_THIRDS, autocomplete="name"),
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false"),
            Field.text("phone", field_width=Fluid.ONE_THIRD, autocomplete="tel"),
            Field.textarea("grounds"),
        ]

    def clean_name(self) -> str:
        name = _no_nul(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError(_("Enter your full name"))
        return name

    def clean_phone(self) -> str:
        phone = _no_nul(self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Enter a phone number, like 01632 960 001"))
        return phone

    def clean_grounds(self) -> str:
        grounds = _no_nul(self.cleaned_data["grounds"]).strip()
        if not grounds:
            raise forms.ValidationError(_("Enter the grounds for your objection"))
        if len(grounds) > settings.OBJECTION_GROUNDS_MAX_LENGTH:
            raise forms.ValidationError(GROUNDS_TOO_LONG)
        return grounds


DECISIONS = {"dismiss": _("Dismiss the objection"), "uphold": _("Uphold the objection")}


class ObjectionDecisionForm(GovukForm):
    submit_label = _("Record decision")

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=list(DECISIONS.items()),
        widget=forms.RadioSelect,
        help_text=_("Upholding it means no authority is issued and the ceremony booking is released."),
        error_messages={"required": _("Select a decision"), "invalid_choice": _("Select one of the decisions listed")},
    )
    reason = forms.CharField(
        label=_("Reason for your decision"),
        help_text=_("The couple are told whether the objection was upheld."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Enter the reason for your decision"),
            "max_length": _("The reason must be 2000 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason")]

    def clean_reason(self) -> str:
        reason = _no_nul(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Enter the reason for your decision"))
        return reason


class SuspicionForm(GovukForm):
    submit_label = _("Send report to the Home Office")

    kind = forms.ChoiceField(
        label=_("What do you suspect?"),
        choices=SuspicionReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what you suspect"), "invalid_choice": _("Select one of the options")},
    )
    grounds = forms.CharField(
        label=_("Your grounds"),
        help_text=_("What you saw or heard, and when. The couple are not told about this report."),
        max_length=REASON_MAX_LENGTH * 2,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Enter your grounds"),
            "max_length": _("Your grounds must be 4000 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.radios("kind", legend_size=Size.MEDIUM), Field.textarea("grounds")]

    def clean_grounds(self) -> str:
        grounds = _no_nul(self.cleaned_data["grounds"]).strip()
        if not grounds:
            raise forms.ValidationError(_("Enter your grounds"))
        return grounds
