"""The registrar's confirmation before registering a death from a certificate after inquest; the
page posts it and the API binds its JSON to it (`core.forms.bind_json`)."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm

from .refusals import REFUSALS


class RegisterFromCertificateForm(GovukForm):
    submit_label = _("Register this death")

    checked = forms.BooleanField(
        label=_("I have checked these particulars against the coroner's certificate"),
        error_messages={"required": REFUSALS["inquest_not_confirmed"].message},
    )

    def layout_fields(self) -> list:
        return [Field.checkbox("checked")]
