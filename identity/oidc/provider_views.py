"""The protocol endpoints, each django-oauth-toolkit's view with this service's rules on top: the
authorization step signs in citizens with their one-time code, asks for consent on a GOV.UK page
(remembered per service and claim set), refuses anything but PKCE S256 and sends a person below
the confidence a service asks for through the identity check first; the token endpoint is
rate-limited; discovery states exactly what is supported."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.models import AccessToken
from oauth2_provider.views import AuthorizationView, ConnectDiscoveryInfoView, RPInitiatedLogoutView, TokenView
from oauthlib.oauth2.rfc6749 import errors as oauth_errors

from core.client import client_address
from core.windows import count_in_window
from identity.selectors import has_medium_confidence

from . import claims as claim_rules
from . import selectors, services
from .validators import SIGNED_IN_PERSON, service_for

RESUME_SESSION_KEY = "oidc_resume_authorization"


class BadLevels(ValueError):
    """`vtr` is not a JSON list of vectors."""


def requested_levels(params) -> set[str]:
    """The confidence levels a request names, from `acr_values` ("P2") or a `vtr` vector list
    (["Cl.Cm.P2"]), as GOV.UK One Login takes them."""
    levels = set(params.get("acr_values", "").split())
    vtr = params.get("vtr", "")
    if vtr:
        try:
            vectors = json.loads(vtr)
        except ValueError as error:
            raise BadLevels from error
        if not isinstance(vectors, list) or not all(isinstance(vector, str) for vector in vectors):
            raise BadLevels
        for vector in vectors:
            levels.update(part for part in vector.split(".") if part.startswith("P"))
    return levels


def needs_medium_confidence(params, scopes) -> bool:
    return claim_rules.IDENTITY_SCOPE in scopes or claim_rules.MEDIUM_CONFIDENCE in requested_levels(params)


def allow_form_to(response, redirect_uri: str | None):
    """The consent form's answer redirects to the service; browsers apply the page's CSP
    form-action to that redirect, so the service's own (registered, exact) origin is allowed."""
    if redirect_uri and response.status_code == 200:
        parts = urlsplit(redirect_uri)
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}
    return response


