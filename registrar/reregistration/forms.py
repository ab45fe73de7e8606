"""Forms of re-registration, for the pages and (through `core.forms.bind_json`) the API: why,
the new particulars, each parent's confirmation, and the registrar's document."""

from __future__ import annotations

from crispy_forms.layout import Layout
from crispy_forms_gds.layout import Button, Field, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm

from ..models import ReRegistrationReason


def _text(label, required_message=None, *, max_length=200, required=True, help_text="") -> forms.CharField:
    messages = {"max_length": _("This must be %(limit_value)s characters or fewer")}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(
        label=label, max_length=max_length, required=required, help_text=help_text, error_messages=messages
    )


def _confirmation(label, message) -> forms.BooleanField:
    return forms.BooleanField(label=label, error_messages={"required": message, "invalid_choice": message})


class StartForm(GovukForm):
    submit_label = _("Continue")

    entry = forms.CharField(widget=forms.HiddenInput, max_length=60, error_messages={"required": _("Choose an entry")})
    reason = forms.ChoiceField(
        label=_("Why is the birth being re-registered?"),
        widget=forms.RadioSelect,
        choices=[
            (
                ReRegistrationReason.LEGITIMATION,
                _("The parents married (or formed a civil partnership) after the birth"),
            ),
            (ReRegistrationReason.ADD_PARENT, _("To name the father or second parent, who was not named at first")),
        ],
        error_messages={
            "required": _("Choose why the birth is being re-registered"),
            "invalid_choice": _("Choose why the birth is being re-registered"),
        },
    )

    def layout_fields(self) -> list:
        return [Field("entry"), Field.radios("reason", legend_size=Size.MEDIUM, legend_tag="h2")]


class ParentFields(GovukForm):
    father_forenames = _text(_("Father's or second parent's first and middle names"), _("Enter their first names"))
    father_surname = _text(_("Father's or second parent's surname"), _("Enter their surname"))
    father_place_of_birth = _text(
        _("Their place of birth"), _("Enter their place of birth"), help_text=_("Town or city, and country")
    )
    father_occupation = _text(_("Their occupation"), required=False, help_text=_("Leave blank if they have none"))
    child_surname = _text(
        _("The child's surname from now on"),
        required=False,
        help_text=_("Leave blank to keep the surname in the entry now"),
    )

    def parent_layout(self) -> list:
        return [
            Field.text("father_forenames", field_width=Fluid.TWO_THIRDS),
            Field.text("father_surname", field_width=Fluid.TWO_THIRDS),
            Field.text("father_place_of_birth", field_width=Fluid.TWO_THIRDS),
            Field.text("father_occupation", field_width=Fluid.TWO_THIRDS),
            Field.text("child_surname", field_width=Fluid.TWO_THIRDS),
        ]


class DetailsForm(ParentFields):
    """The new particulars. For legitimation, the marriage's date and place are needed only when
    the register holds no single marriage of both parents (the service decides)."""

    submit_label = _("Save and continue")

    married_on = GovukDateField(
        label=_("Date of the marriage or civil partnership"),
        what=_("the date of the marriage"),
        required=False,
        help_text=_("Only if we cannot find it in the register. For example, 27 3 2026"),
    )
    marriage_place = _text(_("Where it took place"), required=False, help_text=_("Town or city, and country"))
    other_parent_email = forms.EmailField(
        label=_("The other parent's email address"),
        help_text=_("We will email them a link to verify their identity and confirm the details"),
        max_length=254,
        error_messages={
            "required": _("Enter the other parent's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )

    def __init__(self, *args, legitimation: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not legitimation:
            del self.fields["married_on"]
            del self.fields["marriage_place"]
            self.helper.layout = self._layout_without_marriage()

    def _layout_without_marriage(self):
        return Layout(*self.layout_fields(), Button.primary("submit", self.submit_label))

    def layout_fields(self) -> list:
        fields = self.parent_layout()
        if "married_on" in self.fields:
            fields += [Field("married_on"), Field.text("marriage_place", field_width=Fluid.TWO_THIRDS)]
        return [*fields, Field.text("other_parent_email", field_width=Fluid.TWO_THIRDS, spellcheck="false")]


class ConfirmForm(GovukForm):
    submit_label = _("Confirm and send to the other parent")

    confirmed = _confirmation(
        _("I confirm the new particulars are correct to the best of my knowledge and belief"),
        _("Confirm the new particulars are correct"),
    )

    def layout_fields(self) -> list:
        return [Field.checkbox("confirmed")]


class OtherParentConfirmForm(GovukForm):
    submit_label = _("Confirm and re-register the birth")

    confirmed = _confirmation(
        _("I am the child's parent and the new particulars are correct to the best of my knowledge and belief"),
        _("Confirm you are the child's parent and the new particulars are correct"),
    )

    def layout_fields(self) -> list:
        return [Field.checkbox("confirmed")]


class DeclineForm(GovukForm):
    submit_label = _("Send back to the other parent")
    submit_style = "secondary"

    action = forms.CharField(widget=forms.HiddenInput, initial="decline", required=False)

    reason = forms.CharField(
        label=_("What is wrong?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Say what is wrong with the details"),
            "max_length": _("This must be %(limit_value)s characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field("action"), Field.textarea("reason")]


class RegistrarForm(ParentFields):
    """A registrar's re-registration from a document, with one parent present."""

    submit_label = _("Re-register the birth")
    submit_style = "warning"

    reason = forms.ChoiceField(
        label=_("Document seen"),
        widget=forms.RadioSelect,
        choices=[
            (ReRegistrationReason.COURT_ORDER, ReRegistrationReason.COURT_ORDER.label),
            (ReRegistrationReason.STATUTORY_DECLARATION, ReRegistrationReason.STATUTORY_DECLARATION.label),
        ],
        error_messages={
            "required": _("Choose whether a court order or a statutory declaration was seen"),
            "invalid_choice": _("Choose whether a court order or a statutory declaration was seen"),
        },
    )
    parent_present = forms.ChoiceField(
        label=_("Which parent gave the information?"),
        widget=forms.RadioSelect,
        choices=[("mother", _("The mother")), ("father", _("The father or second parent"))],
        error_messages={
            "required": _("Choose which parent gave the information"),
            "invalid_choice": _("Choose which parent gave the information"),
        },
    )
    evidence = forms.CharField(
        label=_("The document"),
        help_text=_("For example, 'Court order of Leeds Family Court, case LS26F00123, dated 3 November 2026'"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Describe the document seen"),
            "max_length": _("This must be %(limit_value)s characters or fewer"),
        },
    )
    scan = forms.FileField(
        label=_("A scan or photo of the document"),
        error_messages={
            "required": _("Choose a scan of the document"),
            "empty": _("The selected file is empty. Choose a scan of the document."),
            "invalid": _("Choose a scan of the document"),
        },
    )

    def layout_fields(self) -> list:
        return [
            Field.radios("reason", legend_size=Size.SMALL),
            Field.radios("parent_present", legend_size=Size.SMALL),
            *self.parent_layout(),
            Field.textarea("evidence"),
            Field("scan"),
        ]
