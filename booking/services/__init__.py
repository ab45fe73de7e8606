"""Writes for booking, by topic: holds and bookings (`holds`), seats at citizenship ceremonies
(`citizenship`), the couple and their witnesses
(`parties`), notice of marriage (`notices`), identity appointments (`identity_appointments`),
moves (`moves`), re-booking after a closure or an absence (`rebooking`), an office's diary
(`diary`) and calendar feeds (`feeds`). Everything is importable from here; the refusals they
raise are in `booking.refusals`."""

from ..refusals import BookingRefused, SlotUnavailable
from .access import check_office
from .citizenship import (
    book_private_ceremony,
    book_seat,
    cancel_group_ceremony,
    cancel_seat,
    change_ceremony_capacity,
    hold_private_ceremony,
    move_seat,
    schedule_group_ceremony,
    send_citizenship_reminders,
)
from .diary import (
    add_closure,
    add_room_pattern,
    add_rota_shift,
    ensure_office_venues,
    load_bank_holidays,
    record_absence,
    remove_room_pattern,
    remove_rota_shift,
)
from .feeds import create_calendar_feed, revoke_calendar_feed
from .holds import (
    book_held_slot,
    cancel_booking,
    confirm_hold,
    extend_hold,
    hold_published_slot,
    hold_slot,
    release_expired_holds,
)
from .identity_appointments import (
    active_identity_appointment,
    check_identity_appointment,
    identity_case_needing_appointment,
)
from .moves import check_reschedule, reassign_officers, reschedule_booking
from .notices import (
    CeremonyNotices,
    ceremony_notice_problem,
    ceremony_notices,
    confirm_ceremony,
    lapsing_provisional_ceremonies,
    release_lapsed_provisional_bookings,
    warn_provisional_bookings,
)
from .parties import save_party, save_witnesses
from .rebooking import KEEP, RebookingOutcome, apply_rebooking, rebook_affected
from .transitions import end_bookings

__all__ = [
    "book_private_ceremony",
    "cancel_group_ceremony",
    "change_ceremony_capacity",
    "hold_private_ceremony",
    "move_seat",
    "schedule_group_ceremony",
    "send_citizenship_reminders",
    "KEEP",
    "BookingRefused",
    "CeremonyNotices",
    "RebookingOutcome",
    "SlotUnavailable",
    "active_identity_appointment",
    "add_closure",
    "add_room_pattern",
    "add_rota_shift",
    "apply_rebooking",
    "book_held_slot",
    "book_seat",
    "cancel_seat",
    "cancel_booking",
    "check_reschedule",
    "ceremony_notice_problem",
    "ceremony_notices",
    "check_identity_appointment",
    "check_office",
    "confirm_ceremony",
    "confirm_hold",
    "create_calendar_feed",
    "end_bookings",
    "ensure_office_venues",
    "extend_hold",
    "hold_published_slot",
    "hold_slot",
    "identity_case_needing_appointment",
    "lapsing_provisional_ceremonies",
    "load_bank_holidays",
    "reassign_officers",
    "rebook_affected",
    "record_absence",
    "release_expired_holds",
    "release_lapsed_provisional_bookings",
    "remove_room_pattern",
    "remove_rota_shift",
    "reschedule_booking",
    "revoke_calendar_feed",
    "save_party",
    "save_witnesses",
    "warn_provisional_bookings",
]
