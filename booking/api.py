"""The booking API (`/api/v1/booking/…`): availability, holds, confirmation, moves,
cancellation and calendar files, on the same services as the pages. Every POST accepts an
`Idempotency-Key` header; a taken slot or a stale state answers 409."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from identity.api_errors import error_body

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
    description="Any unique string up to 100 characters. A retry with the same key gets the first answer again.",
)
CONFLICT = OpenApiResponse(description="The slot is taken, the hold has expired, or the booking cannot change now")
NOT_FOUND = OpenApiResponse(description="No such booking of yours")
REFUSED = OpenApiResponse(description="Invalid request or a broken rule; the error says which")
# Refusals that are about the state of the booking, not about what was sent.
CONFLICTS = {"hold_expired", "not_held", "not_active", "notice_already_booked", "notice_given"}


def _refused(reason: str) -> Response:
    code = status.HTTP_409_CONFLICT if reason in CONFLICTS else status.HTTP_400_BAD_REQUEST
    return Response(error_body(reason, refusal_message(reason)), status=code)


def _taken() -> Response:
    return Response(error_body("slot_unavailable", refusal_message("slot_unavailable")), status=409)


class CitizenBookingView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff book through the staff pages.")

    def own(self, request, reference: str) -> Booking:
        return get_object_or_404(
            Booking.objects.select_related("room__venue", "ceremony"), reference=reference, person=request.user
        )

    def booking_response(self, booking: Booking, code: int = status.HTTP_200_OK) -> Response:
        booking = Booking.objects.select_related("room__venue", "ceremony").get(pk=booking.pk)
        return Response(BookingSerializer(booking).data, status=code)


class AvailabilityView(APIView):
    """Public: anyone may see free times, as on the search page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[AvailabilityQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: REFUSED},
        tags=["booking"],
    )
    def get(self, request):
        query = AvailabilityQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.find_slots(query.search())
        return Response(SlotSerializer(slots, many=True).data)


class HoldsView(CitizenBookingView):
    @extend_schema(
        request=HoldRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={201: BookingSerializer, 400: REFUSED, 409: CONFLICT},
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
        request=ConfirmRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={
            200: BookingSerializer,
            400: REFUSED,
            404: OpenApiResponse(description="No such hold"),
            409: CONFLICT,
        },
        tags=["booking"],
    )
    @idempotent
    def post(self, request, reference: str):
        booking = self.own(request, reference)
        serializer = ConfirmRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if booking.status == Booking.Status.HELD and booking.kind == Booking.Kind.CEREMONY:
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
    @extend_schema(responses={200: BookingSerializer}, tags=["booking"])
    def get(self, request, reference: str):
        return self.booking_response(self.own(request, reference))


class RescheduleView(CitizenBookingView):
    @extend_schema(
        request=MoveRequestSerializer,
        parameters=[IDEMPOTENCY],
        responses={200: BookingSerializer, 400: REFUSED, 409: CONFLICT},
        tags=["booking"],
    )
    @idempotent
    def post(self, request, reference: str):
        booking = self.own(request, reference)
        serializer = MoveRequestSerializer(data=request.data)
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
        request=None, parameters=[IDEMPOTENCY], responses={200: BookingSerializer, 409: CONFLICT}, tags=["booking"]
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
    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.BINARY}, tags=["booking"])
    def get(self, request, reference: str):
        booking = self.own(request, reference)
        response = HttpResponse(booking_ics(booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{booking.reference}.ics"'
        return response