class ConsentView(AuthorizationView):
    template_name = "identity/oidc/consent.html"

    def dispatch(self, request, *args, **kwargs):
        # Staff accounts sign in with a password; only citizens (one-time codes) use other services.
        if request.user.is_authenticated and request.user.is_staff:
            raise PermissionDenied
        # Agreeing to share a person's identity is theirs alone, never phone support's for them.
        if getattr(request, "assisted_by", None) is not None:
            raise PermissionDenied
        # The service may ask for the pages in the person's language (`ui_locales`).
        language = selectors.requested_language(request.GET.get("ui_locales"))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return super().dispatch(request, *args, **kwargs)

    def _pkce_refused(self, credentials, application):
        if credentials.get("code_challenge_method") == "S256" and credentials.get("code_challenge"):
            return None
        error = OAuthToolkitError(
            error=oauth_errors.InvalidRequestError(
                description="PKCE with code_challenge_method=S256 is required.", state=credentials.get("state")
            ),
            redirect_uri=credentials.get("redirect_uri"),
        )
        return self.error_response(error, application)

    def get(self, request, *args, **kwargs):
        request.META[SIGNED_IN_PERSON] = str(request.user.pk)
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        service = selectors.service_for_client_id(credentials["client_id"])
        application = service.application
        refused = self._pkce_refused(credentials, application)
        if refused is not None:
            return refused
        try:
            unknown = requested_levels(request.GET) - set(settings.OIDC_CONFIDENCE_LEVELS)
        except BadLevels:
            unknown = {"?"}
        if unknown:
            error = OAuthToolkitError(
                error=oauth_errors.InvalidRequestError(
                    description="Unsupported confidence level requested.", state=credentials.get("state")
                ),
                redirect_uri=credentials.get("redirect_uri"),
            )
            return self.error_response(error, application)
        if needs_medium_confidence(request.GET, scopes) and not has_medium_confidence(request.user):
            if "none" in request.GET.get("prompt", "").split():
                error = OAuthToolkitError(
                    error=oauth_errors.CustomOAuth2Error(
                        error="interaction_required",
                        description="The person must prove their identity first.",
                        state=credentials.get("state"),
                    ),
                    redirect_uri=credentials.get("redirect_uri"),
                )
                return self.error_response(error, application)
            request.session[RESUME_SESSION_KEY] = request.get_full_path()
            return redirect("oidc:identity-needed")
        request.session.pop(RESUME_SESSION_KEY, None)
        # A remembered answer is used unless the service asks to sign in or to ask again.
        asks_again = {"login", "consent"} & set(request.GET.get("prompt", "").split())
        if not asks_again and services.has_consent(person=request.user, service=service, scopes=scopes):
            if isinstance(credentials.get("ui_locales"), list):
                credentials["ui_locales"] = " ".join(credentials["ui_locales"])
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request, scopes=" ".join(scopes), credentials=credentials, allow=True
                )
            except OAuthToolkitError as error:
                return self.error_response(error, application)
            return self.redirect(uri, application)
        response = super().get(request, *args, **kwargs)
        return allow_form_to(response, credentials.get("redirect_uri"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = kwargs.get("scopes") or self.oauth2_data.get("scopes") or []
        context["service"] = service_for(context["application"]) if context.get("application") else None
        context["asks_identity"] = claim_rules.IDENTITY_SCOPE in scopes
        context["asks_email"] = "email" in scopes
        if context["asks_identity"]:
            case = claim_rules.verified_case(self.request.user)
            context["identity"] = claim_rules.verified_identity(case) if case else None
            context["identity_case"] = case
        return context

    def form_valid(self, form):
        service = selectors.service_for_client_id(form.cleaned_data["client_id"])
        if service is None or not service.active:
            return render(self.request, "identity/oidc/error.html", status=400)
        credentials = {
            "code_challenge_method": form.cleaned_data.get("code_challenge_method"),
            "code_challenge": form.cleaned_data.get("code_challenge"),
            "state": form.cleaned_data.get("state"),
            "redirect_uri": form.cleaned_data.get("redirect_uri"),
        }
        if credentials["redirect_uri"] not in service.application.redirect_uris.split():
            return render(self.request, "identity/oidc/error.html", status=400)
        refused = self._pkce_refused(credentials, service.application)
        if refused is not None:
            return refused
        scopes = form.cleaned_data.get("scope", "").split()
        if claim_rules.IDENTITY_SCOPE in scopes and not has_medium_confidence(self.request.user):
            return redirect("oidc:identity-needed")
        response = super().form_valid(form)
        location = response.get("Location", "")
        if form.cleaned_data.get("allow") and "code" in parse_qs(urlsplit(location).query):
            services.remember_consent(
                person=self.request.user, service=service, scopes=scopes, client_address=client_address(self.request)
            )
        return response

    def form_invalid(self, form):
        return render(self.request, "identity/oidc/error.html", status=400)


class RateLimitedTokenView(TokenView):
    """The token endpoint, limited per client address and per client so that codes and secrets
    cannot be guessed at speed. A request counts against a client only once the client has
    proved it is that client, so nobody can use up a service's allowance by naming it."""

    def post(self, request, *args, **kwargs):
        address = client_address(request) or "unknown"
        client_id = (request.POST.get("client_id", "") or _basic_client_id(request))[:100]
        client_key = f"oidc:token:client:{client_id}"
        if count_in_window(f"oidc:token:address:{address}", 60) > settings.OIDC_TOKEN_REQUESTS_PER_MINUTE or (
            client_id and (cache.get(client_key) or 0) >= settings.OIDC_TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE
        ):
            response = JsonResponse(
                {"error": "slow_down", "error_description": "Too many token requests; wait a minute."}, status=429
            )
            response["Retry-After"] = "60"
            return response
        try:
            response = super().post(request, *args, **kwargs)
        except AccessToken.DoesNotExist:
            # Two requests raced with one refresh token: the loser's replay revoked the family,
            # including the token just minted for the winner, so neither gets a working token.
            response = JsonResponse(
                {"error": "invalid_grant", "error_description": "The refresh token was used twice."}, status=400
            )
        if client_id and not _client_unauthenticated(response):
            count_in_window(client_key, 60)
        return response


def _client_unauthenticated(response) -> bool:
    if response.status_code == 401:
        return True
    try:
        return json.loads(response.content).get("error") == "invalid_client"
    except (ValueError, AttributeError):
        return False


def _basic_client_id(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("basic "):
        return ""
    try:
        decoded = base64.b64decode(header[6:]).decode()
    except (ValueError, UnicodeDecodeError):
        return ""
    return decoded.partition(":")[0]


class DiscoveryView(ConnectDiscoveryInfoView):
    """Discovery that states only what the provider really accepts."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            {
                "response_types_supported": ["code"],
                "response_modes_supported": ["query"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "claims_supported": sorted(
                    {"iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash"}
                    | {name for names in claim_rules.SCOPE_CLAIMS.values() for name in names}
                ),
                "acr_values_supported": list(settings.OIDC_CONFIDENCE_LEVELS),
                "vtr_values_supported": ["Cl.Cm", "Cl.Cm.P2"],
                "ui_locales_supported": ["en", "cy"],
                "revocation_endpoint": request.build_absolute_uri(reverse("oauth2_provider:revoke-token")),
                "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
                "claims_parameter_supported": False,
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "service_documentation": request.build_absolute_uri(reverse("oidc:services")),
            }
        )
        data["prompt_values_supported"] = ["none", "login"]
        data.pop("client_id_metadata_document_supported", None)
        return JsonResponse(data, headers={"Access-Control-Allow-Origin": "*"})


class LogoutView(RPInitiatedLogoutView):
    template_name = "identity/oidc/logout.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Only a registered address gets this far (strict post-logout redirect URIs).
        return allow_form_to(response, request.GET.get("post_logout_redirect_uri"))
