"""The interview's API: staff clients list their offices' interviews and record an outcome with
the staff page's own form; the Home Office's client tells its decision on a referral. Same
services and refusals as the pages; a reference outside the caller's offices answers 404."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..models import DECIDE_REFERRALS, WORK_NOTICES, Notice, Proposal
from . import interview_referral, interview_services, rules, selectors
from .interview_forms import DecisionForm, OutcomeForm
from .interview_services import OUTCOMES

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='The error body: `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`',
)
SIGN_IN = OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in: send `Authorization: Bearer <token>`")
TAGS = ["marriage"]


class InterviewSerializer(serializers.Serializer):
    notice = serializers.CharField(source="reference")
    proposal = serializers.CharField(source="proposal.reference")
    position = serializers.IntegerField()
    status = serializers.CharField(help_text="draft, sent, given, refused or withdrawn")
    full_name = serializers.CharField()
    interview_mode = serializers.CharField(help_text="in_person or video")
    interview_starts_at = serializers.DateTimeField(source="interview.starts_at")
    interview_venue = serializers.CharField(source="interview.room.venue.name")
    office = serializers.CharField(source="office.code", allow_null=True, default=None)
    given_on = serializers.DateField(allow_null=True)
    display_until = serializers.DateField(allow_null=True)


class NoticeOutcomeSerializer(serializers.Serializer):
    notice = serializers.CharField(source="reference")
    status = serializers.CharField()
    given_on = serializers.DateField(allow_null=True)
    display_until = serializers.DateField(allow_null=True)
    decision_note = serializers.CharField()
    proposal_status = serializers.CharField(source="proposal.status")
    home_office = serializers.CharField(source="proposal.home_office")


class OutcomeRequestSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=list(OUTCOMES))
    reason = serializers.CharField(required=False, max_length=2000, help_text="Needed when not_accepted")


class ReferralDecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["investigating", "not_investigating"])
    reference = serializers.CharField(max_length=60, help_text="The Home Office's reference for the referral")


class ReferralSerializer(serializers.Serializer):
    proposal = serializers.CharField(source="reference")
    home_office = serializers.CharField()
    home_office_reference = serializers.CharField()
    waiting_ends = serializers.SerializerMethodField()

    def get_waiting_ends(self, proposal) -> str | None:
        day = rules.waiting_ends(proposal)
        return day.isoformat() if day else None


class StaffView(APIView):
    """Staff holding `registrar.work_notices`; anyone else answers 403."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        user = request.user
        if not (user.is_authenticated and user.is_staff and user.has_perm(WORK_NOTICES)):
            raise PermissionDenied("Only registrars can use this.")


class InterviewsView(StaffView):
    @extend_schema(
        summary="Your offices' notice interviews, from today",
        responses={200: InterviewSerializer(many=True), 401: SIGN_IN, 403: ERROR},
        tags=TAGS,
    )
    def get(self, request):
        notices = selectors.office_interviews(user=request.user, on_or_after=timezone.localdate())[:500]
        return Response(InterviewSerializer(notices, many=True).data)


class OutcomeView(StaffView):
    @extend_schema(
        summary="Record the outcome of a notice interview",
        description=(
            "`given` gives the notice today (displayed for 28 days); `not_accepted` sends it back to the person "
            "with the `reason`. The same form and rules as the staff case page."
        ),
        parameters=[OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="NT-…")],
        request=OutcomeRequestSerializer,
        responses={200: NoticeOutcomeSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send the outcome as a JSON object."), status=400)
        notice = Notice.objects.filter(reference=reference).select_related("proposal").first()
        if notice is None or selectors.notice_case(user=request.user, reference=notice.proposal.reference) is None:
            raise Http404
        form = bind_json(OutcomeForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        notice = interview_services.record_outcome(
            actor=request.user,
            notice=notice,
            outcome=form.cleaned_data["outcome"],
            reason=form.cleaned_data.get("reason") or "",
        )
        notice = Notice.objects.select_related("proposal").get(pk=notice.pk)
        return Response(NoticeOutcomeSerializer(notice).data)


class DecidesReferrals(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not (request.user.is_authenticated and request.user.has_perm(DECIDE_REFERRALS)):
            raise PermissionDenied("Only the Home Office's client can use this.")


class ReferralDecisionView(DecidesReferrals):
    @extend_schema(
        summary="The Home Office's decision on a referred notice (the Home Office's client)",
        description=(
            "`not_investigating` sets the waiting period to 28 days after the later notice, `investigating` to "
            "70; `reference` is the Home Office's own reference given when the referral was sent. A referral "
            "decided already is refused (409)."
        ),
        parameters=[OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="MP-…")],
        request=ReferralDecisionRequestSerializer,
        responses={200: ReferralSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 404: ERROR, 409: ERROR},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send the decision as a JSON object."), status=400)
        proposal = Proposal.objects.filter(reference=reference).exclude(home_office_reference="").first()
        if proposal is None:
            raise Http404
        form = bind_json(DecisionForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        if form.cleaned_data["reference"] != proposal.home_office_reference:
            raise Http404
        proposal = interview_referral.apply_decision(
            proposal=proposal,
            decision=form.cleaned_data["decision"],
            actor=request.user,
            reference=form.cleaned_data["reference"],
        )
        return Response(ReferralSerializer(proposal).data)
