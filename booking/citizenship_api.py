"""The citizenship ceremonies API (`/api/v1/citizenship/ceremonies…`): the group ceremonies a new
citizen may book (anyone may look, as at free times), and for staff of an office scheduling and
cancelling its group ceremonies, with the same forms (`booking.citizenship_forms`) and services
as the staff pages. A refusal is answered with its own status and message by the project's
exception handler."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import INVALID_MESSAGE, ErrorSerializer, error_body, form_errors_response
from core.forms import bind_json

from . import services
from .citizenship_forms import CancelCeremonyForm, GroupCeremonyForm, OpenCeremoniesForm
from .models import MANAGE_DIARY, CitizenshipCeremony
from .selectors.citizenship import ceremonies_open_to, ceremony_by_reference
from .staff_views.citizenship import group_ceremony_choices, schedule_from_form

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="Invalid input or a broken rule; the error says which")
SIGN_IN = OpenApiResponse(ErrorSerializer, description="Not signed in: send `Authorization: Bearer <token>`")
STAFF_ONLY = OpenApiResponse(ErrorSerializer, description="Staff of the office, with the diary permission, only")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such group ceremony at your offices")
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="The room or an officer is busy then, or the ceremony is cancelled already"
)
STAFF = {401: SIGN_IN, 403: STAFF_ONLY}


class CeremonySerializer(serializers.Serializer):
    reference = serializers.CharField(source="booking.reference", help_text="The ceremony's booking reference")
    status = serializers.CharField(source="booking.status")
    starts_at = serializers.DateTimeField(source="booking.starts_at", help_text="UK local time, with its offset")
    ends_at = serializers.DateTimeField(source="booking.ends_at", help_text="UK local time, with its offset")
    office = serializers.CharField(source="booking.room.venue.office.code")
    office_name = serializers.CharField(source="booking.room.venue.office.name")
    venue = serializers.CharField(source="booking.room.venue.name")
    address = serializers.CharField(source="booking.room.venue.address")
    postcode = serializers.CharField(source="booking.room.venue.postcode")
    room = serializers.CharField(source="booking.room.name")
    seats = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    seats_in_words = serializers.CharField(help_text='For example "12 of 30 seats booked"')
    guests_per_attendee = serializers.IntegerField(help_text="Guests each new citizen may bring")
    guest_places_left = serializers.IntegerField()
    welsh_available = serializers.BooleanField(help_text="Whether the oath and pledge can be taken in Welsh")
    distance_km = serializers.SerializerMethodField(help_text="From the place searched, to 0.1 km; null without one")

    def get_distance_km(self, ceremony) -> float | None:
        distance = getattr(ceremony, "distance_km", None)
        return None if distance is None else round(distance, 1)


class ScheduleRequestSerializer(serializers.Serializer):
    """For the schema only: the body is validated by the staff page's own form."""

    office = serializers.CharField(help_text="The register office's code, one of yours, e.g. E-LEEDS")
    room = serializers.IntegerField(help_text="A room of the office")
    day = serializers.DateField()
    starts = serializers.CharField(help_text="UK local time, 24-hour clock, e.g. 11:00")
    ends = serializers.CharField(help_text="UK local time, 24-hour clock, e.g. 12:00")
    superintendent = serializers.IntegerField(help_text="A superintendent registrar on the office's rota")
    registrar = serializers.IntegerField(help_text="A registrar on the office's rota")
    seats = serializers.IntegerField(min_value=1, max_value=500)
    guests_per_attendee = serializers.IntegerField(min_value=0, max_value=500)
    guest_places = serializers.IntegerField(min_value=0, max_value=500, help_text="Seats and guest places fit the room")
    welsh_available = serializers.BooleanField()


class CancelRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="For the audit record")


