"""DRF authentication by bearer token (`Authorization: Bearer <token>`)."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .assisted import open_session_for, record_assisted_request
from .models import ApiToken, User
from .services import hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        parts = header.split()
        if len(parts) != 2 or parts[0] != self.keyword:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer <token>'.")
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_token(parts[1]), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid or has expired. Ask for a new one.")
        request.api_token = token
        on_behalf_of = request.META.get("HTTP_ON_BEHALF_OF", "").strip()
        if on_behalf_of:
            return self._assisted(request, token, on_behalf_of)
        return token.user, token

    @staticmethod
    def _assisted(request, token: ApiToken, on_behalf_of: str):
        """Phone support acting for a person through the API: the request runs as the person,
        exactly as the pages do in an assisted session, and is audited on their behalf."""
        staff = token.user
        if not (staff.is_staff and staff.has_perm("identity.assist_citizens")):
            raise exceptions.PermissionDenied("Only phone support in an assisted session may act for a person.")
        person = User.objects.filter(pk=int(on_behalf_of), is_staff=False).first() if on_behalf_of.isdigit() else None
        session = open_session_for(staff=staff, person=person) if person is not None else None
        if session is None:
            raise exceptions.PermissionDenied(
                "There is no open assisted session for that person. Ask them for a new consent code."
            )
        record_assisted_request(request=request, session=session)
        request.assisted_by = staff
        return person, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer token in the OpenAPI schema."""

    target_class = "identity.api_auth.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token from POST /api/v1/auth/token."}
