"""API sign-in: ask for a code, swap it for a bearer token, see who you are, sign out."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from core.api_errors import error_body
from core.client import client_address

from . import services
from .serializers import (
    CodeAcceptedSerializer,
    CodeRequestSerializer,
    MeSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)

ACCEPTED_MESSAGE = "If the address can receive email, a 6-number code is on its way. It expires in 15 minutes."


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
            400: OpenApiResponse(description="Bad input"),
            429: OpenApiResponse(description="Too many codes"),
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
            response = Response(
                error_body("throttled", f"Too many codes asked for. Try again in {throttled.retry_after} seconds."),
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
            response["Retry-After"] = str(throttled.retry_after)
            return response
        return Response({"detail": ACCEPTED_MESSAGE}, status=status.HTTP_202_ACCEPTED)


class AuthTokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(description="Wrong or expired code"),
            429: OpenApiResponse(description="Locked"),
        },
        tags=["auth"],
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            result = services.sign_in_with_code(
                email=serializer.validated_data["email"],
                code=serializer.validated_data["code"].strip(),
                client_address=client_address(request),
            )
        except services.CodeRejected as rejected:
            messages = {
                "incorrect": "The code is incorrect.",
                "expired": "The code has expired. Ask for a new one.",
                "locked": "Too many wrong codes. Wait 15 minutes, then ask for a new code.",
            }
            code = status.HTTP_429_TOO_MANY_REQUESTS if rejected.reason == "locked" else status.HTTP_400_BAD_REQUEST
            return Response(error_body(f"code_{rejected.reason}", messages[rejected.reason]), status=code)
        except services.SignInRefused as refused:
            return Response(
                error_body(
                    "staff_account" if refused.reason == "staff" else "account_closed",
                    "This account cannot sign in with a code.",
                ),
                status=status.HTTP_403_FORBIDDEN,
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
