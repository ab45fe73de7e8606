"""The relying party's pages: start signing in, the return address (Authlib exchanges the code
with the PKCE verifier and checks the ID token's signature, issuer, audience and nonce), and a
page that uses the refresh token. Each page shows what the site now knows, as JSON in the page."""

import json
from html import escape

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.http import HttpResponse

oauth = OAuth()
oauth.register(
    name="registrar",
    server_metadata_url=settings.PROVIDER_URL + "/.well-known/openid-configuration",
    client_id=settings.CLIENT_ID,
    client_secret=settings.CLIENT_SECRET,
    client_kwargs={"scope": settings.SCOPE, "code_challenge_method": "S256"},
)


def _page(title: str, data: dict, status: int = 200) -> HttpResponse:
    body = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body><main><h1>{escape(title)}</h1><pre id="result">{escape(json.dumps(data, sort_keys=True))}</pre>'
        "</main></body></html>"
    )
    return HttpResponse(body, status=status)


def home(request):
    return _page("Parking permits", {"signed_in": "claims" in request.session})


def login(request):
    return oauth.registrar.authorize_redirect(request, request.build_absolute_uri("/callback/"))


def callback(request):
    try:
        token = oauth.registrar.authorize_access_token(request)
    except OAuthError as error:
        return _page("Sign-in failed", {"error": error.error}, status=400)
    request.session["claims"] = dict(token["userinfo"])
    request.session["refresh_token"] = token["refresh_token"]
    return _page("Signed in", {"claims": dict(token["userinfo"])})


def refresh(request):
    try:
        token = oauth.registrar.fetch_access_token(
            grant_type="refresh_token", refresh_token=request.session.get("refresh_token", "")
        )
    except OAuthError as error:
        return _page("Refresh refused", {"error": error.error}, status=400)
    request.session["refresh_token"] = token["refresh_token"]
    return _page("Refreshed", {"refreshed": True})
