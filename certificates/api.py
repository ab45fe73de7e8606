"""The public certificates API (`/api/v1/certificates/…`): search the index, check a serial
number, and check an uploaded PDF. No sign-in; verification is rate-limited per address."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import PERSONAL_QUERY_REFUSED, ErrorSerializer, personal_query_response
from core.client import client_address
from core.replica import reads_may_lag

from . import kept_documents, selectors
from .limits import count_verification
from .refusals import VerificationRefused
from .serializers import (
    IndexPageSerializer,
    IndexQuerySerializer,
    PdfUploadSerializer,
    PdfVerdictSerializer,
    VerificationSerializer,
)

BAD_REQUEST = OpenApiResponse(ErrorSerializer, description="Invalid input; the error says which field")
SEARCH_REFUSED = OpenApiResponse(
    ErrorSerializer,
    description=(
        "Invalid input (`invalid`, with the fields), or a search the index does not answer: "
        "`surname_without_letters`, `year_out_of_range`, `years_either_side_out_of_range`, "
        "`years_either_side_without_year`, `maiden_surname_births_only`"
    ),
)
UNKNOWN = OpenApiResponse(ErrorSerializer, description="`unknown`: no certificate has this serial number")
THROTTLED = OpenApiResponse(ErrorSerializer, description="`throttled`: too many checks from this address; wait")


def verification_data(document: kept_documents.KeptDocument) -> dict:
    """What the API says of an issued document of any kind, for the serial and the upload alike."""
    return {
        "serial": document.serial,
        "status": document.status,
        "kind": document.record.kind,
        "issued_on": timezone.localdate(document.issued_at),
        "name": document.name,
        "entry": document.entry_reference,
        "revoked_on": timezone.localdate(document.revoked_at) if document.revoked_at else None,
    }


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


# The index search's parameters that carry personal data: names.
PERSONAL_INDEX_PARAMETERS = ("surname", "forenames", "mother_maiden_surname")


@reads_may_lag
class IndexSearchView(PublicView):
    @extend_schema(
        summary="Refused: search the index with POST",
        description=(
            "Names in an address end up in logs and browser history, so this search is no longer "
            "answered: it always gets `400 personal_data_in_address`. Search with `POST`, the names in "
            "the body."
        ),
        parameters=[],
        responses={400: PERSONAL_QUERY_REFUSED},
        tags=["certificates"],
        deprecated=True,
    )
    def get(self, request):
        return personal_query_response(request.query_params, PERSONAL_INDEX_PARAMETERS)

    @extend_schema(
        summary="Search the public index (the names in the body, never in the address)",
        request=IndexQuerySerializer,
        responses={200: IndexPageSerializer, 400: SEARCH_REFUSED},
        tags=["certificates"],
    )
    def post(self, request):
        return self._search(request.data)

    def _search(self, given) -> Response:
        query = IndexQuerySerializer(data=given)
        query.is_valid(raise_exception=True)
        return Response(IndexPageSerializer(selectors.search_index(query.search())).data)


@reads_may_lag
class VerifySerialView(PublicView):
    @extend_schema(
        summary="Check a certificate by its serial number",
        responses={200: VerificationSerializer, 404: UNKNOWN, 429: THROTTLED},
        tags=["certificates"],
    )
    def get(self, request, serial: str):
        count_verification(client_address(request))
        document = kept_documents.check_serial(serial)
        if document is None:
            raise VerificationRefused("unknown")
        return Response(VerificationSerializer(verification_data(document)).data)


@reads_may_lag
class VerifyPdfView(PublicView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Check a certificate PDF: its signature, that it is the document issued, and its status",
        request={"multipart/form-data": PdfUploadSerializer},
        responses={200: PdfVerdictSerializer, 400: BAD_REQUEST, 429: THROTTLED},
        tags=["certificates"],
    )
    def post(self, request):
        count_verification(client_address(request))
        upload = PdfUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        pdf = upload.validated_data["file"].read()
        result = kept_documents.check_pdf(pdf)
        return Response(
            PdfVerdictSerializer(
                {
                    "verdict": result.verdict,
                    "signature_intact": result.signature_intact,
                    "signed_by_us": result.signed_by_us,
                    "whole_document": result.whole_document,
                    "content_matches_record": result.content_matches_record,
                    "certificate": verification_data(result.document) if result.document else None,
                }
            ).data
        )
