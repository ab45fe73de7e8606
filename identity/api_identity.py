"""The identity check through the API (`/api/v1/identity/…`): the same services as the pages,
for the phone-support console or another front end."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, error_body, form_errors_response
from core.forms import bind_json

from . import cases, knowledge, selectors, selfies
from .forms import AddressForm, DocumentTypeForm, IdentityDocumentForm, KnowledgeAnswersForm
from .models import EvidenceImage, IdentityCase, KnowledgeAttempt
from .refusals import CheckRefused, KnowledgeRefused
from .serializers import (
    AddressSerializer,
    DetailSerializer,
    IdentityCaseSerializer,
    IdentityDocumentSerializer,
    KnowledgeAnswersSerializer,
    KnowledgeQuestionsSerializer,
    PhotoSerializer,
)

# Refusals (CheckRefused, UploadRejected) are answered by the API's exception handler.


class CitizenAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_staff:
            raise PermissionDenied("Staff accounts have no identity check of their own.")

    def case_response(self, case, code=status.HTTP_200_OK) -> Response:
        case = IdentityCase.objects.get(pk=case.pk)
        return Response(IdentityCaseSerializer(case).data, status=code)


class IdentityCaseView(CitizenAPIView):
    @extend_schema(
        responses={200: IdentityCaseSerializer, 404: OpenApiResponse(description="No check started")}, tags=["identity"]
    )
    def get(self, request):
        case = selectors.current_identity_case(person=request.user)
        if case is None:
            return Response(error_body("not_found", "No identity check has been started."), status=404)
        return self.case_response(case)


class IdentityDocumentView(CitizenAPIView):
    @extend_schema(
        request=IdentityDocumentSerializer,
        responses={
            200: IdentityCaseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid details; the error says which field"),
            409: OpenApiResponse(ErrorSerializer, description="With a registrar"),
        },
        tags=["identity"],
    )
    def put(self, request):
        payload = request.data if isinstance(request.data, dict) else {}
        # The page's forms validate the API's JSON: one set of rules for both.
        chosen = bind_json(DocumentTypeForm, payload)
        if not chosen.is_valid():
            return form_errors_response(chosen)
        document_type = chosen.cleaned_data["document_type"]
        details = bind_json(
            IdentityDocumentForm, payload, passport=document_type == "passport", other=document_type == "other"
        )
        if not details.is_valid():
            return form_errors_response(details)
        case = cases.editable_case(person=request.user)
        with transaction.atomic():
            case = cases.choose_document_type(case=case, document_type=document_type)
            data = details.cleaned_data
            cases.record_identity_document(
                case=case,
                document_type=document_type,
                given_names=data["given_names"],
                surname=data["surname"],
                birth_date=data["birth_date"],
                document_number=data["document_number"],
                expiry_date=data["expiry_date"],
                mrz_line1=data.get("mrz_line1", ""),
                mrz_line2=data.get("mrz_line2", ""),
            )
        return self.case_response(case)


class IdentityAddressView(CitizenAPIView):
    @extend_schema(
        request=AddressSerializer,
        responses={
            200: IdentityCaseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Invalid details; the error says which field"),
            409: OpenApiResponse(ErrorSerializer, description="With a registrar"),
        },
        tags=["identity"],
    )
    def put(self, request):
        form = bind_json(AddressForm, request.data if isinstance(request.data, dict) else {})
        if not form.is_valid():
            return form_errors_response(form)
        case = cases.editable_case(person=request.user)
        cases.record_proof_of_address(case=case, **form.cleaned_data)
        return self.case_response(case)


class PhotoView(CitizenAPIView):
    parser_classes = [MultiPartParser]
    kind = ""

    @extend_schema(
        request={"multipart/form-data": PhotoSerializer},
        responses={
            201: IdentityCaseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Photo refused, with the reason"),
            413: OpenApiResponse(ErrorSerializer, description="Request body over the size cap, not read"),
            429: OpenApiResponse(ErrorSerializer, description="Too many photos decoding at once: send again soon"),
            409: OpenApiResponse(ErrorSerializer, description="With a registrar"),
        },
        tags=["identity"],
    )
    def post(self, request):
        serializer = PhotoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = cases.editable_case(person=request.user)
        cases.attach_image(case=case, kind=self.kind, upload=serializer.validated_data["photo"])
        return self.case_response(case, status.HTTP_201_CREATED)


class DocumentPhotoView(PhotoView):
    kind = EvidenceImage.Kind.IDENTITY_DOCUMENT


class AddressPhotoView(PhotoView):
    kind = EvidenceImage.Kind.ADDRESS_DOCUMENT


class SelfieView(CitizenAPIView):
    """The photo of the person's face, refused with the page's messages when it shows no face or
    several; only the person may send it, never phone support acting for them."""

    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": PhotoSerializer},
        responses={
            201: IdentityCaseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Photo refused (no face, several faces...)"),
            413: OpenApiResponse(ErrorSerializer, description="Request body over the size cap, not read"),
            429: OpenApiResponse(ErrorSerializer, description="Too many photos decoding at once: send again soon"),
            403: OpenApiResponse(ErrorSerializer, description="Sent by phone support for the person"),
            409: OpenApiResponse(ErrorSerializer, description="With a registrar"),
        },
        tags=["identity"],
    )
    def post(self, request):
        serializer = PhotoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = cases.editable_case(person=request.user)
        assisted = getattr(request, "assisted_by", None) is not None
        selfies.attach_selfie(case=case, upload=serializer.validated_data["photo"], assisted=assisted)
        return self.case_response(case, status.HTTP_201_CREATED)


class SubmitView(CitizenAPIView):
    @extend_schema(
        request=None,
        responses={200: IdentityCaseSerializer, 409: OpenApiResponse(ErrorSerializer, description="Nothing to submit")},
        tags=["identity"],
    )
    def post(self, request):
        case = selectors.current_identity_case(person=request.user)
        if not cases.can_change(case):
            raise CheckRefused("nothing_to_submit")
        return self.case_response(cases.submit_case(case=case))


def _questions(attempt: KnowledgeAttempt) -> dict:
    return {
        "questions": attempt.questions,
        "expires_at": attempt.expires_at,
        "provider": attempt.provider,
        "sandbox": attempt.sandbox,
    }


class KnowledgeQuestionsView(CitizenAPIView):
    """The security questions (knowledge-based verification), as on /identity/questions/."""

    @extend_schema(
        responses={
            200: KnowledgeQuestionsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No security questions on this service"),
            409: OpenApiResponse(ErrorSerializer, description="None waiting; case closed; details missing"),
        },
        tags=["identity"],
    )
    def get(self, request):
        case = selectors.current_identity_case(person=request.user)
        knowledge.check_can_ask(case=case)
        attempt = knowledge.open_attempt(case=case)
        if attempt is None:
            raise KnowledgeRefused("not_started")
        return Response(KnowledgeQuestionsSerializer(_questions(attempt)).data)

    @extend_schema(
        request=None,
        responses={
            201: KnowledgeQuestionsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="No security questions on this service"),
            409: OpenApiResponse(ErrorSerializer, description="Case closed; details missing; no questions"),
            429: OpenApiResponse(ErrorSerializer, description="Attempts used up for 24 hours"),
            503: OpenApiResponse(ErrorSerializer, description="The provider is not available"),
        },
        tags=["identity"],
    )
    def post(self, request):
        """Get the questions; questions already waiting are given again, not new ones."""
        attempt = knowledge.start_questions(case=selectors.current_identity_case(person=request.user))
        return Response(KnowledgeQuestionsSerializer(_questions(attempt)).data, status=status.HTTP_201_CREATED)


class KnowledgeAnswersView(CitizenAPIView):
    @extend_schema(
        request=KnowledgeAnswersSerializer,
        responses={
            200: DetailSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A question unanswered; the error names it"),
            404: OpenApiResponse(ErrorSerializer, description="No security questions on this service"),
            409: OpenApiResponse(ErrorSerializer, description="None waiting, already answered, details changed"),
            410: OpenApiResponse(ErrorSerializer, description="The questions expired"),
            503: OpenApiResponse(ErrorSerializer, description="The provider is not available"),
        },
        tags=["identity"],
    )
    def post(self, request):
        """Answer the questions waiting. The answer never says which were right."""
        case = selectors.current_identity_case(person=request.user)
        knowledge.check_can_ask(case=case)
        attempt = knowledge.open_attempt(case=case)
        payload = request.data.get("answers") if isinstance(request.data, dict) else None
        payload = payload if isinstance(payload, dict) else {}
        answers = {}
        if attempt is not None:
            # The page's form validates the API's answers, keyed here by the provider's question ids.
            form = KnowledgeAnswersForm(questions=attempt.questions)
            by_field = form.fields_by_question
            form = bind_json(
                KnowledgeAnswersForm,
                {name: payload.get(question) for name, question in by_field.items()},
                questions=attempt.questions,
            )
            if not form.is_valid():
                return form_errors_response(form, field_names=by_field)
            answers = form.answers()
        # Without questions waiting, the service says why: not started, answered, or expired.
        knowledge.answer_questions(case=case, answers=answers)
        return Response({"detail": str(knowledge.ANSWERED)})
