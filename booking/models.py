"""Venues, rooms, bookings (held, provisional, confirmed) and the occupancy rows that make a
room or an officer busy. On PostgreSQL, exclusion constraints on the occupancy rows make
overlapping use of a room or an officer impossible (DESIGN.md invariant 2); see migration 0002."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.models import RegisterOffice, User


class Venue(models.Model):
    class Kind(models.TextChoices):
        REGISTER_OFFICE = "register_office", _("Register office")
        APPROVED_PREMISES = "approved_premises", _("Approved premises")

    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    welsh_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    office = models.ForeignKey(RegisterOffice, on_delete=models.PROTECT, related_name="venues")
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    capacity = models.PositiveIntegerField()
    accessibility_notes = models.TextField(blank=True)
    ceremony_fee_pence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["venue", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue")]

    def __str__(self) -> str:
        return f"{self.name}, {self.venue.name}"


class Booking(models.Model):
    """A ceremony or a notice appointment. A hold lasts a few minutes; confirming it makes a
    ceremony provisional (until both notices are given) or a notice appointment confirmed."""

    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("Ceremony")
        NOTICE = "notice", _("Notice appointment")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        PROVISIONAL = "provisional", _("Provisionally booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Hold expired")

    ACTIVE_STATUSES = (Status.HELD, Status.PROVISIONAL, Status.CONFIRMED)

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="bookings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    superintendent = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registrar = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_it_starts"),
            # A ceremony needs two different officers (REGISTRATION-RULES.md).
            models.CheckConstraint(
                condition=Q(superintendent__isnull=True)
                | Q(registrar__isnull=True)
                | ~Q(superintendent=F("registrar")),
                name="booking_two_different_officers",
            ),
            models.UniqueConstraint(
                fields=["person", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="booking_idempotency_key_unique_per_person",
            ),
        ]
        indexes = [models.Index(fields=["status", "hold_expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} ({self.get_status_display()})"


class Occupancy(models.Model):
    """One resource (a room, or an officer including travel time) busy for a booking.
    Inactive rows are history: a cancelled or expired booking frees everything at once."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupancies")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(room__isnull=False) & Q(officer__isnull=True))
                | (Q(room__isnull=True) & Q(officer__isnull=False)),
                name="occupancy_is_a_room_or_an_officer",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="occupancy_ends_after_it_starts"),
        ]
        indexes = [
            models.Index(fields=["room", "starts_at"], name="occupancy_room_time"),
            models.Index(fields=["officer", "starts_at"], name="occupancy_officer_time"),
        ]

    def __str__(self) -> str:
        return f"{self.room or self.officer} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
