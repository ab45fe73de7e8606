"""django-oauth-toolkit's request validator with this service's rules: only the authorization-code
flow (with refresh), PKCE S256, exact redirect URIs, scopes limited to what the service was allowed,
pairwise subjects, and every release of claims recorded for the person to see."""

from __future__ import annotations

from django.utils import timezone
from oauth2_provider.models import Grant
from oauth2_provider.oauth2_validators import OAuth2Validator

from . import claims as claim_rules
from .models import ClaimRelease, ServiceClient, SharingConsent

ALLOWED_GRANT_TYPES = {"authorization_code", "refresh_token"}
# Set by the authorization view in the request's server-side environment (never from a header a
# client can send): the signed-in person, for `prompt=none`.
SIGNED_IN_PERSON = "registrar.oidc.person_id"


def service_for(application) -> ServiceClient | None:
    try:
        service = application.service
    except ServiceClient.DoesNotExist:
        return None
    return service if service.active else None


class IdentityValidator(OAuth2Validator):
    oidc_claim_scope = {claim: scope for scope, names in claim_rules.SCOPE_CLAIMS.items() for claim in names}

    def validate_client_id(self, client_id, request, *args, **kwargs):
        # A client with no service record, or a disabled one, does not exist for the protocol.
        if not super().validate_client_id(client_id, request, *args, **kwargs):
            return False
        return service_for(request.client) is not None

    def authenticate_client(self, request, *args, **kwargs):
        return super().authenticate_client(request, *args, **kwargs) and service_for(request.client) is not None

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        return grant_type in ALLOWED_GRANT_TYPES and super().validate_grant_type(
            client_id, grant_type, client, request, *args, **kwargs
        )

    def validate_response_type(self, client_id, response_type, client, request, *args, **kwargs):
        return response_type == "code" and super().validate_response_type(
            client_id, response_type, client, request, *args, **kwargs
        )

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        # Exactly one of the registered addresses, character for character.
        return redirect_uri in request.client.redirect_uris.split()

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        service = service_for(client)
        if service is None or "openid" not in scopes:
            return False
        return set(scopes) <= {"openid", *service.allowed_scopes}

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        method = Grant.objects.filter(code=code, application=client).values_list("code_challenge_method", flat=True)
        if method.first() != "S256":
            return False
        return super().validate_code(client_id, code, client, request, *args, **kwargs)

    def validate_silent_login(self, request):
        return bool(request.headers.get(SIGNED_IN_PERSON))

    def validate_silent_authorization(self, request):
        service = service_for(request.client) if request.client else None
        person_id = request.headers.get(SIGNED_IN_PERSON)
        if service is None or not person_id:
            return False
        consent = SharingConsent.objects.filter(person_id=person_id, client=service, withdrawn_at__isnull=True).first()
        return consent is not None and set(request.scopes) <= set(consent.scopes)

    # A code exchanged by a parallel request is gone by the time these run: that is a refused
    # code (invalid_grant), not an error.
    def confirm_redirect_uri(self, client_id, code, redirect_uri, client, *args, **kwargs):
        grant = Grant.objects.filter(code=code, application=client).first()
        return grant is not None and grant.redirect_uri_allowed(redirect_uri)

    def get_code_challenge(self, code, request):
        grant = Grant.objects.filter(code=code, application=request.client).first()
        return grant.code_challenge or None if grant else None

    def get_code_challenge_method(self, code, request):
        grant = Grant.objects.filter(code=code, application=request.client).first()
        return grant.code_challenge_method or None if grant else None

    def get_additional_claims(self, request):
        service = service_for(request.client)
        if service is None:
            return {}
        released = claim_rules.claims_for(person=request.user, sector=service.sector, scopes=request.scopes)
        return {name: value for name, value in released.items() if name in self._granted_claims(request)}

    def _granted_claims(self, request) -> set[str]:
        return {claim for scope in request.scopes for claim in claim_rules.SCOPE_CLAIMS.get(scope, ())}

    def get_oidc_claims(self, token, token_handler, request):
        result = super().get_oidc_claims(token, token_handler, request)
        service = service_for(request.client)
        if service is not None:
            now = timezone.now()
            ClaimRelease.objects.create(
                person=request.user, client=service, claims=claim_rules.released_claim_names(result), released_at=now
            )
            SharingConsent.objects.filter(person=request.user, client=service, withdrawn_at__isnull=True).update(
                last_shared_at=now
            )
        return result
