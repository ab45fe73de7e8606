"""API sign-in: ask for a code, swap it for a bearer token, see who you are, sign out."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api_errors import ErrorSerializer, refusal_response
from core.client import client_address

from . import services
from .serializers import (
    CodeAcceptedSerializer,
    CodeRequestSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)


class AuthCodeView(APIView):
    """Always 202 for a well-formed address, whether or not an account exists."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=CodeRequestSerializer,
        responses={
            202: CodeAcceptedSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad input"),
            429: OpenApiResponse(ErrorSerializer, description="Too many codes"),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = CodeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.request_sign_in_code(
                email=serializer.validated_data["email"], client_address=client_address(request)
            )
        except services.CodeThrottled as throttled:
            return refusal_response(throttled, headers={"Retry-After": str(throttled.retry_after)})
        detail = _(
            "If the address can receive email, a 6-number code is on its way. It expires in %(minutes)s minutes."
        ) % {"minutes": settings.OTP_EMAIL_LIFETIME_MINUTES}
        return Response({"detail": detail}, status=status.HTTP_202_ACCEPTED)


class AuthTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Wrong or expired code"),
            403: OpenApiResponse(ErrorSerializer, description="A staff or closed account"),
            429: OpenApiResponse(ErrorSerializer, description="Locked"),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # CodeRejected and SignInRefused are answered by the API's exception handler.
        result = services.sign_in_with_code(
            email=serializer.validated_data["email"],
            code=serializer.validated_data["code"].strip(),
            client_address=client_address(request),
        )
        token, expires_at = services.issue_api_token(user=result.user)
        return Response({"token": token, "token_type": "Bearer", "expires_at": expires_at}, status=status.HTTP_200_OK)


class MeView(APIView):
    @extend_schema(responses={200: MeSerializer}, tags=["auth"])
    def get(self, request):
        user = request.user
        return Response(
            {
                "email": user.email,
                "full_name": user.full_name,
                "mobile_number": user.mobile_number,
                "mobile_verified": user.mobile_verified,
            }
        )

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def delete(self, request):
        """Sign out: the token in use stops working at once."""
        services.revoke_api_token(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)
