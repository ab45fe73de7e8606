"""API shapes for booking: slots, holds and bookings, party details, witnesses and moves. The
availability query is validated by the search page's own form (`forms.SearchForm`)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.dates import in_words
from core.names import RegisterNameValidator, tidy
from core.openapi import PostcodeField
from core.places import normalise_postcode

from . import selectors
from .models import Booking, Room, Venue


class VenueSerializer(serializers.ModelSerializer):
    lat = serializers.FloatField(source="latitude")
    lon = serializers.FloatField(source="longitude")

    class Meta:
        model = Venue
        fields = [
            "code",
            "name",
            "welsh_name",
            "kind",
            "address",
            "postcode",
            "lat",
            "lon",
            "capacity",
            "ceremony_fee_pence",
            "accessibility_notes",
        ]


class SlotSerializer(serializers.Serializer):
    room_id = serializers.IntegerField(source="room.pk")
    room = serializers.CharField(source="room.name")
    venue = VenueSerializer()
    starts_at = serializers.DateTimeField(source="local_start", help_text="UK local time, with its offset")
    ends_at = serializers.DateTimeField(source="local_end", help_text="UK local time, with its offset")
    distance_km = serializers.SerializerMethodField(help_text="From the place searched, to 0.1 km; null without one")

    def get_distance_km(self, slot) -> float | None:
        return None if slot.distance_km is None else round(slot.distance_km, 1)

    def to_representation(self, slot) -> dict:
        """What the fields above give (and the schema says), built directly: the availability
        search answers pages of slots all day, and a venue reads the same in every one of them."""
        return {
            "room_id": slot.room.pk,
            "room": slot.room.name,
            "venue": _venue_representation(slot.room.venue),
            "starts_at": _iso_datetime(slot.local_start),
            "ends_at": _iso_datetime(slot.local_end),
            "distance_km": self.get_distance_km(slot),
        }


def _venue_representation(venue: Venue) -> dict:
    """The venue as `VenueSerializer` gives it, kept on the venue: the search's venues belong to
    the calendar it keeps in memory (`selectors.Calendar`), which is read again, with new venues,
    whenever a venue changes. Nothing in it depends on the language of the request."""
    found = venue.__dict__.get("_api_representation")
    if found is None:
        found = venue.__dict__["_api_representation"] = VenueSerializer(venue).data
    return found


def _iso_datetime(value) -> str:
    """As DRF's DateTimeField writes an aware time in ISO 8601: UTC as Z."""
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class PartySerializer(serializers.Serializer):
    # The same rule for a name in a register as the page's (core.names).
    full_name = serializers.CharField(max_length=200, validators=[RegisterNameValidator("full_name", _("Full name"))])
    date_of_birth = serializers.DateField()
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    postcode = PostcodeField()
    lived_there_since = serializers.DateField(help_text="When they moved to the address at this postcode")

    def validate_full_name(self, value):
        return tidy(value)

    def validate(self, attrs):
        # Left out, the address is blank: a party saved again without one loses the old one.
        return {"email": "", **attrs}

    def validate_postcode(self, value):
        postcode = normalise_postcode(value)
        if postcode is None:
            raise serializers.ValidationError(_("Enter a real postcode, like LS1 3AD."))
        return postcode


class WitnessesSerializer(serializers.Serializer):
    # The witnesses' names go into the marriage register: the same rule as the page's (core.names).
    names = serializers.ListField(
        child=serializers.CharField(max_length=200, validators=[RegisterNameValidator("full_name", _("Full name"))]),
        min_length=2,
        max_length=2,
    )
    aged_16_or_over = serializers.BooleanField()


class SlotChoiceSerializer(serializers.Serializer):
    """A room and a start time taken from the availability search. A time the room never offers
    is bad input (400); a time offered but no longer free is a conflict (409, from the service)."""

    room_id = serializers.PrimaryKeyRelatedField(
        queryset=Room.objects.select_related("venue"),
        source="room",
        error_messages={
            "does_not_exist": _("There is no room {pk_value}. Use a room_id from the availability search.")
        },
    )
    starts_at = serializers.DateTimeField(help_text="A slot's starts_at from the availability search")

    def slot_kind(self, attrs) -> str:
        return self.context["kind"]

    def validate(self, attrs):
        kind, starts_at = self.slot_kind(attrs), attrs["starts_at"]
        if starts_at <= timezone.now():
            raise serializers.ValidationError({"starts_at": [_("That time has passed. Choose a time in the future.")]})
        first, last = selectors.bookable_dates(kind)
        if not first <= starts_at.astimezone(selectors.UK).date() <= last:
            raise serializers.ValidationError(
                {
                    "starts_at": [
                        _("Choose a day from %(first)s to %(last)s.")
                        % {"first": in_words(first), "last": in_words(last)}
                    ]
                }
            )
        if not selectors.is_pattern_start(room=attrs["room"], starts_at=starts_at, kind=kind):
            raise serializers.ValidationError(
                {
                    "starts_at": [
                        _("That room has no slot starting at that time. Choose one from the availability search.")
                    ]
                }
            )
        return attrs


