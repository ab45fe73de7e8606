"""Bookings (held, provisional, confirmed), the two parties and the witnesses of a ceremony, the
occupancy rows that make a room or an officer busy, and the first answer to an idempotent API
request. On PostgreSQL, exclusion constraints on the occupancy rows make overlapping use of a room
or an officer impossible (DESIGN.md invariant 2); see migrations 0002 and 0006, and
`booking.commitments` for when an officer is busy."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from identity.models import IdentityCase, User

from .venues import Room, Venue


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
