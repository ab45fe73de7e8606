"""The couple's details and their witnesses, recorded while the ceremony can still change."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from identity.models import User

from .. import rules
from ..ceremony_notices import ceremony_notices
from ..models import Booking, Party, Witness
from ..refusals import BookingRefused
from ..selectors import UK
from .transitions import audit_if_staff

# What a person enters about each party (`forms.PartyForm`, `serializers.PartySerializer`).
PARTY_DETAILS = ["full_name", "date_of_birth", "email", "postcode", "lived_there_since"]


def check_party(*, booking: Booking, details: dict) -> None:
    """The rules one party's details must meet, before anything is written."""
    if booking.kind != Booking.Kind.CEREMONY or not booking.allows("change_details"):
        raise BookingRefused("not_active")
    ceremony_day = booking.starts_at.astimezone(UK).date()
    if not rules.old_enough_to_marry(details["date_of_birth"], ceremony_day):
        raise BookingRefused("too_young")
    if details["lived_there_since"] > timezone.localdate():
        raise BookingRefused("lived_since_future")


def record_parties(*, booking: Booking, parties: list[dict]) -> list[Party]:
    """Both people's details at once (positions 1 and 2, checked with `check_party`), inside the
    caller's transaction, which has just made the live hold a booking (`holds._swap_hold`) and so
    holds its row locked: one statement that adds or replaces them. Nobody can have given notice
    for a hold (a proposal is started only for a provisional or booked ceremony, and a booking
    never becomes a hold again), so the notices are not read; the parties written are kept on
    the booking in memory, as if prefetched, and returned."""
    if booking.status != Booking.Status.HELD:
        raise BookingRefused("not_held")
    made = _upsert_parties(booking, dict(enumerate(parties, start=1)))
    keep_related(booking, "parties", made)
    return made


def keep_related(booking: Booking, name: str, rows: list) -> None:
    """`rows` as the booking's prefetched `name` (its parties or witnesses), as
    `prefetch_related` leaves them: what a service has just written need not be read back."""
    queryset = getattr(booking, name).get_queryset()
    queryset._result_cache = sorted(rows, key=lambda row: row.position)
    queryset._prefetch_done = True
    if not hasattr(booking, "_prefetched_objects_cache"):
        booking._prefetched_objects_cache = {}
    booking._prefetched_objects_cache[name] = queryset


def _upsert_parties(booking: Booking, details_by_position: dict[int, dict]) -> list[Party]:
    """One statement that adds the parties, or replaces the details of those already there."""
    return Party.objects.bulk_create(
        [Party(booking=booking, position=position, **details) for position, details in details_by_position.items()],
        update_conflicts=True,
        unique_fields=["booking", "position"],
        # Only what was given is replaced, as `update_or_create` with these defaults would.
        update_fields=[
            name for name in PARTY_DETAILS if any(name in details for details in details_by_position.values())
        ],
    )


def save_party(*, booking: Booking, position: int, details: dict) -> None:
    """Record or change one party's details. Once they have given notice only a registrar may."""
    if position not in (1, 2):
        raise BookingRefused("unknown_party")
    check_party(booking=booking, details=details)
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if position in ceremony_notices(locked).given:
            raise BookingRefused("notice_given")
        _upsert_parties(locked, {position: details})


def save_witnesses(*, booking: Booking, names: list[str], aged_16_or_over: bool, actor: User | None = None) -> None:
    """The witnesses, named any time before the ceremony; `aged_16_or_over` is the person's
    confirmation that each is old enough (WITNESS_MINIMUM_AGE)."""
    names = [" ".join((name or "").split()) for name in names]
    if booking.kind != Booking.Kind.CEREMONY or not booking.allows("change_details"):
        raise BookingRefused("not_active")
    if booking.starts_at <= timezone.now():
        raise BookingRefused("in_the_past")
    if len(names) != settings.CEREMONY_WITNESSES or not all(names):
        raise BookingRefused("two_witnesses")
    if not aged_16_or_over:
        raise BookingRefused("witness_age")
    with transaction.atomic():
        Booking.objects.select_for_update().get(pk=booking.pk)
        witnesses = [
            Witness.objects.update_or_create(booking=booking, position=position, defaults={"full_name": name})[0]
            for position, name in enumerate(names, start=1)
        ]
        audit_if_staff(actor, "booking.witnesses_changed", booking)
    keep_related(booking, "witnesses", witnesses)
