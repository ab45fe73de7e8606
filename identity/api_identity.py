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

from . import cases, selectors, selfies
from .forms import AddressForm, DocumentTypeForm, IdentityDocumentForm
from .models import EvidenceImage, IdentityCase
from .refusals import CheckRefused
from .serializers import (
    AddressSerializer,
    IdentityCaseSerializer,
    IdentityDocumentSerializer,
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
        details = None
        if document_type != "other":
            details = bind_json(IdentityDocumentForm, payload, passport=document_type == "passport")
            if not details.is_valid():
                return form_errors_response(details)
        case = cases.editable_case(person=request.user)
        with transaction.atomic():
            case = cases.choose_document_type(case=case, document_type=document_type)
            if details is not None:
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
