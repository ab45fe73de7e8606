"""Citizen forms for booking: the availability search (for the page and the API), choosing a
slot, party details, witnesses and cancelling, with GOV.UK error messages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm, fill_in_later, setting_later
from core.names import name_field
from core.places import POSTCODE_OUTSIDE_ENGLAND_AND_WALES, Place, normalise_postcode, postcode_problem

from . import selectors
from .models import Booking, Room, Venue
from .places import find_place
from .refusals import BookingRefused

WEEKDAYS = [
    ("0", _("Monday")),
    ("1", _("Tuesday")),
    ("2", _("Wednesday")),
    ("3", _("Thursday")),
    ("4", _("Friday")),
    ("5", _("Saturday")),
    ("6", _("Sunday")),
]
TIMES = [
    ("morning", _("Morning (before 12pm)")),
    ("afternoon", _("Afternoon (12pm to 5pm)")),
    ("evening", _("Evening (after 5pm)")),
]


# The search names days as the API does; the rota and room patterns number them (WEEKDAYS).
WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
SEARCH_WEEKDAYS = [(name, label) for name, (_number, label) in zip(WEEKDAY_NAMES, WEEKDAYS, strict=True)]
# England and Wales with a margin, so that a point just offshore still finds the nearest venues.
LATITUDE_RANGE = (49.8, 55.9)
LONGITUDE_RANGE = (-6.5, 2.0)
DEFAULT_RESULTS = 20
MAX_RESULTS = 100


def _list_of(choices) -> str:
    return gettext("Use a comma-separated list of: %s.") % ", ".join(value for value, _label in choices)


# The API sends these lists comma-separated; a value outside them is only ever typed by hand.
_choices_message = lazy(_list_of, str)


class SearchForm(GovukForm):
    """The availability search, for the search page (posted, its results kept under a token:
    `core.private_search`) and for the API, which binds its query to this same form
    (`core.forms.bind_json`). The page fixes the kind and shows the fields people fill in; the
    API also sends the kind, coordinates, a radius and how many results it wants."""

    submit_label = _("Search")

    kind = forms.ChoiceField(
        label=_("Ceremony or notice appointment"),
        choices=Booking.Kind.choices,
        error_messages={"required": _("Choose a ceremony or a notice appointment")},
    )
    place = forms.CharField(
        label=_("Postcode or town"),
        help_text=_("For example, LS1 3AD or Leeds. Leave empty to search everywhere by date."),
        max_length=100,
        required=False,
    )
    date_from = GovukDateField(label=_("From"), what=_("the first date"), help_text=_("For example, 12 6 2027"))
    date_to = GovukDateField(label=_("To"), what=_("the last date"))
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"),
        choices=SEARCH_WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _choices_message(SEARCH_WEEKDAYS)},
    )
    times = forms.MultipleChoiceField(
        label=_("Time of day"),
        choices=TIMES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _choices_message(TIMES)},
    )
    venue_kind = forms.ChoiceField(
        label=_("Type of venue"),
        choices=[("", _("Any venue")), *Venue.Kind.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    guests = forms.IntegerField(
        label=_("Number of guests"),
        help_text=_("Not counting the couple and the two witnesses"),
        min_value=0,
        max_value=500,
        required=False,
        error_messages={
            "invalid": _("Number of guests must be a whole number, like 30"),
            "min_value": _("Number of guests must be 0 or more"),
            "max_value": _("Number of guests must be 500 or fewer"),
        },
    )
    order = forms.ChoiceField(
        label=_("Show results by"),
        choices=[("date", _("Earliest date")), ("distance", _("Nearest venue"))],
        required=False,
        widget=forms.RadioSelect,
    )
    # Not shown on the page.
    lat = forms.FloatField(required=False, min_value=LATITUDE_RANGE[0], max_value=LATITUDE_RANGE[1])
    lon = forms.FloatField(required=False, min_value=LONGITUDE_RANGE[0], max_value=LONGITUDE_RANGE[1])
    radius_km = forms.FloatField(required=False, min_value=1, max_value=500)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_RESULTS)

    def __init__(self, *args, kind: str | None = None, by_place: bool | None = None, **kwargs) -> None:
        self.kind = kind
        self.by_place = by_place  # None: as the kind has it (below); a page may ask for the place or not
        super().__init__(*args, **kwargs)
        # Posted: a postcode or town is personal, so the page never puts it in a URL.
        self.helper.form_method = "post"
        if kind is not None:
            del self.fields["kind"]
            self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self) -> list:
        # A notice appointment is at the office for where the person lives, for the person alone;
        # a video appointment is from anywhere; an identity appointment in person is at any office
        # near a place, for the person alone.
        by_place = self.kind in (None, Booking.Kind.CEREMONY, Booking.Kind.IDENTITY_IN_PERSON)
        if self.by_place is not None:
            by_place = self.by_place
        for_ceremonies = self.kind in (None, Booking.Kind.CEREMONY)
        fields = []
        if by_place:
            fields.append(Field.text("place", field_width=Fluid.TWO_THIRDS, autocomplete="postal-code"))
        fields += [
            Field("date_from"),
            Field("date_to"),
            Field.checkboxes("weekdays", legend_size=Size.SMALL, small=True),
            Field.checkboxes("times", legend_size=Size.SMALL, small=True),
        ]
        if for_ceremonies:
            fields += [
                Field.radios("venue_kind", legend_size=Size.SMALL, small=True),
                Field.text("guests", field_width=Fixed.FIVE, inputmode="numeric"),
            ]
        if by_place:
            fields.append(Field.radios("order", legend_size=Size.SMALL, small=True, inline=True))
        return fields

    def clean_place(self):
        value = " ".join(self.cleaned_data.get("place", "").split())
        if not value:
            return None
        place = find_place(value)
        if place is None:
            if postcode_problem(value) == POSTCODE_OUTSIDE_ENGLAND_AND_WALES:
                raise forms.ValidationError(
                    _(
                        "That postcode is not in England or Wales. This service covers register offices in "
                        "England and Wales only"
                    )
                )
            if normalise_postcode(value):
                raise forms.ValidationError(
                    _("We could not find that postcode. Check it and try again, or enter a town")
                )
            if any(char.isdigit() for char in value):
                raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD, or a town in England or Wales."))
            raise forms.ValidationError(
                _("We could not find that place. Enter a postcode or a town in England or Wales")
            )
        return place

    def clean(self):
        data = super().clean()
        kind = self.kind or data.get("kind")
        first, last = data.get("date_from"), data.get("date_to")
        if kind and first and last:
            problem = selectors.search_dates_problem(kind, first, last)
            if problem is not None:
                field, refusal = problem
                self.add_error(field, refusal.message)
        lat, lon = data.get("lat"), data.get("lon")
        if data.get("place") and (lat is not None or lon is not None):
            self.add_error("place", _("Give a place or coordinates, not both."))
        elif (lat is None) != (lon is None) and "lat" not in self.errors and "lon" not in self.errors:
            self.add_error("lat" if lat is None else "lon", _("Give both lat and lon."))
        elif lat is not None and lon is not None:
            data["place"] = Place("coordinates", lat, lon)
        if data.get("order") == "distance" and not data.get("place") and "place" not in self.errors:
            self.add_error("place", _("Enter a postcode or town to see the nearest venues"))
        return data

    def search(self, **extra) -> selectors.SlotSearch:
        """The search asked for. Near a place, only venues within the radius (by default
        BOOKING_SEARCH_RADIUS_KM) are searched, whichever order the results are shown in."""
        data = self.cleaned_data
        place = data.get("place")
        asked = {
            "kind": self.kind or data["kind"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "place": place,
            "weekdays": frozenset(WEEKDAY_NAMES.index(day) for day in data.get("weekdays") or WEEKDAY_NAMES),
            "times_of_day": frozenset(data.get("times") or selectors.TIMES_OF_DAY),
            "venue_kind": data.get("venue_kind") or "",
            "guests": data.get("guests") or 0,
            "order": data.get("order") or "date",
            "radius_km": (data.get("radius_km") or settings.BOOKING_SEARCH_RADIUS_KM) if place else None,
            "limit": data.get("limit") or DEFAULT_RESULTS,
        }
        # What the page fixes (the office for notice, register offices for an identity visit) wins.
        return selectors.SlotSearch(**(asked | extra))


class ChooseSlotForm(forms.Form):
    """The hidden fields of a result's "Choose" button; checked again against the calendar."""

    room = forms.ModelChoiceField(queryset=Room.objects.all())
    starts_at = forms.CharField(max_length=40)
    guests = forms.IntegerField(min_value=0, max_value=500, required=False)

    def clean_starts_at(self):
        try:
            value = datetime.fromisoformat(self.cleaned_data["starts_at"])
        except ValueError as error:
            raise forms.ValidationError(_("That time is not valid")) from error
        if value.tzinfo is None:
            raise forms.ValidationError(_("That time is not valid"))
        return value


