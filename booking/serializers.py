"""API shapes for booking: the availability query and its slots, holds and bookings, party
details, witnesses and moves."""

from __future__ import annotations

from rest_framework import serializers

from identity.checks import normalise_postcode

from . import selectors
from .models import Booking, Room, Venue
from .places import Place, find_place

WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class CommaListField(serializers.CharField):
    def __init__(self, *, choices: list[str], **kwargs) -> None:
        self.choices = choices
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        values = [part.strip().lower() for part in super().to_internal_value(data).split(",") if part.strip()]
        unknown = [value for value in values if value not in self.choices]
        if unknown:
            raise serializers.ValidationError(f"Use a comma-separated list of: {', '.join(self.choices)}.")
        return values


class AvailabilityQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Booking.Kind.values)
    place = serializers.CharField(required=False, max_length=100, help_text="A postcode or a town")
    lat = serializers.FloatField(required=False, min_value=49.8, max_value=55.9)
    lon = serializers.FloatField(required=False, min_value=-6.5, max_value=2.0)
    date_from = serializers.DateField(source="from")
    date_to = serializers.DateField(source="to")
    weekdays = CommaListField(choices=WEEKDAY_NAMES, required=False)
    time_of_day = CommaListField(choices=list(selectors.TIMES_OF_DAY), required=False)
    venue_kind = serializers.ChoiceField(choices=Venue.Kind.values, required=False)
    guests = serializers.IntegerField(required=False, min_value=0, max_value=500)
    order = serializers.ChoiceField(choices=["date", "distance"], required=False, default="date")
    radius_km = serializers.FloatField(required=False, min_value=1, max_value=500)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    def to_internal_value(self, data):
        # The query string says `from` and `to`; Python cannot name fields that.
        data = data.copy()
        for outside, inside in (("from", "date_from"), ("to", "date_to")):
            if outside in data:
                data[inside] = data[outside]
        return super().to_internal_value(data)

    def validate(self, attrs):
        from .forms import search_dates_message

        attrs["date_from"], attrs["date_to"] = attrs.pop("from"), attrs.pop("to")
        problem = selectors.search_dates_problem(attrs["kind"], attrs["date_from"], attrs["date_to"])
        if problem is not None:
            field = {"date_from": "from", "date_to": "to"}[problem[0]]
            raise serializers.ValidationError({field: [search_dates_message(attrs["kind"], problem[1])]})
        place = None
        if attrs.get("place"):
            if "lat" in attrs or "lon" in attrs:
                raise serializers.ValidationError({"place": ["Give a place or coordinates, not both."]})
            place = find_place(attrs["place"])
            if place is None:
                what = "postcode" if normalise_postcode(attrs["place"]) else "place"
                raise serializers.ValidationError(
                    {"place": [f"We could not find that {what}. Enter a postcode or a town in England or Wales."]}
                )
        elif ("lat" in attrs) != ("lon" in attrs):
            raise serializers.ValidationError({"lat": ["Give both lat and lon."]})
        elif "lat" in attrs:
            place = Place("coordinates", attrs["lat"], attrs["lon"])
        if attrs["order"] == "distance" and place is None:
            raise serializers.ValidationError({"order": ["Ordering by distance needs a place or coordinates."]})
        attrs["place"] = place
        return attrs

    def search(self) -> selectors.SlotSearch:
        data = self.validated_data
        place = data["place"]
        return selectors.SlotSearch(
            kind=data["kind"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            place=place,
            weekdays=frozenset(WEEKDAY_NAMES.index(day) for day in data.get("weekdays") or WEEKDAY_NAMES),
            times_of_day=frozenset(data.get("time_of_day") or selectors.TIMES_OF_DAY),
            venue_kind=data.get("venue_kind", ""),
            guests=data.get("guests", 0),
            order=data["order"],
            radius_km=data.get("radius_km") or (40.0 if place is not None else None),
            limit=data["limit"],
        )


class VenueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Venue
        fields = ["code", "name", "welsh_name", "kind", "address", "postcode", "latitude", "longitude", "capacity"]


class SlotSerializer(serializers.Serializer):
    room_id = serializers.IntegerField(source="room.pk")
    room = serializers.CharField(source="room.name")
    venue = VenueSerializer()
    starts_at = serializers.DateTimeField(source="local_start", default_timezone=selectors.UK)
    ends_at = serializers.DateTimeField(source="local_end", default_timezone=selectors.UK)
    distance_km = serializers.FloatField(allow_null=True)


class PartySerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField()
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=20)
    lived_there_since = serializers.DateField()

    def validate_postcode(self, value):
        postcode = normalise_postcode(value)
        if postcode is None:
            raise serializers.ValidationError("Enter a real postcode, like LS1 3AD.")
        return postcode


class WitnessesSerializer(serializers.Serializer):
    names = serializers.ListField(child=serializers.CharField(max_length=200), min_length=2, max_length=2)
    aged_16_or_over = serializers.BooleanField()


class HoldRequestSerializer(serializers.Serializer):
    room_id = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), source="room")
    starts_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=Booking.Kind.values, default=Booking.Kind.CEREMONY)
    guests = serializers.IntegerField(min_value=0, max_value=500, default=0)
    ceremony = serializers.CharField(required=False, help_text="For a notice appointment: the ceremony's reference")
    party = serializers.IntegerField(required=False, min_value=1, max_value=2, help_text="For a notice appointment")


class ConfirmRequestSerializer(serializers.Serializer):
    parties = PartySerializer(many=True, required=False)
    witnesses = WitnessesSerializer(required=False)

    def validate_parties(self, value):
        if len(value) != 2:
            raise serializers.ValidationError("Give both people's details.")
        return value


class MoveRequestSerializer(serializers.Serializer):
    room_id = serializers.PrimaryKeyRelatedField(queryset=Room.objects.all(), source="room")
    starts_at = serializers.DateTimeField()


class BookingSerializer(serializers.ModelSerializer):
    starts_at = serializers.DateTimeField(default_timezone=selectors.UK, help_text="UK local time")
    ends_at = serializers.DateTimeField(default_timezone=selectors.UK)
    venue = VenueSerializer(source="room.venue")
    room_id = serializers.IntegerField(source="room.pk")
    room = serializers.CharField(source="room.name")
    parties = serializers.SerializerMethodField()
    witnesses = serializers.SerializerMethodField()
    ceremony = serializers.CharField(source="ceremony.reference", allow_null=True, default=None)

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
            "parties",
            "witnesses",
        ]

    def get_parties(self, booking) -> list[dict]:
        return [
            {"position": party.position, "full_name": party.full_name, "postcode": party.postcode}
            for party in booking.parties.all()
        ]

    def get_witnesses(self, booking) -> list[str]:
        return [witness.full_name for witness in booking.witnesses.all()]
