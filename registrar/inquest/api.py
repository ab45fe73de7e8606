"""The coroners' API: a coroner's office sends a certificate after inquest or an interim
certificate of the fact of death (`POST /api/v1/registrar/coroner-certificates`), and a registrar's
client registers the death from a certificate after inquest (`…/<ref>/register`) with the same
form and service as the staff page."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_errors import error_body, form_errors_response
from core.forms import bind_json

from ..models import SUBMIT_CORONER_CERTIFICATES
from . import selectors, services
from .forms import RegisterFromCertificateForm
from .refusals import InquestRefused
from .serializers import (
    CoronerCertificateRequestSerializer,
    CoronerCertificateSerializer,
    RegisteredFromCertificateSerializer,
)

ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description='The error body: `{"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}`',
)


class SendsCoronerCertificates(BasePermission):
    """Coroners' API clients (role "Coroner (API)")."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm(SUBMIT_CORONER_CERTIFICATES))


class CoronerCertificatesView(APIView):
    permission_classes = [SendsCoronerCertificates]

    @extend_schema(
        summary="Send a certificate after inquest or an interim certificate of the fact of death (coroners)",
        description=(
            "`after_inquest`: the registrar of the district of the place of death registers the death from it, "
            "without an informant, and the family is told. `interim_fact_of_death`: the inquest is open; the family "
            "receives a signed interim certificate. Give `mccd_reference` when the death was referred with an MCCD: "
            "the family's registration waiting for the coroner is linked. The district must be one your office "
            "sends to."
        ),
        request=CoronerCertificateRequestSerializer,
        responses={201: CoronerCertificateSerializer, 400: ERROR, 401: ERROR, 403: ERROR, 409: ERROR},
        tags=["registration"],
    )
    def post(self, request):
        serializer = CoronerCertificateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.record_coroner_certificate(
            submitted_by=request.user, details=dict(serializer.validated_data)
        )
        return Response(CoronerCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)


class RegisterRequestSerializer(serializers.Serializer):
    """What the registrar confirms (documentation: the page's form validates)."""

    checked = serializers.BooleanField(help_text="true: the particulars were checked against the certificate")


class RegisterFromCertificateView(APIView):
    @extend_schema(
        summary="Register a death from a certificate after inquest (registrars)",
        description="One entry in the register of deaths of the district, with the coroner's statement in the "
        "informant's column. A certificate outside your offices answers 404.",
        request=RegisterRequestSerializer,
        responses={
            201: RegisteredFromCertificateSerializer,
            400: ERROR,
            401: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
        },
        tags=["registration"],
    )
    def post(self, request, reference: str):
        if not (request.user.is_authenticated and request.user.is_staff):
            raise PermissionDenied("Only registrars can register deaths.")
        if not request.user.has_perm(services.WORK_REGISTRATIONS):
            raise InquestRefused("inquest_not_permitted")
        certificate = selectors.certificate_for(request.user, reference)
        if certificate is None:
            raise Http404
        if not isinstance(request.data, dict):
            return Response(error_body("invalid", "Send a JSON object."), status=400)
        form = bind_json(RegisterFromCertificateForm, request.data)
        if not form.is_valid():
            return form_errors_response(form)
        entry = services.register_from_certificate(certificate=certificate, actor=request.user)
        certificate.refresh_from_db()
        body = {
            "certificate": certificate.reference,
            "entry": entry.entry_reference,
            "registration": certificate.registration.reference if certificate.registration_id else None,
        }
        return Response(RegisteredFromCertificateSerializer(body).data, status=status.HTTP_201_CREATED)