class PartyForm(GovukForm):
    full_name = name_field(
        _("Full name"),
        _("Enter their full name"),
        column="full_name",
        help_text=_("As it appears on their passport or other identity document"),
    )
    date_of_birth = GovukDateField(
        label=_("Date of birth"), what=_("their date of birth"), help_text=_("For example, 27 3 1990")
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        help_text=_("We will send them their notice appointment details"),
        error_messages={"invalid": _("Enter an email address in the correct format, like name@example.com")},
    )
    postcode = forms.CharField(
        label=_("Postcode of their home address"),
        help_text=_("They give notice at the register office for this address"),
        max_length=20,
        error_messages={"required": _("Enter their postcode"), "max_length": _("Enter a real postcode, like LS1 3AD")},
    )
    lived_there_since = GovukDateField(
        label=_("When did they start living at this address?"),
        what=_("the date they moved in"),
        help_text=fill_in_later(
            _("They must have lived there for %(days)s full days before giving notice. For example, 1 2 2024"),
            {"days": setting_later("NOTICE_RESIDENCE_DAYS")},
        ),
    )

    def layout_fields(self) -> list:
        return [
            Field.text("full_name", field_width=Fluid.TWO_THIRDS, autocomplete="name", spellcheck="false"),
            Field("date_of_birth"),
            Field.text("email", field_width=Fluid.TWO_THIRDS, autocomplete="email", spellcheck="false"),
            Field.text("postcode", field_width=Fixed.TEN, autocomplete="postal-code"),
            Field("lived_there_since"),
        ]

    def clean_postcode(self):
        postcode = normalise_postcode(self.cleaned_data["postcode"])
        if postcode is None:
            raise forms.ValidationError(_("Enter a real postcode, like LS1 3AD"))
        return postcode

    def clean_date_of_birth(self):
        value = self.cleaned_data["date_of_birth"]
        if value and value >= date.today():
            raise forms.ValidationError(_("Date of birth must be in the past"))
        if value and value < date.today() - timedelta(days=365 * 120):
            raise forms.ValidationError(_("Check the date of birth: it is more than 120 years ago"))
        return value

    def clean_lived_there_since(self):
        value = self.cleaned_data["lived_there_since"]
        if value and value > date.today():
            raise forms.ValidationError(_("The date they moved in must be today or in the past"))
        return value


