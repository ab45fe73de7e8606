"""Citizen pages, by topic: search the national calendar (`search`); hold a slot, enter both
people's details, check answers and book (`holds`); then manage the booking (witnesses, notice
appointments, move, cancel) from the account or from the signed link in every message
(`manage`); and identity appointments with a registrar, by video or in person, for a person whose
identity check is with a registrar (`identity_appointments`). Phone support books for a person
through these same pages inside an assisted session."""

from .holds import check, confirm, confirmation, extend, hold, notice_check, party
from .identity_appointments import identity_hold, identity_search, identity_start
from .manage import (
    calendar_file,
    cancel,
    cancel_by_link,
    manage,
    manage_link,
    mine,
    move,
    move_confirm,
    move_to,
    witnesses,
)

# The marriage journey searches for a notice interview through the same search page.
from .search import _search_page, search, start

__all__ = [
    "_search_page",
    "calendar_file",
    "cancel",
    "cancel_by_link",
    "check",
    "confirm",
    "confirmation",
    "extend",
    "hold",
    "identity_hold",
    "identity_search",
    "identity_start",
    "manage",
    "manage_link",
    "mine",
    "move",
    "move_confirm",
    "move_to",
    "notice_check",
    "party",
    "search",
    "start",
    "witnesses",
]
