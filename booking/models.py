"""Venues, rooms, bookings (held, provisional, confirmed) and the occupancy rows that make a
room or an officer busy. On PostgreSQL, exclusion constraints on the occupancy rows make
overlapping use of a room or an officer impossible (DESIGN.md invariant 2); see migrations 0002
and 0006, and `booking.commitments` for when an officer is busy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from identity.models import IdentityCase, RegisterOffice, User


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

    @property
    def ceremony_fee_pounds(self) -> str:
        return f"£{self.ceremony_fee_pence / 100:,.2f}"


class Room(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField()

    class Meta:
        ordering = ["venue", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="room_name_unique_per_venue")]

    def __str__(self) -> str:
        return f"{self.name}, {self.venue.name}"


class BookingQuerySet(models.QuerySet):
    def transition(self, action: str, **changes) -> int:
        """Apply `action` of `Booking.TRANSITIONS` to the rows still in one of its starting
        statuses, in one UPDATE: a compare-and-swap, so a row another request has moved on
        meanwhile is left alone and not counted."""
        sources, target = Booking.TRANSITIONS[action]
        if target is not None:
            changes["status"] = target
        return self.filter(status__in=sources).update(**changes)


class Booking(models.Model):
    """A ceremony, a notice appointment or an identity appointment. A hold lasts a few minutes;
    confirming it makes a ceremony provisional (until both notices are given) and an appointment
    confirmed. An identity appointment is for a person whose identity check could not reach
    medium confidence online: a registrar compares them with their document, by video (an
    officer's time only, no room) or in person at a register office (a room and an officer)."""

    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("Ceremony")
        NOTICE = "notice", _("Notice appointment")
        IDENTITY_VIDEO = "identity_video", _("Identity video appointment")
        IDENTITY_IN_PERSON = "identity_in_person", _("Identity appointment in person")
        # A notice of marriage interview by video: an officer's time only, no room.
        NOTICE_VIDEO = "notice_video", _("Notice interview by video")
        # A group citizenship ceremony (its seats are `CitizenshipCeremony`), or a private one for
        # one new citizen and their guests, for a fee.
        CITIZENSHIP_GROUP = "citizenship_group", _("Group citizenship ceremony")
        CITIZENSHIP_PRIVATE = "citizenship_private", _("Private citizenship ceremony")

    # The kinds that are for one person's identity check (`identity_case`).
    IDENTITY_KINDS = frozenset({Kind.IDENTITY_VIDEO, Kind.IDENTITY_IN_PERSON})
    # The kinds that take a room; a video appointment needs only an officer.
    ROOM_KINDS = frozenset(
        {Kind.CEREMONY, Kind.NOTICE, Kind.IDENTITY_IN_PERSON, Kind.CITIZENSHIP_GROUP, Kind.CITIZENSHIP_PRIVATE}
    )
    CITIZENSHIP_KINDS = frozenset({Kind.CITIZENSHIP_GROUP, Kind.CITIZENSHIP_PRIVATE})
    # The kinds a superintendent registrar and a registrar take together, as at a wedding.
    TWO_OFFICER_KINDS = frozenset({Kind.CEREMONY, Kind.CITIZENSHIP_GROUP})
    # The kinds held as a video call (a random room token, no room).
    VIDEO_KINDS = frozenset({Kind.IDENTITY_VIDEO, Kind.NOTICE_VIDEO})

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        PROVISIONAL = "provisional", _("Provisionally booked")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Hold expired")
        RELEASED = "released", _("Released: notice not given in time")

    # Booked: made, provisionally or for good. Active: holding its room and officers.
    BOOKED = frozenset({Status.PROVISIONAL, Status.CONFIRMED})
    ACTIVE = frozenset({Status.HELD}) | BOOKED
    # A confirmation that fails on these found a hold that ran out, swept yet or not.
    HOLD_RAN_OUT = frozenset({Status.HELD, Status.EXPIRED})

    # Every change of a booking: action -> (the statuses it may start from, the status it
    # leaves, or None when the status stays). Services apply them with
    # `Booking.objects.filter(...).transition(action)`; what a person may do now is read from
    # the same table (`Booking.allows`).
    TRANSITIONS = {
        "book_ceremony": (frozenset({Status.HELD}), Status.PROVISIONAL),  # until both notices are given
        "book_notice": (frozenset({Status.HELD}), Status.CONFIRMED),
        "book_identity_appointment": (frozenset({Status.HELD}), Status.CONFIRMED),
        # A citizenship ceremony, group or private, is confirmed when it is booked.
        "book_citizenship": (frozenset({Status.HELD}), Status.CONFIRMED),
        "extend_hold": (frozenset({Status.HELD}), None),
        "expire": (frozenset({Status.HELD}), Status.EXPIRED),
        "confirm": (frozenset({Status.PROVISIONAL}), Status.CONFIRMED),  # both notices allow the date
        "release": (frozenset({Status.PROVISIONAL}), Status.RELEASED),  # notice not given in time
        "cancel": (ACTIVE, Status.CANCELLED),
        "change_details": (ACTIVE, None),  # the couple's details and witnesses
        "move": (BOOKED, None),
        "change_officers": (BOOKED, None),
        "book_notice_appointment": (BOOKED, None),
    }

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="bookings")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    superintendent = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registrar = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    guests = models.PositiveIntegerField(default=0)
    # A notice appointment is for one party of one ceremony.
    ceremony = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="notice_appointments"
    )
    # An identity appointment is for one identity check. No reverse name: identity never
    # reaches into booking.
    identity_case = models.ForeignKey(IdentityCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # A video appointment's call: random, so the join link says nothing about the person.
    video_room_token = models.CharField(max_length=64, blank=True)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

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
            # An identity appointment always names its identity check; nothing else does.
            models.CheckConstraint(
                condition=Q(kind__in=["identity_video", "identity_in_person"], identity_case__isnull=False)
                | (~Q(kind__in=["identity_video", "identity_in_person"]) & Q(identity_case__isnull=True)),
                name="booking_identity_case_for_identity_appointments",
            ),
            # Only a video appointment has a call to join.
            models.CheckConstraint(
                condition=(Q(kind__in=["identity_video", "notice_video"]) & ~Q(video_room_token=""))
                | (~Q(kind__in=["identity_video", "notice_video"]) & Q(video_room_token="")),
                name="booking_video_room_for_video_appointments",
            ),
            # One live identity appointment per identity check: a second is moved to, not added.
            models.UniqueConstraint(
                fields=["identity_case"],
                condition=Q(status__in=["held", "provisional", "confirmed"], identity_case__isnull=False),
                name="one_active_identity_appointment_per_case",
            ),
            models.UniqueConstraint(
                fields=["video_room_token"], condition=~Q(video_room_token=""), name="video_room_token_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "hold_expires_at"]),
            models.Index(fields=["created_at"], name="booking_made"),
        ]
        permissions = [
            ("manage_diary", "Can manage an office's diary, rooms, rota and closures"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_booked(self) -> bool:
        return self.status in self.BOOKED

    def hold_has_run_out(self, now=None) -> bool:
        return self.status == self.Status.HELD and self.hold_expires_at <= (now or timezone.now())

    def current_status(self, now=None) -> str:
        """The status as it is now: a hold past its time has expired, even before the sweeper
        marks it."""
        return self.Status.EXPIRED if self.hold_has_run_out(now) else self.status

    @property
    def ceremony_booking(self) -> Booking | None:
        """The ceremony itself, or the one a notice appointment is for; None for an identity appointment."""
        if self.kind in self.IDENTITY_KINDS:
            return None
        return self.ceremony if self.kind in (self.Kind.NOTICE, self.Kind.NOTICE_VIDEO) else self

    @property
    def booking_action(self) -> str:
        """The transition that books this hold: a ceremony is provisional, an appointment confirmed."""
        if self.kind == self.Kind.CEREMONY:
            return "book_ceremony"
        if self.kind in self.CITIZENSHIP_KINDS:
            return "book_citizenship"
        return "book_identity_appointment" if self.kind in self.IDENTITY_KINDS else "book_notice"

    @property
    def is_identity_appointment(self) -> bool:
        return self.kind in self.IDENTITY_KINDS

    @property
    def is_video(self) -> bool:
        return self.kind in self.VIDEO_KINDS

    @property
    def needs_room(self) -> bool:
        return self.kind in self.ROOM_KINDS

    @property
    def video_join_url(self) -> str:
        """Where the person and the registrar meet for a video appointment (IDENTITY_VIDEO_ROOM_URL
        with the booking's random room token); empty for any other booking."""
        if not self.video_room_token:
            return ""
        return settings.IDENTITY_VIDEO_ROOM_URL.format(token=self.video_room_token)

    def allows(self, action: str, now=None) -> bool:
        """Whether `TRANSITIONS` lets `action` happen to this booking now."""
        return self.current_status(now) in self.TRANSITIONS[action][0]

    @property
    def venue(self) -> Venue:
        return self.room.venue


# The permissions a member of staff needs for an office's diary (Booking.Meta.permissions).
MANAGE_DIARY = "booking.manage_diary"


class Occupancy(models.Model):
    """One resource busy for a booking: a room for the booking's own times, or an officer for
    their commitment (`booking.commitments`): at the venue until the changeover after it is
    done, and away from their office for the journey each way too. Inactive rows are history:
    a cancelled or expired booking frees everything at once."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupancies")
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Where the booking is: an officer's bookings at one venue need no journey between them.
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # An officer's time away from their office; a room's row has its own times here.
    away_from = models.DateTimeField()
    away_until = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(room__isnull=False) & Q(officer__isnull=True))
                | (Q(room__isnull=True) & Q(officer__isnull=False)),
                name="occupancy_is_a_room_or_an_officer",
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="occupancy_ends_after_it_starts"),
            models.CheckConstraint(
                condition=Q(away_from__lte=F("starts_at"), away_until__gte=F("ends_at")),
                name="occupancy_away_covers_the_time_there",
            ),
        ]
        indexes = [
            models.Index(fields=["room", "starts_at"], name="occupancy_room_time"),
            models.Index(fields=["officer", "starts_at"], name="occupancy_officer_time"),
            # The search reads the commitments whose time away reaches into the days it shows.
            models.Index(fields=["officer", "away_from"], name="occupancy_officer_away"),
        ]

    def __str__(self) -> str:
        return f"{self.room or self.officer} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Party(models.Model):
    """One of the two people marrying or forming a civil partnership."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(max_length=200)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    postcode = models.CharField(max_length=10)
    lived_there_since = models.DateField()

    class Meta:
        ordering = ["booking", "position"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "position"], name="party_position_unique"),
            models.CheckConstraint(condition=Q(position__in=[1, 2]), name="party_position_one_or_two"),
        ]

    def __str__(self) -> str:
        return self.full_name


class Witness(models.Model):
    """Two witnesses aged 16 or over, named before the ceremony (REGISTRATION-RULES.md)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="witnesses")
    position = models.PositiveSmallIntegerField()
    full_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["booking", "position"]
        constraints = [models.UniqueConstraint(fields=["booking", "position"], name="witness_position_unique")]

    def __str__(self) -> str:
        return self.full_name


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


class IdempotentRequest(models.Model):
    """The first answer to a POST sent with an Idempotency-Key; a retry gets it again."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="idempotent_request_unique_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"


# --- Citizenship ceremonies --------------------------------------------------------------------


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


class CalendarStamp(models.Model):
    """One row whose token changes, by database triggers (migration 0011), with every write to
    what the published calendar is made of: venues, rooms, patterns, closures, bank holidays,
    the rota, absences, officers' roles and offices. The availability search keeps that part in
    memory under the token it read, so every write path, the admin and bulk loads included, is
    seen by the next search; a rolled-back write leaves the token as it was, with the data."""

    token = models.CharField(max_length=40)

    def __str__(self) -> str:
        return self.token
