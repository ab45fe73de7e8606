"""Staff forms for the office diary: recording notice, reassigning officers, closures,
absences, rota shifts, room patterns and calendar feeds, with GOV.UK error messages."""

from __future__ import annotations

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later

from .forms import WEEKDAYS
from .models import Booking, OfficerAbsence, Room

DIARY_FIRST_YEAR, DIARY_LAST_YEAR = 2000, 2200

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class OfficerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", _("Choose an officer"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return obj.full_name or obj.email


class RoomChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("empty_label", _("Choose a room"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj) -> str:
        return f"{obj.venue.name}: {obj.name}"


def _time_field(label, what) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=_("Use the 24-hour clock, for example 09:30 or 14:00"),
        input_formats=TIME_FORMATS,
        error_messages={
            "required": fill_in_later(_("Enter %(what)s"), {"what": what}),
            "invalid": fill_in_later(_("Enter %(what)s as a time, like 09:30"), {"what": what}),
        },
    )


class StaffForm(GovukForm):
    """A staff form posted to its own address, so that a page can show several."""

    def __init__(self, *args, action: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if action:
            self.helper.form_action = action
        self._name_submit_button()

    def _name_submit_button(self) -> None:
        # Several forms share a page, so each button needs its own id.
        self.helper.layout = Layout(
            *self.layout_fields(),
            Button("submit", self.submit_label, css_id=f"{self.prefix or type(self).__name__.lower()}-submit"),
        )


class ReassignForm(StaffForm):
    submit_label = _("Change officers")

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

    def __init__(self, *args, booking: Booking, superintendents, registrars, **kwargs) -> None:
        initial = {"superintendent": booking.superintendent_id, "registrar": booking.registrar_id}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["superintendent"].queryset = superintendents
        self.fields["registrar"].queryset = registrars
        if booking.kind not in Booking.TWO_OFFICER_KINDS:
            del self.fields["superintendent"]
            self.fields["registrar"].label = _("Officer")
            self._name_submit_button()

    def layout_fields(self) -> list:
        return [Field.select(name) for name in self.fields]

    def clean(self):
        data = super().clean()
        if data.get("superintendent") and data.get("superintendent") == data.get("registrar"):
            self.add_error("registrar", _("The superintendent registrar and the registrar must be different people"))
        return data


class DateRangeForm(StaffForm):
    starts_on = GovukDateField(label=_("First day"), what=_("the first day"), help_text=_("For example, 12 6 2027"))
    ends_on = GovukDateField(label=_("Last day"), what=_("the last day"))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The last day must be the same as or after the first day"))
        return data


class ClosureForm(DateRangeForm):
    submit_label = _("Add closure")

    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=None,
        empty_label=_("Choose a venue"),
        error_messages={"required": _("Select the venue"), "invalid_choice": _("Select a venue of this office")},
    )
    room = RoomChoiceField(
        label=_("Room (optional)"),
        help_text=_("Leave as it is to close the whole venue"),
        queryset=None,
        empty_label=_("The whole venue"),
        required=False,
        error_messages={"invalid_choice": _("Select a room of this office")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        error_messages={"required": _("Enter the reason for the closure")},
    )
    field_order = ["venue", "room", "starts_on", "ends_on", "reason"]

    def __init__(self, *args, venues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["room"].queryset = Room.objects.filter(venue__in=venues).select_related("venue")
        self._name_submit_button()

    def layout_fields(self) -> list:
        return [
            Field.select("venue"),
            Field.select("room"),
            Field("starts_on"),
            Field("ends_on"),
            Field.text("reason", field_width=Fluid.TWO_THIRDS),
        ]

    def clean(self):
        data = super().clean()
        if data.get("room") and data.get("venue") and data["room"].venue_id != data["venue"].pk:
            self.add_error("room", _("That room is not at this venue"))
        return data


class AbsenceForm(DateRangeForm):
    submit_label = _("Record absence")

    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=None,
        error_messages={"required": _("Select the officer"), "invalid_choice": _("Select an officer of this office")},
    )
    kind = forms.ChoiceField(
        label=_("Type of absence"),
        choices=OfficerAbsence.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select leave or sickness")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)
    field_order = ["officer", "kind", "starts_on", "ends_on", "note"]

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self._name_submit_button()

    def layout_fields(self) -> list:
        return [
            Field.select("officer"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True, small=True),
            Field("starts_on"),
            Field("ends_on"),
            Field.text("note", field_width=Fluid.TWO_THIRDS),
        ]


class ShiftForm(StaffForm):
    submit_label = _("Add shift")

    officer = OfficerChoiceField(
        label=_("Officer"),
        queryset=None,
        error_messages={"required": _("Select the officer"), "invalid_choice": _("Select an officer of this office")},
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=WEEKDAYS, coerce=int, error_messages={"required": _("Select the day")}
    )
    starts = _time_field(_("Starts"), _("the start time"))
    ends = _time_field(_("Ends"), _("the end time"))

    def __init__(self, *args, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers

    def layout_fields(self) -> list:
        return [
            Field.select("officer"),
            Field.select("weekday"),
            Field.text("starts", field_width=Fixed.FIVE),
            Field.text("ends", field_width=Fixed.FIVE),
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end time must be after the start time"))
        return data


class PatternForm(StaffForm):
    submit_label = _("Add opening times")

    room = RoomChoiceField(
        label=_("Room"),
        queryset=None,
        error_messages={"required": _("Select the room"), "invalid_choice": _("Select a room of this office")},
    )
    kind = forms.ChoiceField(
        label=_("Booked for"),
        choices=Booking.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select ceremonies or notice appointments")},
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"), choices=WEEKDAYS, coerce=int, error_messages={"required": _("Select the day")}
    )
    opens = _time_field(_("Opens"), _("the opening time"))
    closes = _time_field(_("Closes"), _("the closing time"))
    duration_minutes = forms.IntegerField(
        label=_("Length of each booking in minutes"),
        min_value=5,
        max_value=480,
        error_messages={
            "required": _("Enter the length of each booking"),
            "invalid": _("The length must be a whole number of minutes, like 45"),
            "min_value": _("The length must be 5 minutes or more"),
            "max_value": _("The length must be 480 minutes or fewer"),
        },
    )
    gap_minutes = forms.IntegerField(
        label=_("Minutes between bookings"),
        min_value=0,
        max_value=240,
        initial=15,
        error_messages={
            "required": _("Enter the minutes between bookings"),
            "invalid": _("The gap must be a whole number of minutes, like 15"),
            "min_value": _("The gap must be 0 minutes or more"),
            "max_value": _("The gap must be 240 minutes or fewer"),
        },
    )

    def __init__(self, *args, rooms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms

    def layout_fields(self) -> list:
        return [
            Field.select("room"),
            Field.radios("kind", legend_size=Size.SMALL, inline=True, small=True),
            Field.select("weekday"),
            Field.text("opens", field_width=Fixed.FIVE),
            Field.text("closes", field_width=Fixed.FIVE),
            Field.text("duration_minutes", field_width=Fixed.FIVE, inputmode="numeric"),
            Field.text("gap_minutes", field_width=Fixed.FIVE, inputmode="numeric"),
        ]

    def clean(self):
        data = super().clean()
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", _("The closing time must be after the opening time"))
        return data


class FeedForm(StaffForm):
    submit_label = _("Create feed")

    owner = forms.ChoiceField(
        label=_("Whose diary"),
        error_messages={"required": _("Select whose diary"), "invalid_choice": _("Select the office or an officer")},
    )

    def __init__(self, *args, office, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.officers = {str(officer.pk): officer for officer in officers}
        self.fields["owner"].choices = [("office", _("The whole office: %(name)s") % {"name": office.name})] + [
            (pk, officer.full_name or officer.email) for pk, officer in self.officers.items()
        ]

    def layout_fields(self) -> list:
        return [Field.select("owner")]

    def officer(self):
        return self.officers.get(self.cleaned_data["owner"])


class RebookSubjectForm(GovukForm):
    """Which closure or absence to re-book the bookings of (GET): the office's own, from today."""

    submit_label = _("Show affected bookings")
    subject = forms.ChoiceField(
        label=_("Which closure or absence do you want to re-book bookings for?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select a closure or an absence"),
            "invalid_choice": _("Select one of this office's closures or absences"),
        },
    )

    def __init__(self, *args, closures, absences, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        choices = [
            (
                f"closure-{closure.pk}",
                _("Closure of %(where)s, %(first)s to %(last)s: %(reason)s")
                % {
                    "where": f"{closure.venue.name}: {closure.room.name}" if closure.room else closure.venue.name,
                    "first": date_format(closure.starts_on, "j F Y"),
                    "last": date_format(closure.ends_on, "j F Y"),
                    "reason": closure.reason,
                },
            )
            for closure in closures
        ]
        choices += [
            (
                f"absence-{absence.pk}",
                _("%(name)s away (%(kind)s), %(first)s to %(last)s")
                % {
                    "name": absence.officer.full_name or absence.officer.email,
                    "kind": absence.get_kind_display(),
                    "first": date_format(absence.starts_on, "j F Y"),
                    "last": date_format(absence.ends_on, "j F Y"),
                },
            )
            for absence in absences
        ]
        self.fields["subject"].choices = choices

    def layout_fields(self) -> list:
        return [Field.radios("subject", legend_size=Size.MEDIUM)]

    def chosen(self) -> tuple[str, str]:
        """("closure" or "absence", its number) of the valid choice."""
        kind, _dash, number = self.cleaned_data["subject"].partition("-")
        return kind, number


class DiaryDateForm(GovukForm):
    """The diary's "go to date" (GET): the GOV.UK date input, within the years the diary pages."""

    submit_label = _("Show")
    submit_style = "secondary"
    go_to = GovukDateField(label=_("Go to date"), what=_("the date"), help_text=_("For example, 12 6 2027"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The page's own form tag carries the day-or-week choice along.
        self.helper.form_tag = False

    def clean_go_to(self):
        day = self.cleaned_data["go_to"]
        # Far-off years would only overflow the previous and next links.
        if not DIARY_FIRST_YEAR <= day.year <= DIARY_LAST_YEAR:
            raise forms.ValidationError(
                _("The date must be between %(first)s and %(last)s")
                % {"first": DIARY_FIRST_YEAR, "last": DIARY_LAST_YEAR}
            )
        return day

    def layout_fields(self) -> list:
        return [Field("go_to", legend_size=Size.SMALL)]
