"""The public notices page's one question: which registration district."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm


class DistrictForm(GovukForm):
    """Sent by GET: a district code is not personal data, and the page can be bookmarked."""

    submit_label = _("Show notices")

    district = forms.ChoiceField(
        label=_("Registration district"),
        error_messages={
            "required": _("Select a registration district"),
            "invalid_choice": _("Select one of the registration districts listed"),
        },
    )

    def __init__(self, *args, districts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [("", _("Select a district")), *((d.code, d.name) for d in districts)]

    def layout_fields(self) -> list:
        return [Field.select("district")]
