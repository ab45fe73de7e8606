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

from core.api_errors import error_body

from . import cases, selectors
from .models import EvidenceImage, IdentityCase
from .serializers import (
    AddressSerializer,
    IdentityCaseSerializer,
    IdentityDocumentSerializer,
    PhotoSerializer,
)
from .uploads import UploadRejected


class CitizenAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.user.is_staff:
            raise PermissionDenied("Staff accounts have no identity check of their own.")

    def editable_case(self, request) -> IdentityCase | None:
        case = cases.open_case(person=request.user)
        return None if case.status == IdentityCase.Status.WITH_REGISTRAR else case

    def locked(self) -> Response:
        return Response(
            error_body("case_with_registrar", "A registrar is reviewing this check; it cannot be changed now."),
            status=status.HTTP_409_CONFLICT,
        )

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
    @extend_schema(request=IdentityDocumentSerializer, responses={200: IdentityCaseSerializer}, tags=["identity"])
    def put(self, request):
        serializer = IdentityDocumentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self.editable_case(request)
        if case is None:
            return self.locked()
        data = serializer.validated_data
        with transaction.atomic():
            case = cases.choose_document_type(case=case, document_type=data["document_type"])
            if data["document_type"] != "other":
                cases.record_identity_document(
                    case=case,
                    document_type=data["document_type"],
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
    @extend_schema(request=AddressSerializer, responses={200: IdentityCaseSerializer}, tags=["identity"])
    def put(self, request):
        serializer = AddressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self.editable_case(request)
        if case is None:
            return self.locked()
        cases.record_proof_of_address(case=case, **serializer.validated_data)
        return self.case_response(case)


class PhotoView(CitizenAPIView):
    parser_classes = [MultiPartParser]
    kind = ""

    @extend_schema(
        request={"multipart/form-data": PhotoSerializer},
        responses={201: IdentityCaseSerializer, 400: OpenApiResponse(description="Photo refused, with the reason")},
        tags=["identity"],
    )
    def post(self, request):
        serializer = PhotoSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = self.editable_case(request)
        if case is None:
            return self.locked()
        try:
            cases.attach_image(case=case, kind=self.kind, upload=serializer.validated_data["photo"])
        except UploadRejected as rejected:
            return Response(
                error_body(f"photo_{rejected.reason}", rejected.message), status=status.HTTP_400_BAD_REQUEST
            )
        return self.case_response(case, status.HTTP_201_CREATED)


class DocumentPhotoView(PhotoView):
    kind = EvidenceImage.Kind.IDENTITY_DOCUMENT


class AddressPhotoView(PhotoView):
    kind = EvidenceImage.Kind.ADDRESS_DOCUMENT


class SubmitView(CitizenAPIView):
    @extend_schema(request=None, responses={200: IdentityCaseSerializer}, tags=["identity"])
    def post(self, request):
        case = selectors.current_identity_case(person=request.user)
        if case is None or case.status not in (IdentityCase.Status.IN_PROGRESS, IdentityCase.Status.MORE_EVIDENCE):
            return Response(error_body("nothing_to_submit", "There is no open identity check to submit."), status=409)
        return self.case_response(cases.submit_case(case=case))
