"""The booking API (`/api/v1/booking/…`): availability, holds, confirmation, moves,
cancellation and calendar files, on the same services as the pages. Every POST accepts an
`Idempotency-Key` header; a taken slot or a stale state answers 409."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, error_body

from . import selectors, services
from .calendar import booking_ics
from .idempotency import HEADER, idempotent
from .messages import refusal_message
from .models import Booking
from .serializers import (
    AvailabilityQuerySerializer,
    BookingSerializer,
    ConfirmRequestSerializer,
    HoldRequestSerializer,
    MoveRequestSerializer,
    SlotSerializer,
)

IDEMPOTENCY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
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
# Refusals that are about the state of the booking, not about what was sent.
CONFLICTS = {"hold_expired", "not_held", "not_active", "notice_already_booked", "notice_given", "ceremony_not_booked"}


def _refused(reason: str) -> Response:
    code = status.HTTP_409_CONFLICT if reason in CONFLICTS else status.HTTP_400_BAD_REQUEST
    return Response(error_body(reason, refusal_message(reason)), status=code)


def _taken() -> Response:
    return Response(error_body("slot_unavailable", refusal_message("slot_unavailable")), status=409)


class CitizenBookingView(APIView):
    """A signed-in citizen acting on their own bookings; anyone else's answer 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff book through the staff pages.")

    def own(self, request, reference: str) -> Booking:
        return get_object_or_404(
            Booking.objects.select_related("room__venue", "ceremony"), reference=reference, person=request.user
        )

    def booking_response(self, booking: Booking, code: int = status.HTTP_200_OK) -> Response:
        booking = (
            Booking.objects.select_related("room__venue", "ceremony")
            .prefetch_related("parties", "witnesses")
            .get(pk=booking.pk)
        )
        return Response(BookingSerializer(booking).data, status=code)


class AvailabilityView(APIView):
    """Public, like the search page: free times are no secret, and a person looks before signing in."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        summary="Free slots near a place or by date",
        parameters=[AvailabilityQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: BAD_REQUEST},
        tags=["booking"],
    )
    def get(self, request):
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.find_slots(query.search())
        return Response(SlotSerializer(slots, many=True).data)


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
                return _refused("not_your_ceremony")
        try:
            booking = services.hold_published_slot(
                person=request.user,
                room=data["room"],
                starts_at=data["starts_at"],
                kind=data["kind"],
                guests=data["guests"],
                ceremony=ceremony,
                party_position=data.get("party"),
            )
        except services.SlotUnavailable:
            return _taken()
        except services.BookingRefused as refused:
            return _refused(refused.reason)
        return self.booking_response(booking, status.HTTP_201_CREATED)


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
        booking = self.own(request, reference)
        serializer = ConfirmRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if booking.status != Booking.Status.HELD:
            # confirm_hold asks for the details before it looks at the state; a swept hold or a
            # booking already made is a conflict, whatever details were sent.
            return _refused("hold_expired" if booking.status == Booking.Status.EXPIRED else "not_held")
        try:
            # Details and confirmation stand or fall together: a refused confirmation leaves the
            # hold as it was before this request.
            with transaction.atomic():
                if booking.kind == Booking.Kind.CEREMONY:
                    for position, party in enumerate(data.get("parties") or [], start=1):
                        services.save_party(booking=booking, position=position, details=dict(party))
                    if data.get("witnesses"):
                        services.save_witnesses(
                            booking=booking,
                            names=data["witnesses"]["names"],
                            aged_16_or_over=data["witnesses"]["aged_16_or_over"],
                        )
                services.confirm_hold(booking=booking, actor=request.user)
        except services.BookingRefused as refused:
            return _refused(refused.reason)
        return self.booking_response(booking)


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
        try:
            services.reschedule_booking(
                booking=booking,
                room=serializer.validated_data["room"],
                starts_at=serializer.validated_data["starts_at"],
                actor=request.user,
            )
        except services.SlotUnavailable:
            return _taken()
        except services.BookingRefused as refused:
            return _refused(refused.reason)
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
        try:
            services.cancel_booking(booking=booking, actor=request.user)
        except services.BookingRefused as refused:
            return _refused(refused.reason)
        return self.booking_response(booking)


class BookingCalendarView(CitizenBookingView):
    @extend_schema(
        summary="One of your bookings as an iCalendar file",
        responses={(200, "text/calendar"): OpenApiTypes.BINARY, **OWN_BOOKING},
        tags=["booking"],
    )
    def get(self, request, reference: str):
        booking = self.own(request, reference)
        response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
        return response
