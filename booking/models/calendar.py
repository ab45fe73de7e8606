"""What the published calendar is made of besides venues and rooms: each room's weekly opening
patterns, closures, bank holidays, the officers' rota and absences, the secret calendar feeds of a
diary, and the stamp that changes with every write to any of it."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.models import RegisterOffice, User

from .bookings import Booking
from .venues import Room, Venue


class RoomPattern(models.Model):
    """When a room is open for bookings each week: slots of `duration` every `duration + gap`
    minutes from `opens` until `closes`, in UK local time, for one kind of booking."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="patterns")
    kind = models.CharField(max_length=20, choices=Booking.Kind.choices)
    weekday = models.PositiveSmallIntegerField(help_text="Monday is 0, Sunday is 6")
    opens = models.TimeField()
    closes = models.TimeField()
    duration_minutes = models.PositiveIntegerField()
    gap_minutes = models.PositiveIntegerField(default=15)
    valid_from = models.DateField(null=True, blank=True)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["room", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="pattern_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="pattern_closes_after_it_opens"),
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="pattern_duration_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.room} weekday {self.weekday} {self.opens:%H:%M}-{self.closes:%H:%M}"


class Closure(models.Model):
    """A venue, or one room of it, closed for whole days (inclusive)."""

    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="closures")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="closure_ends_on_or_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.room or self.venue} closed {self.starts_on}–{self.ends_on}"


class BankHoliday(models.Model):
    """England and Wales bank holidays (the GOV.UK list's england-and-wales division)."""

    date = models.DateField(unique=True)
    title = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class RotaShift(models.Model):
    """An officer's weekly working hours at an office, in UK local time."""

    officer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="rota_shifts")
    office = models.ForeignKey(RegisterOffice, on_delete=models.CASCADE, related_name="rota_shifts")
    weekday = models.PositiveSmallIntegerField(help_text="Monday is 0, Sunday is 6")
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["officer", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="shift_weekday_0_to_6"),
            models.CheckConstraint(condition=Q(ends__gt=F("starts")), name="shift_ends_after_it_starts"),
            models.UniqueConstraint(fields=["officer", "weekday", "starts"], name="shift_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} at {self.office} weekday {self.weekday} {self.starts:%H:%M}-{self.ends:%H:%M}"


class OfficerAbsence(models.Model):
    """Leave or sickness for whole days (inclusive). An absent officer is offered no slots."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("Leave")
        SICKNESS = "sickness", _("Sickness")

    officer = models.ForeignKey(User, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="absence_ends_on_or_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.get_kind_display()} {self.starts_on}–{self.ends_on}"


class CalendarFeed(models.Model):
    """A secret iCalendar URL for an office's or an officer's diary. Only a hash of the token
    is stored; revoking deletes the row."""

    token_hash = models.CharField(max_length=64, unique=True)
    office = models.ForeignKey(RegisterOffice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(office__isnull=False) & Q(officer__isnull=True))
                | (Q(office__isnull=True) & Q(officer__isnull=False)),
                name="feed_is_for_an_office_or_an_officer",
            )
        ]

    def __str__(self) -> str:
        return f"Calendar feed for {self.office or self.officer}"


class CalendarStamp(models.Model):
    """One row whose token changes, by database triggers (migration 0011), with every write to
    what the published calendar is made of: venues, rooms, patterns, closures, bank holidays,
    the rota, absences, officers' roles and offices. The availability search keeps that part in
    memory under the token it read, so every write path, the admin and bulk loads included, is
    seen by the next search; a rolled-back write leaves the token as it was, with the data."""

    token = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.token
