"""Citizenship ceremonies: the seats of a group ceremony, each new citizen's seat at one, and
private ceremonies."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.models import User

from .bookings import Booking


class CitizenshipCeremony(models.Model):
    """The seats of a group citizenship ceremony. The ceremony itself is a `Booking` of kind
    CITIZENSHIP_GROUP (its room, its two officers, its time on the national calendar); this row
    counts its seats. `seats_taken` and `guests_taken` change only by one conditional UPDATE in
    `booking.services.citizenship`, and the check constraints refuse any count over capacity,
    so parallel bookings can never overbook it."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="citizenship")
    seats = models.PositiveIntegerField(help_text="New citizens who can attend.")
    guests_per_attendee = models.PositiveSmallIntegerField(default=2)
    guest_places = models.PositiveIntegerField(help_text="Guest chairs in the room, for all attendees together.")
    seats_taken = models.PositiveIntegerField(default=0)
    guests_taken = models.PositiveIntegerField(default=0)
    # In Wales the oath (or affirmation) and the pledge can be taken in Welsh.
    welsh_available = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(seats_taken__lte=F("seats")), name="citizenship_seats_not_overbooked"),
            models.CheckConstraint(
                condition=Q(guests_taken__lte=F("guest_places")), name="citizenship_guests_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="citizenship_at_least_one_seat"),
        ]

    def __str__(self) -> str:
        return f"Citizenship ceremony {self.booking.reference}: {self.seats_taken}/{self.seats} seats"

    @property
    def seats_left(self) -> int:
        return self.seats - self.seats_taken

    @property
    def guest_places_left(self) -> int:
        return self.guest_places - self.guests_taken

    @property
    def seats_in_words(self) -> str:
        """ "12 of 30 seats booked", for the diary, the feeds and the staff pages."""
        return ngettext("%(taken)s of %(seats)s seat booked", "%(taken)s of %(seats)s seats booked", self.seats) % {
            "taken": self.seats_taken,
            "seats": self.seats,
        }

    @property
    def guests_in_words(self) -> str:
        return ngettext(
            "%(taken)s of %(places)s guest place booked",
            "%(taken)s of %(places)s guest places booked",
            self.guest_places,
        ) % {"taken": self.guests_taken, "places": self.guest_places}


class CitizenshipSeat(models.Model):
    """One new citizen's seat at a group ceremony, with the guests they bring. Tied to the Home
    Office invitation by its reference only (booking never reaches into registrar)."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved to another ceremony")

    reference = models.CharField(max_length=20, unique=True)
    ceremony = models.ForeignKey(CitizenshipCeremony, on_delete=models.PROTECT, related_name="seat_bookings")
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="citizenship_seats")
    invitation_reference = models.CharField(max_length=40)
    guests = models.PositiveSmallIntegerField(default=0)
    welsh_oath = models.BooleanField(default=False, help_text="Takes the oath or affirmation and pledge in Welsh.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BOOKED)
    booked_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    moved_to = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_from")

    class Meta:
        ordering = ["booked_at"]
        constraints = [
            # One live seat per invitation, whatever races.
            models.UniqueConstraint(
                fields=["invitation_reference"],
                condition=Q(status="booked"),
                name="citizenship_one_seat_per_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"Seat {self.reference} ({self.get_status_display()})"


class CitizenshipPrivateCeremony(models.Model):
    """A private citizenship ceremony: a `Booking` of kind CITIZENSHIP_PRIVATE for one new citizen
    and their guests, tied to the Home Office invitation by its reference only. The fee is the
    registration domain's (registrar.citizenship)."""

    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="private_citizenship")
    invitation_reference = models.CharField(max_length=40, db_index=True)
    welsh_oath = models.BooleanField(default=False, help_text="Takes the oath or affirmation and pledge in Welsh.")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Private citizenship ceremony {self.booking.reference}"