OPEN_QUERY = [
    OpenApiParameter(
        "before", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=True, description="The invitation's last day"
    ),
    OpenApiParameter(
        "near",
        {"type": "string", "maxLength": 100},
        OpenApiParameter.QUERY,
        description="A postcode, a town or a venue: nearest ceremonies first",
    ),
    OpenApiParameter(
        "office", {"type": "string", "maxLength": 20}, OpenApiParameter.QUERY, description="Only this office's"
    ),
    OpenApiParameter(
        "guests",
        {"type": "integer", "minimum": 0, "maximum": 500},
        OpenApiParameter.QUERY,
        description="Guests you will bring (default 0)",
    ),
    OpenApiParameter(
        "welsh", OpenApiTypes.BOOL, OpenApiParameter.QUERY, description="Only ceremonies with the oath in Welsh"
    ),
]


def _staff(request) -> None:
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated
    if not (user.is_staff and user.has_perm(MANAGE_DIARY)):
        raise PermissionDenied("Only staff with the diary permission can use this.")


class CeremoniesView(APIView):
    """Anyone may list the ceremonies open for booking; only staff schedule one."""

    def get_permissions(self):
        return [AllowAny()]

    @extend_schema(
        summary="Group citizenship ceremonies with a seat left, by date or nearest first",
        description="A sent token must be valid. An unknown place is a 400.",
        parameters=OPEN_QUERY,
        responses={200: CeremonySerializer(many=True), 400: BAD_REQUEST, **STAFF},
        tags=["citizenship"],
    )
    def get(self, request):
        query = dict(request.query_params.items())
        if "welsh" in query:
            query["welsh"] = query["welsh"].strip().lower() in ("1", "true", "yes", "on")
        form = bind_json(OpenCeremoniesForm, query)
        if not form.is_valid():
            return form_errors_response(form)
        data = form.cleaned_data
        found = ceremonies_open_to(
            office=data["office"],
            near=data["near"] or None,
            before=data["before"],
            guests=data["guests"] or 0,
            welsh=data["welsh"],
        )
        return Response(CeremonySerializer(found, many=True).data)

    @extend_schema(
        summary="Schedule a group citizenship ceremony at one of your offices",
        description=(
            "The same form as the staff page: the room and both officers are held as for a wedding; closures, "
            "bank holidays and absences apply."
        ),
        request=ScheduleRequestSerializer,
        responses={201: CeremonySerializer, 400: BAD_REQUEST, 409: CONFLICT, 415: BAD_REQUEST, **STAFF},
        tags=["citizenship"],
    )
    def post(self, request):
        _staff(request)
        payload = request.data if isinstance(request.data, dict) else {}
        code = str(payload.get("office") or "").strip().upper()
        office = request.user.offices.filter(code=code).first() if code else None
        if office is None:
            fields = {"office": [str(_("Enter the code of one of your register offices"))]}
            return Response(error_body("invalid", INVALID_MESSAGE, fields), status=status.HTTP_400_BAD_REQUEST)
        form = bind_json(GroupCeremonyForm, payload, **group_ceremony_choices(office))
        if not form.is_valid():
            return form_errors_response(form)
        ceremony = schedule_from_form(form, office, request.user)
        return Response(CeremonySerializer(ceremony).data, status=status.HTTP_201_CREATED)


class CancelCeremonyView(APIView):
    @extend_schema(
        summary="Cancel a group citizenship ceremony: every seat is cancelled and each holder told",
        request=CancelRequestSerializer,
        responses={
            200: CeremonySerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            409: CONFLICT,
            415: BAD_REQUEST,
            **STAFF,
        },
        tags=["citizenship"],
    )
    def post(self, request, reference: str):
        _staff(request)
        ceremony = ceremony_by_reference(reference)
        if ceremony is None or not request.user.offices.filter(pk=ceremony.booking.room.venue.office_id).exists():
            raise Http404
        payload = request.data if isinstance(request.data, dict) else {}
        form = bind_json(CancelCeremonyForm, payload)
        if not form.is_valid():
            return form_errors_response(form)
        ceremony = services.cancel_group_ceremony(
            ceremony=ceremony, actor=request.user, reason=form.cleaned_data["reason"]
        )
        ceremony = get_object_or_404(
            CitizenshipCeremony.objects.select_related("booking__room__venue__office"), pk=ceremony.pk
        )
        return Response(CeremonySerializer(ceremony).data)