class HoldRequestSerializer(SlotChoiceSerializer):
    kind = serializers.ChoiceField(choices=Booking.Kind.values)
    guests = serializers.IntegerField(min_value=0, max_value=500, default=0)
    ceremony = serializers.CharField(
        required=False, max_length=20, help_text="For a notice appointment: the reference of your ceremony"
    )
    party = serializers.IntegerField(
        required=False, min_value=1, max_value=2, help_text="For a notice appointment: which of the two people, 1 or 2"
    )

    def slot_kind(self, attrs) -> str:
        return attrs["kind"]

    def validate(self, attrs):
        if attrs["kind"] == Booking.Kind.NOTICE and attrs.get("ceremony") and not attrs.get("party"):
            raise serializers.ValidationError({"party": [_("Say whose notice appointment this is: 1 or 2.")]})
        return super().validate(attrs)


class MoveRequestSerializer(SlotChoiceSerializer):
    """The booking's kind comes from the booking (context["kind"])."""


class IdentityAppointmentHoldSerializer(SlotChoiceSerializer):
    """A time for an identity appointment; the kind is read with the page's form first."""

    kind = serializers.ChoiceField(
        choices=sorted(Booking.IDENTITY_KINDS), help_text="identity_video or identity_in_person"
    )


class ConfirmRequestSerializer(serializers.Serializer):
    parties = PartySerializer(many=True, required=False, help_text="Both people, for a ceremony")
    witnesses = WitnessesSerializer(required=False, help_text="May also be given later")

    def validate_parties(self, value):
        if len(value) != 2:
            raise serializers.ValidationError(_("Give both people's details."))
        return value


class BookingSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(default_timezone=selectors.UK, help_text="UK local time, with its offset")
    ends_at = serializers.DateTimeField(default_timezone=selectors.UK, help_text="UK local time, with its offset")
    hold_expires_at = serializers.DateTimeField(
        default_timezone=selectors.UK, allow_null=True, help_text="While held: when the hold runs out"
    )
    venue = VenueSerializer(source="room.venue")
    room_id = serializers.IntegerField(source="room.pk")
    room = serializers.CharField(source="room.name")
    parties = serializers.SerializerMethodField()
    witnesses = serializers.SerializerMethodField()
    ceremony = serializers.CharField(
        source="ceremony.reference", allow_null=True, default=None, help_text="For a notice appointment"
    )
    identity_case = serializers.CharField(
        source="identity_case.reference",
        allow_null=True,
        default=None,
        help_text="For an identity appointment: the identity check it is for",
    )
    video_join_url = serializers.SerializerMethodField(help_text="For a booked video appointment: the call to join")

    class Meta:
        model = Booking
        fields = [
            "reference",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "hold_expires_at",
            "guests",
            "venue",
            "room_id",
            "room",
            "ceremony",
            "identity_case",
            "video_join_url",
            "parties",
            "witnesses",
        ]

    def get_video_join_url(self, booking) -> str | None:
        return booking.video_join_url if booking.is_video and booking.is_booked else None

    # A hold the request has just made (context `new_hold`) has nobody's details to read.

    def get_parties(self, booking) -> list[dict]:
        if self.context.get("new_hold"):
            return []
        return [
            {"position": party.position, "full_name": party.full_name, "postcode": party.postcode}
            for party in booking.parties.all()
        ]

    def get_witnesses(self, booking) -> list[str]:
        if self.context.get("new_hold"):
            return []
        return [witness.full_name for witness in booking.witnesses.all()]


class _RefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class IdentityAppointmentSerializer(serializers.Serializer):
    offered = serializers.BooleanField(help_text="Whether you may book one now")
    reason = _RefusalSerializer(allow_null=True, help_text="Why not, when not offered and none is booked")
    kinds = serializers.ListField(child=serializers.CharField(), help_text="The kinds to search and hold")
    appointment = BookingSerializer(allow_null=True, help_text="Your held or booked identity appointment")
