"""The API of giving notice online (`/api/v1/marriage/…`): a signed-in citizen starts a proposal,
reads it, invites the other person, who accepts; each answers their own notice step by step with
the pages' own forms, uploads the evidence that an earlier marriage ended, and sends it. The
same services and refusals as the pages; anyone else's proposal or notice is a 404."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import INVALID_MESSAGE, error_body, form_errors_response
from core.forms import bind_json

from ..models import Notice, Proposal
from . import notice_selectors as selectors
from . import notice_services as services
from .notice_forms import STEP_FORMS, BookingKindForm, InviteForm, ReligiousForm
from .notice_serializers import (
    STEP_BODY_HELP,
    AcceptSerializer,
    EvidenceSerializer,
    InvitationSerializer,
    NewProposalSerializer,
    NoticeSerializer,
    ProposalSerializer,
)
from .refusals import MarriageRefused

TAGS = ["marriage"]
REFUSED = OpenApiResponse(description="Refused now, with the reason (`code` and `message`)")


class CitizenNoticeView(APIView):
    """A signed-in citizen acting on their own proposals and notices."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied("Staff work notices through the staff pages.")

    def proposal(self, request, reference: str) -> Proposal:
        try:
            return selectors.proposal_for(person=request.user, reference=reference)
        except MarriageRefused as refused:
            raise NotFound(refused.message) from refused

    def notice(self, request, reference: str) -> Notice:
        try:
            return selectors.own_notice(person=request.user, reference=reference)
        except MarriageRefused as refused:
            raise NotFound(refused.message) from refused

    def proposal_response(self, request, proposal: Proposal, code: int = status.HTTP_200_OK) -> Response:
        proposal = selectors.proposals_of(request.user).get(pk=proposal.pk)
        return Response(ProposalSerializer(proposal, context={"user": request.user}).data, status=code)

    def notice_response(self, request, notice: Notice, code: int = status.HTTP_200_OK) -> Response:
        notice = Notice.objects.get(pk=notice.pk)
        return Response(NoticeSerializer(notice, context={"user": request.user}).data, status=code)


def _body(request) -> dict | None:
    return request.data if isinstance(request.data, dict) else None


NOT_AN_OBJECT = "Send a JSON object."


class ProposalsView(CitizenNoticeView):
    @extend_schema(
        summary="Your proposed marriages and civil partnerships",
        responses={200: ProposalSerializer(many=True)},
        tags=TAGS,
    )
    def get(self, request):
        proposals = selectors.proposals_of(request.user)
        return Response(ProposalSerializer(proposals, many=True, context={"user": request.user}).data)

    @extend_schema(
        summary="Start giving notice: from your provisional ceremony, or for a religious marriage",
        description=(
            "With `booking` (and `kind`): the proposal takes the booking's venue and district. Otherwise a "
            "religious marriage: `building_name`, `building_address`, `postcode` and `intended_date`. You give "
            "notice 1; invite the other person for notice 2. One proposal per ceremony booking. Your identity "
            "must be verified at medium confidence."
        ),
        request=NewProposalSerializer,
        responses={201: ProposalSerializer, 404: REFUSED, 409: REFUSED},
        tags=TAGS,
    )
    def post(self, request):
        data = _body(request)
        if data is None:
            return Response(error_body("invalid", NOT_AN_OBJECT), status=400)
        if data.get("booking") is not None:
            if not isinstance(data["booking"], str):
                fields = {"booking": ["Enter the reference of your ceremony booking."]}
                return Response(error_body("invalid", INVALID_MESSAGE, fields), status=400)
            form = bind_json(BookingKindForm, data)
            if not form.is_valid():
                return form_errors_response(form)
            proposal = services.start_from_booking(
                person=request.user, booking_reference=data["booking"], kind=form.cleaned_data["kind"]
            )
        else:
            if data.get("kind") == Proposal.Kind.CIVIL_PARTNERSHIP:
                raise MarriageRefused("partnership_not_religious")
            form = bind_json(ReligiousForm, data)
            if not form.is_valid():
                return form_errors_response(form)
            proposal = services.start_religious(person=request.user, **form.cleaned_data)
        return self.proposal_response(request, proposal, status.HTTP_201_CREATED)


class ProposalView(CitizenNoticeView):
    @extend_schema(
        summary="One of your proposals, with both notices' stages (your own answers only)",
        responses={200: ProposalSerializer},
        tags=TAGS,
    )
    def get(self, request, reference: str):
        return self.proposal_response(request, self.proposal(request, reference))


