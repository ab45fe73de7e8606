"""Staff forms for group citizenship ceremonies: scheduling one, changing its numbers and
cancelling it. The API validates with the same forms (`core.forms.bind_json`)."""

from __future__ import annotations

from datetime import datetime

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later, yes_no_field

from .selectors import UK
from .staff_forms import OfficerChoiceField, RoomChoiceField, StaffForm, _time_field

MAX_SEATS = 500


def _count_field(label, what, *, minimum: int, help_text="", initial=None) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=minimum,
        max_value=MAX_SEATS,
        initial=initial,
        error_messages={
            "required": fill_in_later(_("Enter %(what)s"), {"what": what}),
            "invalid": fill_in_later(_("Enter %(what)s as a whole number, like 20"), {"what": what}),
            "min_value": fill_in_later(_("Enter %(what)s of %(minimum)s or more"), {"what": what, "minimum": minimum}),
            "max_value": fill_in_later(
                _("Enter %(what)s of %(maximum)s or fewer"), {"what": what, "maximum": MAX_SEATS}
            ),
        },
    )


class CeremonyNumbersForm(StaffForm):
    """Seats, guests and Welsh: what scheduling and changing a ceremony share."""

    submit_label = _("Save the numbers")

    seats = _count_field(
        _("Seats for new citizens"),
        _("the number of seats"),
        minimum=1,
        help_text=_("How many new citizens can attend"),
    )
    guests_per_attendee = _count_field(
        _("Guests each new citizen may bring"), _("the number of guests each may bring"), minimum=0
    )
    guest_places = _count_field(
        _("Guest places in the room"),
        _("the number of guest places"),
        minimum=0,
        help_text=_("For all new citizens' guests together. Seats and guest places must fit in the room"),
    )
    welsh_available = yes_no_field(
        _("Can the oath and pledge be taken in Welsh at this ceremony?"),
        _("Select yes if the oath and pledge can be taken in Welsh"),
    )

    def layout_fields(self) -> list:
        return [
            Field.text("seats", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.text("guests_per_attendee", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.text("guest_places", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.radios("welsh_available", legend_size=Size.SMALL, inline=True, small=True),
        ]


class GroupCeremonyForm(CeremonyNumbersForm):
    submit_label = _("Schedule the ceremony")

    room = RoomChoiceField(
        label=_("Room"),
        queryset=None,
        error_messages={"required": _("Select the room"), "invalid_choice": _("Select a room of this office")},
    )
    day = GovukDateField(label=_("Date"), what=_("the date of the ceremony"), help_text=_("For example, 12 6 2027"))
    starts = _time_field(_("Starts"), _("the start time"))
    ends = _time_field(_("Ends"), _("the end time"))
    superintendent = OfficerChoiceField(
        label=_("Superintendent registrar"),
        queryset=None,
        error_messages={
            "required": _("Select the superintendent registrar"),
            "invalid_choice": _("Select a superintendent registrar on this office's rota"),
        },
    )
    registrar = OfficerChoiceField(
        label=_("Registrar"),
        queryset=None,
        error_messages={
            "required": _("Select the registrar"),
            "invalid_choice": _("Select a registrar on this office's rota"),
        },
    )
    field_order = [
        "room",
        "day",
        "starts",
        "ends",
        "superintendent",
        "registrar",
        "seats",
        "guests_per_attendee",
        "guest_places",
        "welsh_available",
    ]

    def __init__(self, *args, rooms=None, superintendents=None, registrars=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms
        self.fields["superintendent"].queryset = superintendents
        self.fields["registrar"].queryset = registrars

    def layout_fields(self) -> list:
        return [
            Field.select("room"),
            Field("day"),
            Field.text("starts", field_width=Fixed.FIVE),
            Field.text("ends", field_width=Fixed.FIVE),
            Field.select("superintendent"),
            Field.select("registrar"),
            *super().layout_fields(),
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end time must be after the start time"))
        if data.get("superintendent") and data.get("superintendent") == data.get("registrar"):
            self.add_error("registrar", _("The superintendent registrar and the registrar must be different people"))
        return data

    def times(self) -> tuple[datetime, datetime]:
        """The start and end as aware datetimes in UK local time."""
        day = self.cleaned_data["day"]
        return (
            datetime.combine(day, self.cleaned_data["starts"], tzinfo=UK),
            datetime.combine(day, self.cleaned_data["ends"], tzinfo=UK),
        )


class CancelCeremonyForm(StaffForm):
    submit_label = _("Cancel the ceremony")
    submit_style = "warning"

    reason = forms.CharField(
        label=_("Why is the ceremony cancelled?"),
        help_text=_("For the audit record. The people booked are told it is cancelled and asked to book another"),
        max_length=200,
        error_messages={
            "required": _("Enter why the ceremony is cancelled"),
            "max_length": _("The reason must be 200 characters or fewer"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.text("reason", field_width=Fluid.TWO_THIRDS)]

    def _name_submit_button(self) -> None:
        self.helper.layout = Layout(
            *self.layout_fields(), Button.warning("submit", self.submit_label, css_id="cancel-ceremony-submit")
        )


class OpenCeremoniesForm(GovukForm):
    """Which group ceremonies a new citizen may book: before their invitation's last day, near a
    place or at one office, with room for their guests, with the oath in Welsh."""

    submit_label = _("Find ceremonies")

    before = GovukDateField(label=_("Last day you can attend"), what=_("the last day you can attend"))
    near = forms.CharField(
        label=_("Postcode or town (optional)"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Enter a postcode or a town in 100 characters or fewer")},
    )
    office = forms.CharField(label=_("Register office code (optional)"), required=False, max_length=20)
    guests = forms.IntegerField(
        label=_("Guests you will bring"),
        required=False,
        min_value=0,
        max_value=MAX_SEATS,
        error_messages={
            "invalid": _("Enter the number of guests as a whole number, like 2"),
            "min_value": _("The number of guests cannot be less than 0"),
            "max_value": fill_in_later(_("Enter %(maximum)s guests or fewer"), {"maximum": MAX_SEATS}),
        },
    )
    welsh = forms.BooleanField(label=_("I want to take the oath and pledge in Welsh"), required=False)

    def clean_office(self):
        from identity.models import RegisterOffice

        code = (self.cleaned_data.get("office") or "").strip().upper()
        if not code:
            return None
        office = RegisterOffice.objects.filter(code=code).first()
        if office is None:
            raise forms.ValidationError(_("There is no register office with that code"))
        return office
