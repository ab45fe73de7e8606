"""The citizenship API: the Home Office's client sends invitations; the new citizen accepts theirs,
lists the ceremonies open to it, books, moves or cancels a seat or asks for a private ceremony;
a registrar's client records the day. The pages' forms (`core.forms.bind_json`) and services,
so the same input gets the same messages and the same refusals; every error in the one shape."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from booking.models import CitizenshipSeat
from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..models import SEND_CITIZENSHIP_INVITATIONS, WORK_CITIZENSHIP, CeremonyAttendance, CitizenshipInvitation
from . import selectors, services, words
from .forms import AttendanceForm, InvitationForm, PrivateForm, SeatForm
from .refusals import CitizenshipRefused

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='The error body: `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`',
)
SIGN_IN = OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in: send `Authorization: Bearer <token>`")
TAGS = ["citizenship"]
REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="CI-…")


def _not_object() -> Response:
    return Response(error_body("invalid", "Send a JSON object."), status=400)


# --- Serializers (answers) and request bodies (documentation; the forms validate) ------------------------


class InvitationRequestSerializer(serializers.Serializer):
    home_office_reference = serializers.CharField(max_length=60)
    forenames = serializers.CharField(max_length=200)
    surname = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField()
    email = serializers.EmailField()
    postcode = serializers.CharField(max_length=10)
    route = serializers.ChoiceField(choices=CitizenshipInvitation.Route.values)
    invited_on = serializers.DateField()


class ReceivedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    home_office_reference = serializers.CharField()
    attend_by = serializers.DateField()
    status = serializers.CharField()


class SeatSerializer(serializers.Serializer):
    reference = serializers.CharField()
    ceremony = serializers.CharField(source="ceremony.booking.reference")
    starts_at = serializers.DateTimeField(source="ceremony.booking.starts_at")
    venue = serializers.CharField(source="ceremony.booking.room.venue.name")
    guests = serializers.IntegerField()
    welsh_oath = serializers.BooleanField()
    status = serializers.CharField()


class InvitationSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField(help_text="invited, to_check, matched, attended or not_attended")
    route = serializers.CharField()
    invited_on = serializers.DateField()
    attend_by = serializers.DateField()
    private = serializers.CharField(help_text='"" or "requested"')
    private_fee_pence = serializers.IntegerField(allow_null=True)
    seat = serializers.SerializerMethodField()

    def get_seat(self, invitation) -> dict | None:
        seat = selectors.live_seat(invitation)
        return SeatSerializer(seat).data if seat else None


class InvitationCeremonySerializer(serializers.Serializer):
    reference = serializers.CharField()
    date = serializers.CharField(help_text="In words, in the language asked for")
    time = serializers.CharField()
    place = serializers.CharField()
    address = serializers.CharField()
    seats_left = serializers.IntegerField()
    guests_per_attendee = serializers.IntegerField()
    welsh = serializers.BooleanField(help_text="The oath and pledge can be taken in Welsh")


class SeatRequestSerializer(serializers.Serializer):
    ceremony = serializers.CharField(max_length=20, help_text="The ceremony's reference, from the list")
    guests = serializers.IntegerField(min_value=0)
    welsh_oath = serializers.BooleanField(required=False)


class AcceptRequestSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The token of the link in the invitation email")


class PrivateRequestSerializer(serializers.Serializer):
    pledge_form = serializers.ChoiceField(choices=CitizenshipInvitation.Pledge.values)
    welsh = serializers.BooleanField(required=False)


class AttendanceRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CeremonyAttendance.Outcome.values)
    pledge_form = serializers.ChoiceField(choices=CitizenshipInvitation.Pledge.values, required=False)
    language = serializers.ChoiceField(choices=CeremonyAttendance.Language.values, required=False)
    made_pledge = serializers.BooleanField(required=False)
    certificate_number = serializers.CharField(max_length=30, required=False)


class AttendanceSerializer(serializers.Serializer):
    invitation = serializers.CharField(source="invitation.reference")
    outcome = serializers.CharField()
    pledge_form = serializers.CharField()
    language = serializers.CharField()
    certificate_number = serializers.CharField()
    entry = serializers.CharField(source="entry.entry_reference", allow_null=True, default=None)
    status = serializers.CharField(help_text="to_report, reported or failed (telling the Home Office)")


# --- The Home Office's client ------------------------------------------------------------------------------


class InvitationsView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (request.user.is_authenticated and request.user.has_perm(SEND_CITIZENSHIP_INVITATIONS)):
            raise PermissionDenied("Only the Home Office's client can use this.")

    @extend_schema(
        summary="Invite a new citizen to a citizenship ceremony (the Home Office's client)",
        description=(
            "The person is emailed a link to book a ceremony by `attend_by` (the invitation's date plus "
            "CITIZENSHIP_INVITATION_MONTHS). A `home_office_reference` sent before is refused (409)."
        ),
        request=InvitationRequestSerializer,
        responses={201: ReceivedSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return _not_object()
        form = bind_json(InvitationForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        invitation = services.receive_invitation(actor=request.user, **form.cleaned_data)
        return Response(ReceivedSerializer(invitation).data, status=status.HTTP_201_CREATED)


# --- The new citizen ---------------------------------------------------------------------------------------


class CitizenView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff work citizenship ceremonies through the staff pages.")

    def own(self, request, reference: str) -> CitizenshipInvitation:
        invitation = selectors.own_invitation(request.user, reference)
        if invitation is None:
            raise Http404
        return invitation

    def respond(self, invitation, code=status.HTTP_200_OK) -> Response:
        invitation = CitizenshipInvitation.objects.get(pk=invitation.pk)
        return Response(InvitationSerializer(invitation).data, status=code)


OWN = {401: SIGN_IN, 403: ERROR, 404: ERROR}


class AcceptView(CitizenView):
    @extend_schema(
        summary="Accept your invitation (the token of the emailed link)",
        description=(
            "Needs a medium-confidence identity check. When your proved names and date of birth are the "
            "invitation's it is matched to you (`matched`); otherwise a registrar checks (`to_check`)."
        ),
        request=AcceptRequestSerializer,
        responses={200: InvitationSerializer, 400: ERROR, 409: ERROR, **OWN},
        tags=TAGS,
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return _not_object()
        token = request.data.get("token")
        if not isinstance(token, str) or not token:
            return Response(
                error_body("invalid", "Check the fields listed and try again.", {"token": ["Give the link's token"]}),
                status=400,
            )
        invitation = services.accept_invitation(token=token, person=request.user)
        return self.respond(invitation)


class InvitationView(CitizenView):
    @extend_schema(
        summary="Your invitation and your seat",
        parameters=[REFERENCE],
        responses={200: InvitationSerializer, **OWN},
        tags=TAGS,
    )
    def get(self, request, reference: str):
        return self.respond(self.own(request, reference))


class CeremoniesView(CitizenView):
    @extend_schema(
        summary="Group ceremonies open to your invitation (seats left, before attend_by)",
        parameters=[REFERENCE],
        responses={200: InvitationCeremonySerializer(many=True), 409: ERROR, **OWN},
        tags=TAGS,
    )
    def get(self, request, reference: str):
        invitation = self.own(request, reference)
        services.check_may_book(person=request.user, invitation=invitation)
        ceremonies = selectors.open_ceremonies(invitation)[:50]
        return Response(InvitationCeremonySerializer([words.ceremony(each) for each in ceremonies], many=True).data)


class SeatView(CitizenView):
    @extend_schema(
        summary="Book a seat at a group ceremony (or move your seat there)",
        description="The same form and refusals as the pages: a full ceremony is 409 `citizenship_full`.",
        parameters=[REFERENCE],
        request=SeatRequestSerializer,
        responses={201: SeatSerializer, 400: ERROR, 409: ERROR, **OWN},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        invitation = self.own(request, reference)
        if not isinstance(request.data, dict):
            return _not_object()
        form = bind_json(SeatForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        services.check_may_book(person=request.user, invitation=invitation)
        # Any group ceremony: booking itself refuses one that is full, past or after attend_by, with
        # the words the check page shows.
        ceremony = selectors.ceremony_by_reference(form.cleaned_data["ceremony"])
        if ceremony is None:
            raise CitizenshipRefused("citizenship_no_ceremony")
        seat = services.book(
            person=request.user,
            invitation=invitation,
            ceremony=ceremony,
            guests=form.cleaned_data["guests"],
            welsh_oath=form.cleaned_data.get("welsh_oath", False),
        )
        seat = CitizenshipSeat.objects.select_related("ceremony__booking__room__venue").get(pk=seat.pk)
        return Response(SeatSerializer(seat).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel your seat",
        parameters=[REFERENCE],
        request=None,
        responses={200: InvitationSerializer, 409: ERROR, **OWN},
        tags=TAGS,
    )
    def delete(self, request, reference: str):
        invitation = self.own(request, reference)
        services.cancel(person=request.user, invitation=invitation)
        return self.respond(invitation)


class PrivateView(CitizenView):
    @extend_schema(
        summary="Ask for a private ceremony instead of a group one",
        description=(
            "Recorded for your register office to arrange the date and take the fee "
            "(`private_fee_pence`, CITIZENSHIP_PRIVATE_FEE_PENCE); nothing is paid online."
        ),
        parameters=[REFERENCE],
        request=PrivateRequestSerializer,
        responses={200: InvitationSerializer, 400: ERROR, 409: ERROR, **OWN},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        invitation = self.own(request, reference)
        if not isinstance(request.data, dict):
            return _not_object()
        welsh_offered = bool(invitation.office and invitation.office.in_wales)
        form = bind_json(PrivateForm, request.data, welsh_offered=True)
        if not form.is_valid():
            return form_errors_response(form)
        welsh = form.cleaned_data.get("welsh", False)
        if welsh and not welsh_offered:
            raise CitizenshipRefused("citizenship_private_no_welsh")
        invitation = services.request_private(
            person=request.user, invitation=invitation, pledge=form.cleaned_data["pledge_form"], welsh=welsh
        )
        return self.respond(invitation)


# --- Registrars' clients ---------------------------------------------------------------------------------


class AttendanceView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (user.is_authenticated and user.is_staff and user.has_perm(WORK_CITIZENSHIP)):
            raise PermissionDenied("Only registrars can use this.")

    @extend_schema(
        summary="Record one attendee of a group ceremony on the day",
        description=(
            "`attended` with the oath or affirmation, its language, the pledge made and the certificate's number "
            "writes an entry in the citizenship register; `not_attended` records that. Either is told to the "
            "Home Office. The same form and rules as the staff page."
        ),
        parameters=[
            OpenApiParameter(
                "ceremony", OpenApiTypes.STR, OpenApiParameter.PATH, description="The ceremony's reference"
            ),
            OpenApiParameter("seat", OpenApiTypes.STR, OpenApiParameter.PATH, description="CS-…"),
        ],
        request=AttendanceRequestSerializer,
        responses={201: AttendanceSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request, ceremony: str, seat: str):
        booking = selectors.staff_ceremony(request.user, ceremony)
        if booking is None:
            raise Http404
        if not isinstance(request.data, dict):
            return _not_object()
        form = bind_json(AttendanceForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        attendance = services.record_attendance(
            actor=request.user,
            ceremony=booking,
            seat_reference=seat,
            attended=form.attended,
            pledge_form=form.cleaned_data.get("pledge_form") or "",
            language=form.cleaned_data.get("language") or "",
            made_pledge=bool(form.cleaned_data.get("made_pledge")),
            certificate_number=form.cleaned_data.get("certificate_number") or "",
        )
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)
