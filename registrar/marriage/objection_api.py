"""The API of the public notices and objections: anyone lists the notices on display in a
registration district and objects to one (no sign-in; objections are limited per address);
staff list the open objections in their offices, read one, and a superintendent registrar decides
it. The pages' own forms validate the input and the same services act."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, form_errors_response
from core.audit import audit_request
from core.client import client_address
from core.forms import bind_json

from ..models import WORK_NOTICES, Objection, Proposal
from ..staff_api import StaffAPIView
from . import display_selectors, objection_selectors, objection_services
from .display_forms import DistrictForm
from .objection_forms import DECISIONS, ObjectionDecisionForm, ObjectionForm
from .refusals import MarriageRefused

NOT_DISPLAYED = OpenApiResponse(
    ErrorSerializer, description="`notice_not_displayed`: no notice with this reference is on display today"
)
THROTTLED = OpenApiResponse(ErrorSerializer, description="`objection_throttled`: too many objections from this address")
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Not staff with the role, or (`not_superintendent`, `wrong_office`) not one who may decide this objection"
    ),
)
CONFLICT = OpenApiResponse(
    ErrorSerializer,
    description="`objection_decided`, `objection_after_authority` or `proposal_not_open`: it cannot be decided now",
)


# --- Serializers (documentation and output; the forms validate input) ---------------------------------------


class NoticeQuerySerializer(serializers.Serializer):
    district = serializers.CharField(max_length=40, help_text="A registration district's code, e.g. E-LEEDS")
    page = serializers.IntegerField(required=False, min_value=1)


class PublicNoticeSerializer(serializers.Serializer):
    reference = serializers.CharField()
    name = serializers.CharField()
    condition = serializers.CharField(help_text="In words, in the language asked for")
    venue = serializers.CharField(help_text="The intended venue")
    district = serializers.CharField(help_text="The registration district where notice was given")


class DistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class NoticePageSerializer(serializers.Serializer):
    district = DistrictSerializer()
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = PublicNoticeSerializer(many=True)


class ObjectionRequestSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    grounds = serializers.CharField(max_length=settings.OBJECTION_GROUNDS_MAX_LENGTH)


class ObjectionReceivedSerializer(serializers.Serializer):
    reference = serializers.CharField()
    notice = serializers.CharField()
    status = serializers.ChoiceField(choices=Objection.Status.choices)


class StaffObjectionSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.ChoiceField(choices=Objection.Status.choices)
    status_label = serializers.CharField()
    notice = serializers.CharField(source="notice.reference")
    proposal = serializers.CharField(source="notice.proposal.reference")
    office = serializers.CharField(source="notice.office.code", allow_null=True, default=None)
    district = serializers.CharField(source="notice.proposal.district.code")
    raised_at = serializers.DateTimeField()


class StaffObjectionDetailSerializer(StaffObjectionSerializer):
    objector_name = serializers.CharField()
    objector_email = serializers.EmailField()
    objector_phone = serializers.CharField()
    grounds = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)
    decision_reason = serializers.CharField()
    proposal_status = serializers.ChoiceField(choices=Proposal.Status.choices, source="notice.proposal.status")
    may_decide = serializers.BooleanField()


class ObjectionDecisionRequestSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=list(DECISIONS))
    reason = serializers.CharField(max_length=2000)


class StaffObjectionQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1)


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


# --- The public ------------------------------------------------------------------------------------------------


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class NoticesView(PublicView):
    @extend_schema(
        summary="The notices of marriage and civil partnership on display in a registration district",
        description=(
            f"Each given notice is on display for {settings.NOTICE_DISPLAY_DAYS} days, under the district where "
            "it was given and the district of the ceremony: its name, condition, intended venue and district only."
        ),
        parameters=[NoticeQuerySerializer],
        responses={200: NoticePageSerializer},
        tags=["notices"],
    )
    def get(self, request):
        query = NoticeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        districts = list(display_selectors.districts())
        form = bind_json(DistrictForm, {"district": query.validated_data["district"]}, districts=districts)
        if not form.is_valid():
            return form_errors_response(form)
        district = next(d for d in districts if d.code == form.cleaned_data["district"])
        notices = display_selectors.displayed_in(district=district, today=timezone.localdate())
        paginator = Paginator(notices, settings.NOTICES_PER_PAGE)
        page = paginator.get_page(_page_number(query.validated_data.get("page")))
        return Response(
            NoticePageSerializer(
                {
                    "district": {"code": district.code, "name": district.name},
                    "count": paginator.count,
                    "page": page.number,
                    "pages": paginator.num_pages,
                    "results": [display_selectors.public(notice) for notice in page],
                }
            ).data
        )


class NoticeObjectionsView(PublicView):
    @extend_schema(
        summary="Object to a notice on display (no sign-in)",
        description=(
            "The objector is sent the objection's reference by email; the couple are told an objection was made, "
            f"not by whom. At most {settings.OBJECTIONS_PER_ADDRESS_PER_HOUR} an hour from one address."
        ),
        request=ObjectionRequestSerializer,
        responses={201: ObjectionReceivedSerializer, 404: NOT_DISPLAYED, 429: THROTTLED},
        tags=["notices"],
    )
    def post(self, request, reference: str):
        if display_selectors.displayed_notice(reference=reference, today=timezone.localdate()) is None:
            raise MarriageRefused("notice_not_displayed")
        payload = request.data if isinstance(request.data, dict) else {}
        form = bind_json(ObjectionForm, payload)
        if not form.is_valid():
            return form_errors_response(form)
        objection = objection_services.raise_objection(
            notice_reference=reference, client_address=client_address(request), **form.cleaned_data
        )
        return Response(
            ObjectionReceivedSerializer(
                {"reference": objection.reference, "notice": objection.notice.reference, "status": objection.status}
            ).data,
            status=status.HTTP_201_CREATED,
        )


# --- Staff ---------------------------------------------------------------------------------------------------------


class ObjectionStaffView(StaffAPIView):
    permission = WORK_NOTICES

    def objection(self, request, reference: str) -> Objection:
        found = objection_selectors.objection_case(user=request.user, reference=reference)
        if found is None:
            raise Http404
        return found


def _detail(user, objection: Objection) -> dict:
    objection.status_label = objection.get_status_display()
    objection.may_decide = objection_services.decision_problem(user, objection) is None
    return StaffObjectionDetailSerializer(objection).data


class StaffObjectionsView(ObjectionStaffView):
    @extend_schema(
        summary="Open objections to notices in your offices, oldest first",
        parameters=[StaffObjectionQuerySerializer],
        responses={200: StaffObjectionSerializer(many=True)},
        tags=["notices"],
    )
    def get(self, request):
        query = StaffObjectionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        objections = objection_selectors.open_objections(user=request.user)
        page = Paginator(objections, 50).get_page(query.validated_data.get("page") or 1)
        rows = []
        for objection in page:
            objection.status_label = objection.get_status_display()
            rows.append(objection)
        return Response(StaffObjectionSerializer(rows, many=True).data)


class StaffObjectionView(ObjectionStaffView):
    @extend_schema(
        summary="One objection: the grounds, the objector, the notice and the proposal",
        responses={200: StaffObjectionDetailSerializer},
        tags=["notices"],
    )
    def get(self, request, reference: str):
        objection = self.objection(request, reference)
        audit_request(
            request,
            action="objection.viewed",
            subject=objection.notice.person,
            object_type="objection",
            object_id=objection.reference,
        )
        return Response(_detail(request.user, objection))


class StaffObjectionDecisionView(ObjectionStaffView):
    @extend_schema(
        summary="Dismiss or uphold an objection (a superintendent registrar at the notice's office or district)",
        description="Upheld, no authority is issued for the marriage or civil partnership and its booking is released.",
        request=ObjectionDecisionRequestSerializer,
        responses={200: StaffObjectionDetailSerializer, 403: FORBIDDEN, 409: CONFLICT},
        tags=["notices"],
    )
    def post(self, request, reference: str):
        objection = self.objection(request, reference)
        payload = request.data if isinstance(request.data, dict) else {}
        form = bind_json(ObjectionDecisionForm, payload)
        if not form.is_valid():
            return form_errors_response(form)
        decided = objection_services.decide_objection(
            objection=objection,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
        )
        return Response(_detail(request.user, self.objection(request, decided.reference)))