class InvitationView(CitizenNoticeView):
    @extend_schema(
        summary="Invite the other person by email (a new invitation replaces the last)",
        request=InvitationSerializer,
        responses={200: ProposalSerializer, 409: REFUSED},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        proposal = self.proposal(request, reference)
        data = _body(request)
        if data is None:
            return Response(error_body("invalid", NOT_AN_OBJECT), status=400)
        form = bind_json(InviteForm, data)
        if not form.is_valid():
            return form_errors_response(form)
        services.invite_other_person(proposal=proposal, person=request.user, email=form.cleaned_data["email"])
        return self.proposal_response(request, proposal)


class AcceptView(CitizenNoticeView):
    @extend_schema(
        summary="Accept an invitation: you give the proposal's second notice",
        description="Signed in with your own account, your identity verified at medium confidence.",
        request=AcceptSerializer,
        responses={200: ProposalSerializer, 404: REFUSED, 409: REFUSED},
        tags=TAGS,
    )
    def post(self, request):
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.accept_invitation(token=serializer.validated_data["token"], person=request.user)
        return self.proposal_response(request, notice.proposal)


class NoticeView(CitizenNoticeView):
    @extend_schema(
        summary="Your notice: answers, what is missing, its stage", responses={200: NoticeSerializer}, tags=TAGS
    )
    def get(self, request, reference: str):
        return self.notice_response(request, self.notice(request, reference))


class AnswersView(CitizenNoticeView):
    @extend_schema(
        summary="Answer one question of your notice",
        description=(
            STEP_BODY_HELP + " The steps are `names`, `date_of_birth`, `condition`, `occupation`, `address`, "
            "`nationality`, `venue`, `parents` and `declaration`. The same checks as the pages apply; a refused "
            "step saves nothing and keeps what was saved before."
        ),
        request=OpenApiTypes.OBJECT,
        responses={200: NoticeSerializer, 409: REFUSED},
        tags=TAGS,
    )
    def put(self, request, reference: str, step: str):
        notice = self.notice(request, reference)
        services.check_step(notice=notice, step=step)
        data = _body(request)
        if data is None:
            return Response(error_body("invalid", "Send the step's answers as a JSON object."), status=400)
        form_class = STEP_FORMS[step]
        form = bind_json(form_class, form_class.from_json(data), notice=notice)
        if not form.is_valid():
            return form_errors_response(form)
        notice = services.save_answer(notice=notice, person=request.user, step=step, values=form.answer_values())
        return self.notice_response(request, notice)


class EvidenceView(CitizenNoticeView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Upload the final order, decree absolute or death certificate (a photo)",
        description="Decoded, checked and rebuilt like every upload; a new one replaces the last.",
        request={"multipart/form-data": EvidenceSerializer},
        responses={
            201: NoticeSerializer,
            409: REFUSED,
            413: OpenApiResponse(description="Request body over the size cap, not read"),
            429: OpenApiResponse(description="Too many photos decoding at once: send again soon"),
        },
        tags=TAGS,
    )
    def post(self, request, reference: str):
        notice = self.notice(request, reference)
        serializer = EvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notice = services.attach_ending_evidence(
            notice=notice, person=request.user, upload=serializer.validated_data["photo"]
        )
        return self.notice_response(request, notice, status.HTTP_201_CREATED)


class SubmitView(CitizenNoticeView):
    @extend_schema(
        summary="Send your notice",
        description=(
            "Every step answered (else `notice_incomplete`, listing them in `fields`), 18 or over on the ceremony "
            "date, 7 full days at the address (else `residence_too_short`, saying from which date), evidence that "
            "an earlier marriage ended. Then book the interview."
        ),
        request=None,
        responses={200: NoticeSerializer, 400: REFUSED, 409: REFUSED},
        tags=TAGS,
    )
    def post(self, request, reference: str):
        notice = self.notice(request, reference)
        try:
            notice = services.send_notice(notice=notice, person=request.user)
        except MarriageRefused as refused:
            if refused.code != "notice_incomplete":
                raise
            fields = {step: ["This step is not answered yet."] for step in refused.params["steps"]}
            return Response(error_body(refused.code, refused.message, fields), status=refused.status)
        return self.notice_response(request, notice)
