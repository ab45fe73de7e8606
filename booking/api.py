"""The booking API (`/api/v1/booking/…`): availability, holds, confirmation, moves,
cancellation and calendar files, and identity appointments, on the same forms and services as
the pages. Every POST accepts an `Idempotency-Key` header. A refusal from a service is answered with its own status and
message (a taken slot or a stale state is a 409) by the project's exception handler."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, form_errors_response
from core.forms import bind_json
from core.replica import reads_may_lag

from . import selectors, services
from .calendar import booking_ics_response
from .forms import (
    DEFAULT_RESULTS,
    LATITUDE_RANGE,
    LONGITUDE_RANGE,
    MAX_RESULTS,
    TIMES,
    WEEKDAY_NAMES,
    IdentityAppointmentForm,
    SearchForm,
)
from .idempotency import HEADER, idempotent
from .models import Booking, Venue, Witness
from .refusals import BookingRefused
from .serializers import (
    BookingSerializer,
    ConfirmRequestSerializer,
    HoldRequestSerializer,
    IdentityAppointmentHoldSerializer,
    IdentityAppointmentSerializer,
    MoveRequestSerializer,
    SlotSerializer,
)
from .services.parties import keep_related

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    {"type": "string", "minLength": 1, "maxLength": 100},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string of 1 to 100 characters, for example a UUID. A retry with the same key and the same "
        "request gets the first answer again (header `Idempotent-Replayed: true`) and changes nothing; the same key "
        "with a different request is refused with 422. Answers to input that fails validation are not kept."
    ),
)
BAD_REQUEST = OpenApiResponse(
    ErrorSerializer, description="Invalid input or a broken booking rule; the error says which"
)
SIGN_IN = OpenApiResponse(ErrorSerializer, description="Not signed in: send `Authorization: Bearer <token>`")
CITIZENS_ONLY = OpenApiResponse(ErrorSerializer, description="Staff book through the staff pages")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such booking of yours")
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="The slot is taken, the hold has expired, or the booking cannot change now"
)
KEY_REUSED = OpenApiResponse(ErrorSerializer, description="This Idempotency-Key was used for a different request")
SIGNED_IN = {401: SIGN_IN, 403: CITIZENS_ONLY}
OWN_BOOKING = {**SIGNED_IN, 404: NOT_FOUND}
POSTED = {400: BAD_REQUEST, 409: CONFLICT, 422: KEY_REUSED}

# The availability query names some of the search form's fields differently, and sends its
# lists comma-separated.
QUERY_TO_FORM = {"from": "date_from", "to": "date_to", "time_of_day": "times"}
FORM_TO_QUERY = {field: name for name, field in QUERY_TO_FORM.items()}
LIST_FIELDS = {"weekdays", "times"}


def _query_parameter(name: str, kind, description: str, **extra) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **extra)


def _number(minimum, maximum, kind: str = "number") -> dict:
    return {"type": kind, "minimum": minimum, "maximum": maximum}


AVAILABILITY_QUERY = [
    _query_parameter("kind", OpenApiTypes.STR, "What to book", required=True, enum=Booking.Kind.values),
    _query_parameter(
        "from", OpenApiTypes.DATE, "First day. A day before the first bookable day searches from it.", required=True
    ),
    _query_parameter(
        "to",
        OpenApiTypes.DATE,
        f"Last day; at most {settings.BOOKING_MAX_SEARCH_DAYS} days after `from`",
        required=True,
    ),
    _query_parameter("place", {"type": "string", "maxLength": 100}, "A postcode or a town. Not with lat/lon."),
    _query_parameter(
        "lat", _number(*LATITUDE_RANGE), f"Latitude, with lon ({LATITUDE_RANGE[0]} to {LATITUDE_RANGE[1]})"
    ),
    _query_parameter(
        "lon", _number(*LONGITUDE_RANGE), f"Longitude, with lat ({LONGITUDE_RANGE[0]} to {LONGITUDE_RANGE[1]})"
    ),
    _query_parameter(
        "radius_km",
        _number(1, 500),
        f"Near a place or coordinates: how far to look, 1 to 500 km (default {settings.BOOKING_SEARCH_RADIUS_KM})",
    ),
    _query_parameter(
        "weekdays", OpenApiTypes.STR, f"Comma-separated, of {', '.join(WEEKDAY_NAMES)}; for example mon,sat"
    ),
    _query_parameter("time_of_day", OpenApiTypes.STR, f"Comma-separated, of {', '.join(value for value, _l in TIMES)}"),
    _query_parameter("venue_kind", OpenApiTypes.STR, "Only this kind of venue", enum=Venue.Kind.values),
    _query_parameter("guests", _number(0, 500, "integer"), "Guests the room must hold, 0 to 500"),
    _query_parameter(
        "order",
        OpenApiTypes.STR,
        "`date` (the default), or `distance`: nearest venues first, a few slots at each; needs a place or coordinates",
        enum=["date", "distance"],
    ),
    _query_parameter(
        "limit",
        _number(1, MAX_RESULTS, "integer"),
        f"At most this many slots, 1 to {MAX_RESULTS} (default {DEFAULT_RESULTS})",
    ),
]


def _search_form(query) -> SearchForm:
    """The query bound to the search page's form, as the page would have posted it."""
    payload = {}
    for name, value in query.items():
        field = QUERY_TO_FORM.get(name, name)
        payload[field] = (
            [part.strip().lower() for part in value.split(",") if part.strip()] if field in LIST_FIELDS else value
        )
    return bind_json(SearchForm, payload)


