"""Staff forms for registration casework: the queue's filters, assignment, the
decision on a case, finding an entry and recording a correction, with GOV.UK messages."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fluid, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm, fill_in_later, setting_later
from core.names import RegisterNameValidator, tidy

from .models import Event
from .presentation import particular_choice_label, reason_in_words

DECISION_LABELS = {
    "register": _("Register it"),
    "request_information": _("Ask the person for more information"),
    "reject": _("Do not register it"),
    "escalate": fill_in_later(
        _("Send for the Registrar General's authority (over %(months)s months late)"),
        {"months": setting_later("LATE_AUTHORITY_MONTHS")},
    ),
    "authorise": _("Give the Registrar General's authority"),
    "refuse_authority": _("Refuse the Registrar General's authority"),
}
KIND_CHOICES = [
    ("", _("All kinds")),
    (Event.BIRTH, _("Births")),
    (Event.DEATH, _("Deaths")),
    ("identity", _("Identity checks")),
    ("objection", _("Objections to notices")),
]


class QueueFilterForm(forms.Form):
    """Filters of the exception queue (GET)."""

    office = forms.ChoiceField(label=_("Office"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=KIND_CHOICES)
    reason = forms.ChoiceField(label=_("Reason"), required=False)
    older_than_days = forms.IntegerField(
        label=_("Waiting at least (days)"),
        required=False,
        min_value=0,
        max_value=3650,
        error_messages={
            "invalid": _("Enter the days waiting as a whole number, like 3"),
            "min_value": _("Days waiting must be 0 or more"),
            "max_value": _("Days waiting must be 3650 or fewer"),
        },
    )
    deadline_within_days = forms.IntegerField(
        label=_("Deadline within (days)"),
        required=False,
        min_value=0,
        max_value=366,
        error_messages={
            "invalid": _("Enter the days to the deadline as a whole number, like 7"),
            "min_value": _("Days to the deadline must be 0 or more"),
            "max_value": _("Days to the deadline must be 366 or fewer"),
        },
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone or nobody")), ("me", _("Me")), ("nobody", _("Nobody"))],
    )

    def __init__(self, *args, offices, reasons, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("All my offices"))] + [(o.code, o.name) for o in offices]
        self.fields["reason"].choices = [("", _("Any reason"))] + [(r, reason_in_words(r)) for r in reasons]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Choose one of the options listed")


class StaffForm(GovukForm):
    """A form among several on one page: each submit button gets its own id."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            *self.layout_fields(), Button("submit", self.submit_label, css_id=f"{type(self).__name__.lower()}-submit")
        )


class AssignForm(StaffForm):
    submit_label = _("Assign")

    assignee = forms.ChoiceField(
        label=_("Assign to"),
        error_messages={
            "required": _("Choose who works this case"),
            "invalid_choice": _("Choose someone who works registration cases in this office"),
        },
    )

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("me", _("Me"))] + [
            (str(person.pk), person.full_name or person.email) for person in colleagues
        ]

    def layout_fields(self) -> list:
        return [Field.select("assignee")]


class DecisionForm(StaffForm):
    submit_label = _("Record decision")

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision"), "invalid_choice": _("Select one of the decisions listed")},
    )
    reason = forms.CharField(
        label=_("Reason, or the question for the person"),
        help_text=_("Needed for every decision except registering. The person sees it."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": _("The reason must be 2000 characters or fewer")},
    )

    def __init__(self, *args, decisions: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(code, DECISION_LABELS[code]) for code in decisions]

    def layout_fields(self) -> list:
        return [Field.radios("decision", legend_size=Size.MEDIUM), Field.textarea("reason")]

    def clean(self):
        data = super().clean()
        if data.get("decision") and data["decision"] != "register" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Enter the reason for your decision"))
        return data


class FindEntryForm(GovukForm):
    submit_label = _("Find entry")

    reference = forms.CharField(
        label=_("Entry or registration reference"),
        help_text=_("For example, E-LEEDS/B/2026/000123 or RG-K7QH-3MZP"),
        max_length=60,
        error_messages={
            "required": _("Enter the entry's reference or the registration's reference"),
            "max_length": _("The reference must be 60 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.text("reference", field_width=Fluid.TWO_THIRDS, spellcheck="false")]


def name_column(particular: str) -> str | None:
    """Which register name column a particular is (`core.names`), or None when it is no name."""
    if particular.endswith("forenames"):
        return "forenames"
    if particular.endswith("surname"):
        return "surname"
    if particular in ("informant_name", "full_name") or particular.endswith("_full_name"):
        return "full_name"
    return None


class CorrectionForm(GovukForm):
    submit_label = _("Record correction")

    field = forms.ChoiceField(
        label=_("Particular to correct"),
        error_messages={
            "required": _("Choose the particular to correct"),
            "invalid_choice": _("Choose a particular of this entry"),
        },
    )
    new_value = forms.CharField(
        label=_("Corrected value"),
        max_length=500,
        error_messages={
            "required": _("Enter the corrected value"),
            "max_length": _("The corrected value must be 500 characters or fewer"),
        },
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the reason for the correction"),
            "max_length": _("The reason must be 2000 characters or fewer"),
        },
    )
    evidence = forms.CharField(
        label=_("Evidence seen"),
        help_text=_("For example, passport 123456789 seen by the registrar"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter the evidence you saw"),
            "max_length": _("The evidence must be 2000 characters or fewer"),
        },
    )

    def __init__(self, *args, particulars: dict, event: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Choose a particular"))] + [
            (key, particular_choice_label(event, key)) for key in particulars
        ]

    def clean(self):
        data = super().clean()
        column = name_column(data.get("field") or "")
        if column and data.get("new_value"):
            # A corrected name is still a name in the register: the same rule as the citizen's pages.
            try:
                RegisterNameValidator(column, _("The corrected name"))(data["new_value"])
            except forms.ValidationError as error:
                self.add_error("new_value", error)
            else:
                data["new_value"] = tidy(data["new_value"])
        return data

    def layout_fields(self) -> list:
        return [
            Field.select("field"),
            Field.text("new_value", field_width=Fluid.TWO_THIRDS),
            Field.textarea("reason"),
            Field.textarea("evidence"),
        ]
