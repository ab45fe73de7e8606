"""Forms for signing in and contact details, with GOV.UK error messages."""

from __future__ import annotations

import re

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

UK_MOBILE = re.compile(r"^(?:\+44|0044|0)7\d{9}$")


def normalise_uk_mobile(value: str) -> str | None:
    """'07700 900 982', '+44 7700 900982' -> '+447700900982'; None when not a UK mobile."""
    compact = re.sub(r"[\s\-()]", "", value or "")
    if not UK_MOBILE.match(compact):
        return None
    return "+44" + compact[-10:]


class GovukForm(forms.Form):
    submit_label = _("Continue")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self) -> list:
        return [Field.text(name) for name in self.fields]


class EmailForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("Email address must be 254 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false")]


class CodeForm(GovukForm):
    code = forms.CharField(
        label=_("Security code"),
        help_text=_("The code is 6 numbers"),
        max_length=20,
        error_messages={"required": _("Enter the security code")},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("The security code must be 6 numbers"))
        return code

    def layout_fields(self) -> list:
        return [Field.text("code", field_width=Fixed.FIVE, inputmode="numeric", autocomplete="one-time-code")]


class MobileForm(GovukForm):
    mobile_number = forms.CharField(
        label=_("UK mobile phone number"),
        help_text=_("We will send a 6-number code to this phone"),
        max_length=30,
        error_messages={"required": _("Enter a UK mobile phone number")},
    )

    def clean_mobile_number(self) -> str:
        normalised = normalise_uk_mobile(self.cleaned_data["mobile_number"])
        if normalised is None:
            raise forms.ValidationError(_("Enter a UK mobile phone number, like 07700 900 982"))
        return normalised

    def layout_fields(self) -> list:
        return [Field.text("mobile_number", field_width=Fluid.ONE_THIRD, autocomplete="tel", inputmode="tel")]


class StaffPasswordForm(GovukForm):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )

    def layout_fields(self) -> list:
        return [
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=Fixed.TWENTY, autocomplete="current-password"),
        ]


class AuthenticatorCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("The code is 6 numbers and changes every 30 seconds"),
        max_length=20,
        error_messages={"required": _("Enter the code from your authenticator app")},
    )
