"""The schedule API: an authorised person returns the signed schedule of a religious marriage
(`POST /api/v1/schedules/<ref>/return`), and a registrar registers a schedule
(`POST /api/v1/schedules/<ref>/register`), both with the same form as the staff pages, bound from
JSON, and through the same service. A schedule outside the caller's offices answers 404."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..models import Proposal, Schedule
from ..models.marriages import RETURN_SCHEDULES, WORK_NOTICES
from . import schedule_selectors, schedule_services
from .particulars import correctable_keys
from .schedule_forms import ScheduleDayForm

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='The error body: `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`',
)


# The particulars a correction may be of, named once in the schema.
CORRECTABLE = correctable_keys()


class ScheduleDayRequestSerializer(serializers.Serializer):
    """What the signed schedule records (documentation: the form validates)."""

    parties_confirmed = serializers.BooleanField(help_text="The officiant confirmed who both parties are")
    ceremony_date = serializers.DateField()
    ceremony_place = serializers.CharField(max_length=300)
    officiant_1_name = serializers.CharField(max_length=200)
    officiant_1_role = serializers.CharField(max_length=200)
    officiant_2_name = serializers.CharField(max_length=200, required=False, help_text="Needed at a civil ceremony")
    officiant_2_role = serializers.CharField(max_length=200, required=False)
    witness_1_name = serializers.CharField(max_length=200)
    witness_1_date_of_birth = serializers.DateField()
    witness_2_name = serializers.CharField(max_length=200)
    witness_2_date_of_birth = serializers.DateField()
    correction_1_field = serializers.ChoiceField(choices=CORRECTABLE, required=False)
    correction_1_value = serializers.CharField(max_length=300, required=False)
    correction_2_field = serializers.ChoiceField(choices=CORRECTABLE, required=False)
    correction_2_value = serializers.CharField(max_length=300, required=False)
    signed = serializers.BooleanField(help_text="Signed by both parties, both witnesses and the officiants")


class RegisteredSerializer(serializers.Serializer):
    schedule = serializers.CharField()
    proposal = serializers.CharField()
    status = serializers.CharField()
    entry = serializers.CharField()


class ScheduleActionView(APIView):
    permission = WORK_NOTICES
    route = schedule_services.ROUTE_CEREMONY

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (request.user.is_authenticated and request.user.has_perm(self.permission)):
            raise PermissionDenied("Only staff with the right role can use this.")

    def visible(self, user, proposal: Proposal) -> bool:
        return schedule_selectors.may_officiate(user, proposal)

    def post(self, request, reference: str):
        schedule = (
            Schedule.objects.select_related("proposal__ceremony", "proposal__district")
            .filter(reference=str(reference).strip().upper())
            .first()
        )
        if schedule is None or not self.visible(request.user, schedule.proposal):
            raise Http404
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send the schedule as a JSON object."), status=400)
        proposal = schedule.proposal
        form = bind_json(
            ScheduleDayForm, request.data, officiants_needed=1 if proposal.form == Proposal.Form.RELIGIOUS else 2
        )
        if not form.is_valid():
            return form_errors_response(form)
        entry = schedule_services.register_schedule(
            schedule=schedule, record=form.record(), actor=request.user, route=self.route
        )
        schedule.refresh_from_db()
        return Response(
            RegisteredSerializer(
                {
                    "schedule": schedule.reference,
                    "proposal": proposal.reference,
                    "status": schedule.status,
                    "entry": entry.entry_reference,
                }
            ).data,
            status=201,
        )


class ScheduleReturnView(ScheduleActionView):
    permission = RETURN_SCHEDULES
    route = schedule_services.ROUTE_RETURN

    def visible(self, user, proposal: Proposal) -> bool:
        return schedule_selectors.may_return(user, proposal)

    @extend_schema(
        summary="Return the signed schedule of a religious marriage (authorised persons)",
        description="Registers the marriage at once from the schedule as signed on the day.",
        request=ScheduleDayRequestSerializer,
        responses={201: RegisteredSerializer, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=["marriage"],
    )
    def post(self, request, reference: str):
        return super().post(request, reference)


class ScheduleRegisterView(ScheduleActionView):
    @extend_schema(
        summary="Register a marriage or civil partnership from its signed schedule (registrars)",
        request=ScheduleDayRequestSerializer,
        responses={201: RegisteredSerializer, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=["marriage"],
    )
    def post(self, request, reference: str):
        return super().post(request, reference)
