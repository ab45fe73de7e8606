"""Forms of citizenship ceremonies. Each is used by its page and by the API (through
`core.forms.bind_json`), so both give the same messages: the Home Office's invitation, choosing a
ceremony, the seat (ceremony, guests, Welsh), a private ceremony, and the registrar's check,
extension and record of the day."""

from __future__ import annotations

import re

from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, yes_no_field

from ..models import CeremonyAttendance, CitizenshipInvitation

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
REFERENCE = re.compile(r"^[A-Za-z0-9-]{1,60}$")
MAX_GUESTS = 20


class InvitationForm(GovukForm):
    """The Home Office's invitation (its API client sends it)."""

    home_office_reference = forms.CharField(
        max_length=60,
        error_messages={
            "required": _("Give the Home Office's reference for the invitation"),
            "max_length": _("The reference must be 60 characters or fewer"),
        },
    )
    forenames = forms.CharField(
        max_length=200,
        error_messages={
            "required": _("Give the person's forenames"),
            "max_length": _("Names are 200 characters or fewer"),
        },
    )
    surname = forms.CharField(
        max_length=200,
        error_messages={
            "required": _("Give the person's surname"),
            "max_length": _("Names are 200 characters or fewer"),
        },
    )
    date_of_birth = GovukDateField(what=_("the date of birth"))
    email = forms.EmailField(
        max_length=254,
        error_messages={"required": _("Give the person's email address"), "invalid": _("Give a real email address")},
    )
    postcode = forms.CharField(
        max_length=10,
        error_messages={"required": _("Give the person's postcode"), "max_length": _("Give a real postcode")},
    )
    route = forms.ChoiceField(
        choices=CitizenshipInvitation.Route.choices,
        error_messages={
            "required": _("Give the route: naturalisation or registration"),
            "invalid_choice": _("The route is naturalisation or registration"),
        },
    )
    invited_on = GovukDateField(what=_("the date of the invitation"))

    def clean_home_office_reference(self) -> str:
        value = self.cleaned_data["home_office_reference"].strip()
        if not REFERENCE.match(value):
            raise forms.ValidationError(_("The reference is letters, numbers and hyphens"))
        return value

    def clean_forenames(self) -> str:
        return " ".join(self.cleaned_data["forenames"].split())

    def clean_surname(self) -> str:
        value = " ".join(self.cleaned_data["surname"].split())
        if not value:
            raise forms.ValidationError(_("Give the person's surname"))
        return value

    def clean_postcode(self) -> str:
        value = " ".join(self.cleaned_data["postcode"].upper().split())
        if not POSTCODE.match(value):
            raise forms.ValidationError(_("Give a real postcode"))
        return value

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value >= timezone.localdate():
            raise forms.ValidationError(_("The date of birth must be in the past"))
        return value

    def clean_invited_on(self):
        value = self.cleaned_data["invited_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date of the invitation cannot be in the future"))
        return value