class CitizenBookingView(APIView):
    """A signed-in citizen acting on their own bookings; anyone else's answer 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff book through the staff pages.")

    def own(self, request, reference: str, *, bookings=None) -> Booking:
        booking = get_object_or_404(
            (bookings if bookings is not None else Booking.objects).select_related("room__venue", "ceremony"),
            reference=reference,
            person=request.user,
        )
        booking.person = request.user  # who it was looked up by: not read again
        return booking

    def booking_response(self, booking: Booking, code: int = status.HTTP_200_OK, *, current: bool = False) -> Response:
        """The booking as it is now: read again, unless the service that just changed it left
        it `current` in memory (holding and booking a hold do), when only its people are read,
        and only those not kept in memory already (`services.parties.keep_related`)."""
        if current:
            prefetch_related_objects([booking], "parties", "witnesses")
        else:
            booking = (
                Booking.objects.select_related("room__venue", "ceremony")
                .prefetch_related("parties", "witnesses")
                .get(pk=booking.pk)
            )
        return Response(BookingSerializer(booking).data, status=code)

    def new_hold_response(self, booking: Booking) -> Response:
        """A hold made by this request, which has nobody's details yet."""
        return Response(BookingSerializer(booking, context={"new_hold": True}).data, status=status.HTTP_201_CREATED)


