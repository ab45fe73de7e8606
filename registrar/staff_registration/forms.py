"""The staff pages' own questions: which event, who the informant is (and the documents seen),
how the informant declares, and the code they read back. The registration's questions
themselves are the citizen journey's forms (`registrar.forms.FORMS`), unchanged."""

from __future__ import annotations

from crispy_forms_gds.layout import Field, Fixed, Fluid, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukForm
from identity.forms import normalise_uk_mobile
from identity.models import CodeChannel

from ..forms.common import text_field
from ..models import Event


class EventForm(GovukForm):
    event = forms.ChoiceField(
        label=_("What is the informant registering?"),
        choices=[(Event.BIRTH, _("A birth")), (Event.DEATH, _("A death"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a birth or a death"), "invalid_choice": _("Select a birth or a death")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("event", legend_size=Size.LARGE, legend_tag="h1")]


class InformantForm(GovukForm):
    """The informant in front of the registrar. Their identity is established by the documents
    the registrar sees, recorded here; an email or mobile lets them receive the registration's
    messages (and a code, if they declare later from their own device)."""

    full_name = text_field(_("Informant's full name"), _("Enter the informant's full name"), max_length=200)
    email = forms.EmailField(
        label=_("Informant's email address (optional)"),
        max_length=254,
        required=False,
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    mobile = text_field(_("Informant's UK mobile phone number (optional)"), "", max_length=30, required=False)
    documents = text_field(
        _("Documents you saw to establish the informant's identity"),
        _("Enter the documents you saw to establish the informant's identity"),
        max_length=500,
        help_text=_("For example: passport 123456789 and a council tax bill dated 2 October 2026"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_mobile(self) -> str:
        value = (self.cleaned_data.get("mobile") or "").strip()
        if not value:
            return ""
        mobile = normalise_uk_mobile(value)
        if mobile is None:
            raise forms.ValidationError(_("Enter a UK mobile phone number, like 07700 900 982"))
        return mobile

    def layout_fields(self) -> list:
        return [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.text("email", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("mobile", field_width=Fluid.ONE_THIRD, inputmode="tel"),
            Field.textarea("documents"),
        ]


class InPersonDeclarationForm(GovukForm):
    submit_label = _("Record the declaration and register")
    read_and_signed = forms.BooleanField(
        label=_("I read the declaration to the informant and they signed it in front of me"),
        error_messages={
            "required": _("Confirm that you read the declaration to the informant and that they signed it")
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_tag = False  # the page's own form carries which way it is declared

    def layout_fields(self) -> list:
        return [Field.checkbox("read_and_signed")]


class SendCodeForm(GovukForm):
    submit_label = _("Send the code")
    submit_style = "secondary"
    channel = forms.ChoiceField(
        label=_("Where should we send the informant's code?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select where to send the code"),
            "invalid_choice": _("Select where to send the code"),
        },
    )

    def __init__(self, *args, destinations: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        labels = {CodeChannel.EMAIL: _("By email to %(to)s"), CodeChannel.SMS: _("By text message to %(to)s")}
        self.fields["channel"].choices = [
            (channel, labels[channel] % {"to": _masked(channel, to)}) for channel, to in destinations.items()
        ]
        self.helper.form_tag = False  # the page's own form carries which way it is declared

    def layout_fields(self) -> list:
        return [Field.radios("channel", legend_size=Size.SMALL)]


def _masked(channel: str, to: str) -> str:
    """Enough to say which address, not the address itself (the page may be seen by others)."""
    if channel == CodeChannel.EMAIL:
        name, _at, domain = to.partition("@")
        return f"{name[:1]}…@{domain}"
    return f"…{to[-3:]}"


class CodeForm(GovukForm):
    submit_label = _("Make the declaration")
    code = forms.CharField(
        label=_("The code the informant received"),
        max_length=12,
        error_messages={"required": _("Enter the code"), "max_length": _("Enter the 6-digit code")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(_("Enter the 6-digit code"))
        return code

    def layout_fields(self) -> list:
        return [Field.text("code", field_width=Fixed.FIVE, inputmode="numeric", autocomplete="one-time-code")]


class OwnCodeForm(CodeForm):
    code = forms.CharField(
        label=_("Your code"),
        max_length=12,
        error_messages={"required": _("Enter the code we sent you"), "max_length": _("Enter the 6-digit code")},
    )
    confirmed = forms.BooleanField(
        label=_("I declare that the information given is true to the best of my knowledge and belief"),
        error_messages={"required": _("Confirm the declaration to make it")},
    )

    def layout_fields(self) -> list:
        return [*super().layout_fields(), Field.checkbox("confirmed")]
