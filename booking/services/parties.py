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


def save_party(*, booking: Booking, position: int, details: dict) -> None:
    """Record or change one party's details. Once they have given notice only a registrar may."""
    if booking.kind != Booking.Kind.CEREMONY or not booking.allows("change_details"):
        raise BookingRefused("not_active")
    if position not in (1, 2):
        raise BookingRefused("unknown_party")
    ceremony_day = booking.starts_at.astimezone(UK).date()
    if not rules.old_enough_to_marry(details["date_of_birth"], ceremony_day):
        raise BookingRefused("too_young")
    if details["lived_there_since"] > timezone.localdate():
        raise BookingRefused("lived_since_future")
    with transaction.atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if position in ceremony_notices(locked).given:
            raise BookingRefused("notice_given")
        Party.objects.update_or_create(booking=locked, position=position, defaults=details)


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
        for position, name in enumerate(names, start=1):
            Witness.objects.update_or_create(booking=booking, position=position, defaults={"full_name": name})
        audit_if_staff(actor, "booking.witnesses_changed", booking)
