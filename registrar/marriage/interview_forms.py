"""Forms of the interview: the registrar's outcome (the staff page and the staff API validate with
this one form), choosing an interview time, and the Home Office's decision (its API)."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm

from ..models import Proposal
from .interview_services import GIVEN, NOT_ACCEPTED

OUTCOME_LABELS = {
    GIVEN: _("Notice given today"),
    NOT_ACCEPTED: _("Not accepted: the person must correct their notice and send it again"),
}
REASON_MAX_LENGTH = 2000


class OutcomeForm(GovukForm):
    """The outcome of one person's interview."""

    submit_label = _("Record the outcome")

    outcome = forms.ChoiceField(
        label=_("Outcome of the interview"),
        choices=list(OUTCOME_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the outcome of the interview"),
            "invalid_choice": _("Select one of the outcomes listed"),
        },
    )
    reason = forms.CharField(
        label=_("Why the notice was not accepted"),
        help_text=_("Needed when the notice is not accepted. The person sees it."),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The reason must be 2000 characters or fewer")},
    )

    def __init__(self, *args, action: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_action = action
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("reason"),
            Button("submit", self.submit_label, css_id=f"{self.prefix or 'outcome'}-submit"),
        )

    def clean_reason(self) -> str:
        return (self.cleaned_data.get("reason") or "").strip()

    def clean(self):
        data = super().clean()
        if data.get("outcome") == NOT_ACCEPTED and not data.get("reason") and "reason" not in self.errors:
            self.add_error("reason", _("Enter why the notice was not accepted"))
        return data


class DecisionForm(GovukForm):
    """The Home Office's decision on a referral (its API client sends it)."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Proposal.HomeOffice.NOT_INVESTIGATING.value, _("Not investigating")),
            (Proposal.HomeOffice.INVESTIGATING.value, _("Investigating")),
        ],
        error_messages={
            "required": _("Give the decision"),
            "invalid_choice": _("The decision is investigating or not_investigating"),
        },
    )
    reference = forms.CharField(
        label=_("The Home Office's reference"),
        max_length=60,
        error_messages={
            "required": _("Give the Home Office's reference for the referral"),
            "max_length": _("The reference must be 60 characters or fewer"),
        },
    )
