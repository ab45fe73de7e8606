"""Forms of the staff pages that register client services."""

from __future__ import annotations

from urllib.parse import urlsplit

from crispy_forms_gds.layout import Field, Fluid
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm

SCOPE_CHOICES = [
    ("email", _("Email address")),
    ("identity", _("Verified identity (name, date of birth, address, confidence and when checked)")),
]
MAX_REDIRECT_URIS = 10


def _parse_uris(value: str, *, required: bool) -> list[str]:
    uris = [line.strip() for line in value.splitlines() if line.strip()]
    if required and not uris:
        raise forms.ValidationError(_("Enter at least one address"))
    if len(uris) > MAX_REDIRECT_URIS:
        raise forms.ValidationError(_("Enter no more than 10 addresses"))
    schemes = settings.OAUTH2_PROVIDER["ALLOWED_REDIRECT_URI_SCHEMES"]
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in schemes or not parts.hostname or parts.fragment or "*" in uri or len(uri) > 500:
            raise forms.ValidationError(
                _("Enter each address in full, starting with https://, with no wildcards or # part")
            )
    return uris


class ClientServiceForm(GovukForm):
    submit_label = _("Register service")
    name = forms.CharField(
        label=_("Name of the service"),
        help_text=_("People see this name when they are asked to share their identity."),
        max_length=100,
        error_messages={"required": _("Enter the name of the service")},
    )
    redirect_uris = forms.CharField(
        label=_("Addresses to return people to after signing in"),
        help_text=_("One a line. They must match exactly what the service sends."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5500,
        error_messages={"required": _("Enter at least one address")},
    )
    post_logout_redirect_uris = forms.CharField(
        label=_("Addresses to return people to after signing out (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5500,
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("Contact email address of the service's team"),
        error_messages={"required": _("Enter the team's email address"), "invalid": _("Enter a real email address")},
    )
    allowed_scopes = forms.MultipleChoiceField(
        label=_("What the service may ask people to share"),
        help_text=_("Every service receives an identifier for the person that only it has."),
        choices=SCOPE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose only from the list")},
    )
    sector = forms.CharField(
        label=_("Sector (optional)"),
        help_text=_("Services of one organisation that should see the same identifier for a person share a sector."),
        max_length=200,
        required=False,
    )

    def clean_redirect_uris(self) -> list[str]:
        return _parse_uris(self.cleaned_data["redirect_uris"], required=True)

    def clean_post_logout_redirect_uris(self) -> list[str]:
        return _parse_uris(self.cleaned_data.get("post_logout_redirect_uris", ""), required=False)

    def layout_fields(self) -> list:
        return [
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.textarea("redirect_uris"),
            Field.textarea("post_logout_redirect_uris"),
            Field.text("contact_email", field_width=Fluid.TWO_THIRDS),
            Field.checkboxes("allowed_scopes"),
            Field.text("sector", field_width=Fluid.TWO_THIRDS),
        ]


class DisableClientForm(GovukForm):
    submit_label = _("Switch off this service")
    reason = forms.CharField(
        label=_("Why is it being switched off?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter why the service is being switched off")},
    )

    def layout_fields(self) -> list:
        return [Field.textarea("reason")]


class ClientLogoForm(GovukForm):
    submit_label = _("Save the logo settings")
    logo = forms.FileField(
        label=_("Upload a logo (optional)"),
        help_text=_("A PNG or JPG image smaller than 1MB. It is shown small, beside the service's name."),
        required=False,
    )
    show_logo = forms.BooleanField(
        label=_("Show the logo to people signing in"),
        help_text=_("Off by default: people see the service's name only."),
        required=False,
    )

    def layout_fields(self) -> list:
        return [Field("logo"), Field.checkbox("show_logo")]