class ChooseCeremonyForm(GovukForm):
    """One of the open group ceremonies, listed in words."""

    submit_label = _("Continue")

    ceremony = forms.ChoiceField(
        label=_("Choose a ceremony"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a ceremony"), "invalid_choice": _("Choose a ceremony from the list")},
    )

    def __init__(self, *args, choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ceremony"].choices = list(choices)
        self.helper.layout = Layout(
            Field.radios("ceremony", legend_size=Size.MEDIUM, legend_tag="h2"), Button("submit", self.submit_label)
        )


class SeatForm(GovukForm):
    """The seat: which ceremony (its reference), guests and whether the oath and pledge are taken
    in Welsh. The page asks guests and Welsh with the ceremony chosen; the API sends all three."""

    ceremony = forms.CharField(
        max_length=20,
        widget=forms.HiddenInput,
        error_messages={"required": _("Choose a ceremony"), "max_length": _("Choose a ceremony from the list")},
    )
    guests = forms.IntegerField(
        label=_("How many guests will you bring?"),
        min_value=0,
        max_value=MAX_GUESTS,
        initial=0,
        error_messages={
            "required": _("Enter how many guests you will bring, or 0"),
            "invalid": _("Enter the number of guests as a whole number, like 2"),
            "min_value": _("Enter how many guests you will bring, or 0"),
            "max_value": _("You can bring up to %(limit_value)s guests"),
        },
    )
    welsh_oath = yes_no_field(
        _("Do you want to take the oath or affirmation and the pledge in Welsh?"),
        _("Select yes if you want to take the oath and pledge in Welsh"),
        required=False,
    )

    def __init__(self, *args, welsh_offered: bool = True, guest_limit: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if guest_limit is not None:
            self.fields["guests"].help_text = _("You can bring up to %(count)s guests to this ceremony.") % {
                "count": guest_limit
            }
        parts = [Field("ceremony"), Field.text("guests", field_width=2)]
        if welsh_offered:
            parts.append(Field.radios("welsh_oath", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["welsh_oath"]
        self.helper.layout = Layout(*parts, Button("submit", self.submit_label))

    def clean_ceremony(self) -> str:
        value = self.cleaned_data["ceremony"].strip()
        if not REFERENCE.match(value):
            raise forms.ValidationError(_("Choose a ceremony from the list"))
        return value

    def clean_welsh_oath(self) -> bool:
        return bool(self.cleaned_data.get("welsh_oath"))


PLEDGE_LABELS = {
    CitizenshipInvitation.Pledge.OATH: _("The oath of allegiance (swearing by God)"),
    CitizenshipInvitation.Pledge.AFFIRMATION: _("The affirmation of allegiance (no religious words)"),
}


class PrivateForm(GovukForm):
    submit_label = _("Ask for a private ceremony")

    pledge_form = forms.ChoiceField(
        label=_("Will you take the oath or the affirmation?"),
        choices=list(PLEDGE_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the oath or the affirmation"),
            "invalid_choice": _("Select the oath or the affirmation"),
        },
    )
    welsh = yes_no_field(
        _("Do you want to take the oath or affirmation and the pledge in Welsh?"),
        _("Select yes if you want to take the oath and pledge in Welsh"),
        required=False,
    )

    def __init__(self, *args, welsh_offered: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parts = [Field.radios("pledge_form", legend_size=Size.SMALL)]
        if welsh_offered:
            parts.append(Field.radios("welsh", legend_size=Size.SMALL, inline=True))
        else:
            del self.fields["welsh"]
        self.helper.layout = Layout(*parts, Button("submit", self.submit_label))

    def clean_welsh(self) -> bool:
        return bool(self.cleaned_data.get("welsh"))


class ExtendForm(GovukForm):
    submit_label = _("Extend the invitation")

    reason = forms.CharField(
        label=_("Why is the invitation extended?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter why the invitation is extended"),
            "max_length": _("The reason must be 2000 characters or fewer"),
        },
    )

    def clean_reason(self) -> str:
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Enter why the invitation is extended"))
        return value


class MatchForm(GovukForm):
    submit_label = _("Save the decision")

    same_person = yes_no_field(
        _("Is the person who signed in the person invited?"),
        _("Select yes if the person who signed in is the person invited"),
    )
    reason = forms.CharField(
        label=_("What you checked"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Enter what you checked"),
            "max_length": _("What you checked must be 2000 characters or fewer"),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(
            Field.radios("same_person", legend_size=Size.SMALL, inline=True),
            Field.textarea("reason"),
            Button("submit", self.submit_label),
        )


OUTCOME_LABELS = {
    CeremonyAttendance.Outcome.ATTENDED: _("Took the oath or affirmation and the pledge"),
    CeremonyAttendance.Outcome.NOT_ATTENDED: _("Did not attend"),
}


class AttendanceForm(GovukForm):
    """One attendee's record on the day (the staff page and the staff API)."""

    submit_label = _("Record")

    outcome = forms.ChoiceField(
        label=_("What happened"),
        choices=list(OUTCOME_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select what happened"),
            "invalid_choice": _("Select one of the outcomes listed"),
        },
    )
    pledge_form = forms.ChoiceField(
        label=_("Oath or affirmation"),
        required=False,
        choices=[("", "")] + list(CitizenshipInvitation.Pledge.choices),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select the oath or the affirmation")},
    )
    language = forms.ChoiceField(
        label=_("Language of the oath or affirmation and the pledge"),
        required=False,
        choices=[("", "")] + list(CeremonyAttendance.Language.choices),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select English or Welsh")},
    )
    made_pledge = forms.BooleanField(label=_("Made the pledge"), required=False)
    certificate_number = forms.CharField(
        label=_("Number of the certificate handed over"),
        required=False,
        max_length=30,
        error_messages={"max_length": _("The certificate number must be 30 characters or fewer")},
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("pledge_form", "language"):
            self.fields[name].choices = [choice for choice in self.fields[name].choices if choice[0]]
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.radios("pledge_form", legend_size=Size.SMALL, inline=True),
            Field.radios("language", legend_size=Size.SMALL, inline=True),
            Field.checkbox("made_pledge"),
            Field.text("certificate_number", field_width=10),
        )

    def clean_certificate_number(self) -> str:
        value = " ".join((self.cleaned_data.get("certificate_number") or "").split())
        if value and not re.match(r"^[A-Za-z0-9 /-]+$", value):
            raise forms.ValidationError(_("The certificate number is letters, numbers and hyphens"))
        return value

    def clean(self):
        data = super().clean()
        if data.get("outcome") == CeremonyAttendance.Outcome.ATTENDED:
            if not data.get("pledge_form") and "pledge_form" not in self.errors:
                self.add_error("pledge_form", _("Select the oath or the affirmation"))
            if not data.get("language") and "language" not in self.errors:
                self.add_error("language", _("Select English or Welsh"))
            if not data.get("made_pledge"):
                self.add_error("made_pledge", _("The person must make the pledge to become a citizen"))
            if not data.get("certificate_number") and "certificate_number" not in self.errors:
                self.add_error("certificate_number", _("Enter the number of the certificate handed over"))
        return data

    @property
    def attended(self) -> bool:
        return self.cleaned_data.get("outcome") == CeremonyAttendance.Outcome.ATTENDED