@reads_may_lag
class AvailabilityView(APIView):
    """Public, like the search page: free times are no secret, and a person looks before signing in."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="Free slots near a place or by date",
        description="The same search, with the same rules and messages, as the search page.",
        parameters=AVAILABILITY_QUERY,
        responses={200: SlotSerializer(many=True), 400: BAD_REQUEST},
        tags=["booking"],
    )
    def get(self, request):
        form = _search_form(request.query_params)
        if not form.is_valid():
            return form_errors_response(form, FORM_TO_QUERY)
        return Response(SlotSerializer(selectors.find_slots(form.search()), many=True).data)


class HoldsView(CitizenBookingView):
    @extend_schema(
        summary="Hold a slot for a few minutes",
        request=HoldRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: BookingSerializer, **SIGNED_IN, **POSTED},
        tags=["booking"],
    )
    @idempotent
    def post(self, request):
        serializer = HoldRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ceremony = None
        if data["kind"] == Booking.Kind.NOTICE and data.get("ceremony"):
            ceremony = Booking.objects.filter(reference=data["ceremony"], person=request.user).first()
            if ceremony is None:
                raise BookingRefused("not_your_ceremony")
        booking = services.hold_published_slot(
            person=request.user,
            room=data["room"],
            starts_at=data["starts_at"],
            kind=data["kind"],
            guests=data["guests"],
            ceremony=ceremony,
            party_position=data.get("party"),
        )
        return self.new_hold_response(booking)


class HoldConfirmView(CitizenBookingView):
    @extend_schema(
        summary="Book a held slot: with both people's details for a ceremony",
        request=ConfirmRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={200: BookingSerializer, **OWN_BOOKING, **POSTED},
        tags=["booking"],
    )
    @idempotent
    def post(self, request, reference: str):
        # Whether it has witnesses yet, in the same read: the answer then needs no other read
        # when it has none, as the parties given come back from the service in memory.
        booking = self.own(
            request,
            reference,
            bookings=Booking.objects.annotate(has_witnesses=Exists(Witness.objects.filter(booking=OuterRef("pk")))),
        )
        serializer = ConfirmRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        witnesses = data.get("witnesses") or {}
        services.book_held_slot(
            booking=booking,
            actor=request.user,
            parties=[dict(party) for party in data.get("parties") or []],
            witnesses=witnesses.get("names"),
            aged_16_or_over=witnesses.get("aged_16_or_over", False),
        )
        if not booking.has_witnesses and not witnesses.get("names"):
            keep_related(booking, "witnesses", [])  # none before, none given (given ones are kept)
        return self.booking_response(booking, current=True)


class BookingView(CitizenBookingView):
    @extend_schema(summary="One of your bookings", responses={200: BookingSerializer, **OWN_BOOKING}, tags=["booking"])
    def get(self, request, reference: str):
        return self.booking_response(self.own(request, reference))


class RescheduleView(CitizenBookingView):
    @extend_schema(
        summary="Move a booking to another free slot; if it cannot move, it stays where it was",
        request=MoveRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={200: BookingSerializer, **OWN_BOOKING, **POSTED},
        tags=["booking"],
    )
    @idempotent
    def post(self, request, reference: str):
        booking = self.own(request, reference)
        serializer = MoveRequestSerializer(data=request.data, context={"kind": booking.kind})
        serializer.is_valid(raise_exception=True)
        services.reschedule_booking(
            booking=booking,
            room=serializer.validated_data["room"],
            starts_at=serializer.validated_data["starts_at"],
            actor=request.user,
        )
        return self.booking_response(booking)


class CancelView(CitizenBookingView):
    @extend_schema(
        summary="Cancel a booking, and any notice appointments made for it",
        request=None,
        parameters=[IDEMPOTENCY],
        responses={200: BookingSerializer, **OWN_BOOKING, **POSTED},
        tags=["booking"],
    )
    @idempotent
    def post(self, request, reference: str):
        booking = self.own(request, reference)
        services.cancel_booking(booking=booking, actor=request.user)
        return self.booking_response(booking)


class BookingCalendarView(CitizenBookingView):
    @extend_schema(
        summary="One of your bookings as an iCalendar file",
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, **OWN_BOOKING},
        tags=["booking"],
    )
    def get(self, request, reference: str):
        return booking_ics_response(self.own(request, reference))


class IdentityAppointmentView(CitizenBookingView):
    """The identity appointment page's counterpart: whether one is offered, the one booked, and
    holding a time with the page's own form for how to meet (`forms.IdentityAppointmentForm`)."""

    @extend_schema(
        summary="Whether you may book an identity appointment with a registrar, and the one you have",
        responses={200: IdentityAppointmentSerializer, **SIGNED_IN},
        tags=["booking"],
    )
    def get(self, request):
        try:
            services.identity_case_needing_appointment(request.user)
        except BookingRefused as refused:
            reason = {"code": refused.code, "message": refused.message}
        else:
            reason = None
        appointment = selectors.identity_appointment_of(request.user)
        body = {
            "offered": reason is None and appointment is None,
            "reason": reason,
            "kinds": sorted(Booking.IDENTITY_KINDS),
            "appointment": appointment,
        }
        return Response(IdentityAppointmentSerializer(body).data)

    @extend_schema(
        summary="Hold a time for an identity appointment, by video or in person",
        description=(
            "Find times with the availability search (`kind=identity_video` or `kind=identity_in_person`), then "
            "book the hold with `POST /api/v1/booking/holds/{reference}/confirm`. Only while your identity check is "
            "with a registrar; one appointment per check."
        ),
        request=IdentityAppointmentHoldSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: BookingSerializer, **SIGNED_IN, **POSTED},
        tags=["booking"],
    )
    @idempotent
    def post(self, request):
        form = bind_json(IdentityAppointmentForm, request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            return form_errors_response(form)
        kind = form.cleaned_data["kind"]
        serializer = IdentityAppointmentHoldSerializer(data=request.data, context={"kind": kind})
        serializer.is_valid(raise_exception=True)
        booking = services.hold_published_slot(
            person=request.user,
            room=serializer.validated_data["room"],
            starts_at=serializer.validated_data["starts_at"],
            kind=kind,
        )
        return self.new_hold_response(booking)