class WitnessesForm(GovukForm):
    submit_label = _("Save witnesses")

    witness_1 = name_field(_("First witness's full name"), _("Enter the first witness's full name"), column="full_name")
    witness_2 = name_field(
        _("Second witness's full name"), _("Enter the second witness's full name"), column="full_name"
    )
    aged_16_or_over = forms.BooleanField(
        label=fill_in_later(
            _("Both witnesses will be %(age)s or over on the day of the ceremony"),
            {"age": setting_later("WITNESS_MINIMUM_AGE")},
        ),
        error_messages={"required": lazy(lambda: BookingRefused("witness_age").message, str)()},
    )

    def layout_fields(self) -> list:
        return [
            Field.text("witness_1", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.text("witness_2", field_width=Fluid.TWO_THIRDS, spellcheck="false"),
            Field.checkbox("aged_16_or_over"),
        ]


class CancelForm(GovukForm):
    submit_label = _("Cancel this booking")

    confirm = forms.ChoiceField(
        label=_("Are you sure you want to cancel this booking?"),
        choices=[("yes", _("Yes, cancel it")), ("no", _("No, keep it"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if you want to cancel this booking")},
    )

    def layout_fields(self) -> list:
        return [Field.radios("confirm", legend_size=Size.LARGE, legend_tag="h1", inline=True)]


class IdentityAppointmentForm(GovukForm):
    """How the person meets the registrar who compares them with their identity document."""

    kind = forms.ChoiceField(
        label=_("How would you like to meet the registrar?"),
        choices=[
            (Booking.Kind.IDENTITY_VIDEO, _("By video call")),
            (Booking.Kind.IDENTITY_IN_PERSON, _("In person, at a register office")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how you would like to meet the registrar"),
            "invalid_choice": _("Select how you would like to meet the registrar"),
        },
    )

    def layout_fields(self) -> list:
        return [Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2")]
