"""Every way booking says no: one code per refusal, with its HTTP status and its message for
people. Legal numbers come from settings when the message is shown, so changing a `BOOKING_…`,
`NOTICE_…` or age setting changes the message too. Pages and the API render these through
`core.pages` and `core.api_errors`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal

BAD = 400
FORBIDDEN = 403
CONFLICT = 409


class BookingRefused(Refusal):
    """A booking service will not do what was asked; `code` says why."""

    reasons = {
        # Holds and bookings.
        "slot_unavailable": Reason(CONFLICT, _("Sorry, that time has just been taken. Choose another time")),
        "officers_busy": Reason(
            CONFLICT, _("One of those officers is busy at that time, or travelling. Choose someone else")
        ),
        "ends_before_start": Reason(BAD, _("The end must be after the start")),
        "in_the_past": Reason(BAD, _("That time has passed. Choose a time in the future")),
        "unknown_kind": Reason(BAD, _("Choose a ceremony or a notice appointment")),
        "too_many_guests": Reason(BAD, _("That room is too small for your number of guests. Choose a bigger venue")),
        "ceremony_needs_two_officers": Reason(BAD, _("A ceremony needs a superintendent registrar and a registrar")),
        "same_officer_twice": Reason(BAD, _("The superintendent registrar and the registrar must be different people")),
        "hold_expired": Reason(
            CONFLICT, _("We held this time for you but the hold has run out. Search again to choose a time")
        ),
        "not_held": Reason(CONFLICT, _("This booking is no longer on hold")),
        "details_missing": Reason(BAD, _("Enter both people's details before you book")),
        "not_active": Reason(CONFLICT, _("This booking is cancelled, released or finished, so it cannot be changed")),
        # Seats at citizenship ceremonies (services/citizenship.py).
        "citizenship_full": Reason(CONFLICT, _("Sorry, that ceremony is now full. Choose another date")),
        "citizenship_too_many_guests": Reason(BAD, _("You can bring up to %(guests)s guests to this ceremony")),
        "citizenship_after_invitation": Reason(BAD, _("Choose a ceremony before your invitation runs out")),
        "citizenship_no_welsh": Reason(BAD, _("The oath and pledge cannot be taken in Welsh at this ceremony")),
        "citizenship_already_booked": Reason(CONFLICT, _("You have already booked a seat at a ceremony")),
        "citizenship_same_ceremony": Reason(BAD, _("You are already booked at that ceremony")),
        "citizenship_guests_full": Reason(
            CONFLICT,
            _(
                "Sorry, there are not enough guest places left at that ceremony. "
                "Bring fewer guests or choose another date"
            ),
        ),
        "citizenship_guests_negative": Reason(BAD, _("The number of guests cannot be less than 0")),
        "citizenship_cancelled": Reason(CONFLICT, _("That ceremony has been cancelled. Choose another date")),
        "citizenship_ceremony_passed": Reason(
            CONFLICT, _("That ceremony has already taken place, so the seat cannot be changed")
        ),
        "citizenship_private_booked": Reason(CONFLICT, _("You have already booked a private ceremony")),
        "citizenship_place_unknown": Reason(BAD, _("We could not find that place. Enter a postcode or a town")),
        # Group ceremonies scheduled by staff.
        "citizenship_at_least_one_seat": Reason(BAD, _("A ceremony needs at least 1 seat")),
        "citizenship_room_too_small": Reason(
            BAD, _("The room holds %(capacity)s people: seats and guest places together must be %(capacity)s or fewer")
        ),
        "citizenship_below_taken": Reason(
            CONFLICT,
            _("%(seats)s seats and %(guests)s guest places are booked already. The numbers cannot be lower than that"),
        ),
        "citizenship_welsh_in_use": Reason(
            CONFLICT, _("Someone booked has chosen to take the oath and pledge in Welsh, so Welsh must stay available")
        ),
        "citizenship_room_closed": Reason(
            BAD, _("The room is closed that day (a closure or a bank holiday). Choose another day")
        ),
        "citizenship_officer_absent": Reason(
            BAD, _("One of those officers is on leave or off sick that day. Choose someone else")
        ),
        "citizenship_group_not_moved": Reason(
            CONFLICT,
            _(
                "A group citizenship ceremony cannot be moved to another time or place. Cancel it, which tells "
                "everyone booked, and schedule another"
            ),
        ),
        # Notice appointments and notice.
        "not_your_ceremony": Reason(BAD, _("That is not your ceremony booking")),
        "ceremony_not_booked": Reason(CONFLICT, _("Book the ceremony before booking notice appointments")),
        "unknown_party": Reason(BAD, _("Enter both people's details first")),
        "notice_already_booked": Reason(CONFLICT, _("A notice appointment is already booked for this person")),
        "wrong_district": Reason(
            BAD, _("Notice must be given at the register office for the district where the person lives")
        ),
        "residence_too_short": Reason(
            BAD,
            _(
                "The person must have lived in the district for %(days)s full days before giving notice. "
                "Choose a later date"
            ),
            {"days": "NOTICE_RESIDENCE_DAYS"},
        ),
        "notice_too_late": Reason(
            BAD,
            _(
                "There must be at least %(days)s full days between giving notice and the ceremony. "
                "Choose an earlier date or move the ceremony"
            ),
            {"days": "NOTICE_WAIT_DAYS"},
        ),
        "given_in_future": Reason(BAD, _("The date notice was given must be today or in the past")),
        # Identity appointments.
        "identity_verified": Reason(
            CONFLICT, _("Your identity is already confirmed, so you do not need an identity appointment")
        ),
        "identity_rejected": Reason(
            CONFLICT,
            _("A registrar could not confirm your identity. Call the helpline on 0300 123 4567 to find out what to do"),
        ),
        "identity_not_with_registrar": Reason(
            CONFLICT,
            _(
                "Send your identity check first. If it cannot be confirmed online, you can then book an "
                "appointment with a registrar"
            ),
        ),
        "identity_appointment_booked": Reason(
            CONFLICT, _("You already have an identity appointment. Move or cancel that one instead")
        ),
        "new_venue_needs_fresh_notice": Reason(
            BAD, _("Notice names the venue. To move to a different venue, both of you must give notice again")
        ),
        "date_outside_notice_rules": Reason(
            BAD,
            _(
                "Notice has been given, so the ceremony must be at least %(days)s full days after the later "
                "notice and within %(months)s months of the earlier one. Choose a date in that window"
            ),
            {"days": "NOTICE_WAIT_DAYS", "months": "NOTICE_VALID_MONTHS"},
        ),
        # The couple and their witnesses.
        "too_young": Reason(
            BAD,
            _("Both people must be %(age)s or over on the day of the ceremony"),
            {"age": "MINIMUM_AGE_TO_MARRY"},
        ),
        "lived_since_future": Reason(BAD, _("The date they moved in must be today or in the past")),
        "notice_given": Reason(
            CONFLICT, _("Notice has been given, so these details can only be changed by a registrar")
        ),
        "two_witnesses": Reason(BAD, _("Enter the full names of both witnesses")),
        "witness_age": Reason(
            BAD,
            _("Confirm that both witnesses will be %(age)s or over"),
            {"age": "WITNESS_MINIMUM_AGE"},
        ),
        # The availability search.
        "reversed_dates": Reason(BAD, _("The last date must be the same as or after the first date")),
        "dates_in_past": Reason(BAD, _("The last date must be in the future")),
        "beyond_horizon": Reason(
            BAD,
            _("You can book up to %(days)s days ahead. Enter a date before %(date)s"),
            {"days": "BOOKING_HORIZON_DAYS"},
        ),
        "range_too_long": Reason(
            BAD, _("Search %(days)s days or fewer at a time"), {"days": "BOOKING_MAX_SEARCH_DAYS"}
        ),
        "before_first_bookable": Reason(BAD, _("The earliest date you can book is %(date)s")),
        # The office diary.
        "not_allowed": Reason(FORBIDDEN, _("You do not have permission to do that")),
        "other_office": Reason(FORBIDDEN, _("That is another office's diary")),
        "room_not_at_venue": Reason(BAD, _("That room is not at this venue")),
        "shift_exists": Reason(BAD, _("This officer already has a shift starting then on that day")),
        "not_an_officer_here": Reason(BAD, _("Select an officer of this office")),
        "bank_holidays_format": Reason(
            BAD, _("That is not a GOV.UK bank holidays file (no england-and-wales division)")
        ),
        # Re-booking after a closure or an absence.
        "rebook_one_subject": Reason(BAD, _("Choose one closure or one absence to re-book")),
        "rebook_subject_invalid": Reason(BAD, _("The closure or absence number is not valid")),
        "choice_no_longer_free": Reason(CONFLICT, _("That time is no longer free. Choose another")),
        "no_alternative_free": Reason(CONFLICT, _("No alternative is free. Contact the couple")),
        "nothing_chosen": Reason(BAD, _("Choose a new time for at least one booking")),
    }


class SlotUnavailable(BookingRefused):
    """The room or an officer is already in use at that time (a lost race included)."""

    def __init__(self, code: str = "slot_unavailable", **params) -> None:
        super().__init__(code, **params)
