"""Staff pages for an office's booking diary, by topic: the diary (`office`), one booking with its
notices and officers (`bookings`), the day's identity appointments (`identity_appointments`),
rooms, rota and absences (`rota`), closures and re-booking (`rebooking`) and calendar feeds
(`feeds`)."""

from .bookings import booking_detail, reassign
from .citizenship import (
    citizenship_cancel,
    citizenship_capacity,
    citizenship_ceremonies,
    citizenship_ceremony,
    schedule_citizenship,
)
from .feeds import feed, feeds, revoke_feed
from .identity_appointments import identity_appointments
from .office import diary, office_page, offices
from .rebooking import closures, rebook
from .rota import add_absence, add_pattern, add_shift, delete_pattern, delete_shift, rooms, rota

__all__ = [
    "add_absence",
    "add_pattern",
    "add_shift",
    "booking_detail",
    "citizenship_cancel",
    "citizenship_capacity",
    "citizenship_ceremonies",
    "citizenship_ceremony",
    "schedule_citizenship",
    "closures",
    "delete_pattern",
    "delete_shift",
    "diary",
    "feed",
    "feeds",
    "identity_appointments",
    "office_page",
    "offices",
    "reassign",
    "rebook",
    "revoke_feed",
    "rooms",
    "rota",
]
