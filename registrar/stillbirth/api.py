"""The stillbirth API: hospitals and midwives send medical certificates of stillbirth. Parents
register through the registrations API (`event` "stillbirth"), as for a birth."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from ..api import ERROR, SIGN_IN
from . import services
from .serializers import StillbirthCertificateRequestSerializer, StillbirthCertificateSerializer


class SendsStillbirthCertificates(BasePermission):
    """Hospitals' and midwives' API clients (role "Hospital or midwife (API)")."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("registrar.submit_stillbirth_certificates"))


class StillbirthCertificatesView(APIView):
    permission_classes = [SendsStillbirthCertificates]

    @extend_schema(
        summary="Send a medical certificate of stillbirth (hospitals and midwives)",
        description=(
            "A doctor or midwife certifies a baby born dead after at least "
            f"{settings.STILLBIRTH_MINIMUM_WEEKS} weeks of pregnancy. A parent registers the stillbirth "
            f"within {settings.STILLBIRTH_DAYS} days by giving this certificate's reference."
        ),
        request=StillbirthCertificateRequestSerializer,
        responses={201: StillbirthCertificateSerializer, 400: ERROR, 401: SIGN_IN, 403: ERROR, 409: ERROR},
        tags=["registration"],
    )
    def post(self, request):
        serializer = StillbirthCertificateRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        certificate = services.record_stillbirth_certificate(
            submitted_by=request.user, details=dict(serializer.validated_data)
        )
        return Response(StillbirthCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)
