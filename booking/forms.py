"""Citizen forms for booking: the availability search, choosing a slot, party details,
witnesses and cancelling, with GOV.UK error messages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from crispy_forms_gds.layout import Button, Field, Fixed, Fluid, Layout, Size
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField, GovukForm
from core.places import normalise_postcode

from . import selectors
from .models import Booking, Room, Venue
from .places import find_place

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


def search_dates_message(kind: str, reason: str) -> str:
    first_allowed, last_allowed = selectors.bookable_dates(kind)
    return {
        "reversed_dates": _("The last date must be the same as or after the first date"),
        "dates_in_past": _("The last date must be in the future"),
        "beyond_horizon": _("You can book up to %(days)s days ahead. Enter a date before %(date)s")
        % {"days": settings.BOOKING_HORIZON_DAYS, "date": last_allowed.strftime("%d/%m/%Y")},
        "range_too_long": _("Search %(days)s days or fewer at a time") % {"days": settings.BOOKING_MAX_SEARCH_DAYS},
        "before_first_bookable": _("The earliest date you can book is %(date)s")
        % {"date": first_allowed.strftime("%d/%m/%Y")},
    }[reason]


class SearchForm(GovukForm):
    """Where and when. Read from the query string, so a search is a link that can be shared."""

    submit_label = _("Search")

    place = forms.CharField(
        label=_("Postcode or town"),
        help_text=_("For example, LS1 3AD or Leeds. Leave empty to search everywhere by date."),
        max_length=100,
        required=False,
    )
    date_from = GovukDateField(label=_("From"), what=_("the first date"), help_text=_("For example, 12 6 2027"))
    date_to = GovukDateField(label=_("To"), what=_("the last date"))
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week"), choices=WEEKDAYS, required=False, widget=forms.CheckboxSelectMultiple
    )
    times = forms.MultipleChoiceField(
        label=_("Time of day"), choices=TIMES, required=False, widget=forms.CheckboxSelectMultiple
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

    def __init__(self, *args, kind: str = Booking.Kind.CEREMONY, **kwargs) -> None:
        self.kind = kind
        super().__init__(*args, **kwargs)
        self.helper.form_method = "get"
        if kind == Booking.Kind.NOTICE:
            for name in ("venue_kind", "guests", "place", "order"):
                del self.fields[name]
            self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self) -> list:
        fields = []
        if "place" in self.fields:
            fields.append(Field.text("place", field_width=Fluid.TWO_THIRDS, autocomplete="postal-code"))
        fields += [
            Field("date_from"),
            Field("date_to"),
            Field.checkboxes("weekdays", legend_size=Size.SMALL, small=True),
            Field.checkboxes("times", legend_size=Size.SMALL, small=True),
        ]
        if "venue_kind" in self.fields:
            fields += [
                Field.radios("venue_kind", legend_size=Size.SMALL, small=True),
                Field.text("guests", field_width=Fixed.FIVE, inputmode="numeric"),
                Field.radios("order", legend_size=Size.SMALL, small=True, inline=True),
            ]
        return fields

    def clean_place(self):
        value = " ".join(self.cleaned_data.get("place", "").split())
        if not value:
            return None
        place = find_place(value)
        if place is None:
            if normalise_postcode(value) or any(char.isdigit() for char in value):
                raise forms.ValidationError(
                    _("We could not find that postcode. Check it and try again, or enter a town")
                )
            raise forms.ValidationError(
                _("We could not find that place. Enter a postcode or a town in England or Wales")
            )
        return place

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            problem = selectors.search_dates_problem(self.kind, first, last)
            if problem is not None:
                self.add_error(problem[0], search_dates_message(self.kind, problem[1]))
        if data.get("order") == "distance" and not data.get("place"):
            self.add_error("place", _("Enter a postcode or town to see the nearest venues"))
        return data

    def search(self, **extra) -> selectors.SlotSearch:
        data = self.cleaned_data
        place = data.get("place")
        return selectors.SlotSearch(
            kind=self.kind,
            date_from=data["date_from"],
            date_to=data["date_to"],
            place=place,
            weekdays=frozenset(int(day) for day in data.get("weekdays") or range(7)),
            times_of_day=frozenset(data.get("times") or selectors.TIMES_OF_DAY),
            venue_kind=data.get("venue_kind") or "",
            guests=data.get("guests") or 0,
            order=data.get("order") or "date",
            radius_km=settings.BOOKING_SEARCH_RADIUS_KM if place and data.get("order") != "date" else None,
            **extra,
        )


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
    full_name = forms.CharField(
        label=_("Full name"),
        help_text=_("As it appears on their passport or other identity document"),
        max_length=200,
        error_messages={"required": _("Enter their full name")},
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
        help_text=_("They must have lived there for 7 full days before giving notice. For example, 1 2 2024"),
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

    witness_1 = forms.CharField(
        label=_("First witness's full name"),
        max_length=200,
        error_messages={"required": _("Enter the first witness's full name")},
    )
    witness_2 = forms.CharField(
        label=_("Second witness's full name"),
        max_length=200,
        error_messages={"required": _("Enter the second witness's full name")},
    )
    aged_16_or_over = forms.BooleanField(
        label=_("Both witnesses will be 16 or over on the day of the ceremony"),
        error_messages={"required": _("Confirm that both witnesses will be 16 or over")},
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
