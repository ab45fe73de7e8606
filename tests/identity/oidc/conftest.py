"""Fixtures for the OpenID Connect provider: a registered service with its one-time secret, a
signed-in citizen, and the steps of the authorization-code flow with PKCE as a client takes them."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.urls import reverse

from identity import roles
from identity.oidc import services
from tests.factories.identity import StaffFactory, UserFactory

REDIRECT_URI = "https://parking.example.gov.uk/signed-in"


@dataclass
class Client:
    service: object
    client_id: str
    client_secret: str
    redirect_uri: str = REDIRECT_URI


@pytest.fixture(autouse=True)
def _quick_secret_hashing(settings):
    # Client secrets are hashed like passwords; the slow default hasher would check each one for
    # half a second. What is stored is still a hash (test_the_client_secret_is_stored_hashed).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def service_admin(db):
    return StaffFactory(roles=[roles.SERVICE_ADMIN])


def register(admin, *, name="Parking permits", scopes=("email", "identity"), redirect_uri=REDIRECT_URI, sector=""):
    registered = services.register_client(
        actor=admin,
        name=name,
        redirect_uris=[redirect_uri],
        post_logout_redirect_uris=[redirect_uri + "/out"],
        contact_email="parking@example.gov.uk",
        allowed_scopes=list(scopes),
        sector=sector,
    )
    return Client(
        service=registered.service,
        client_id=registered.service.application.client_id,
        client_secret=registered.client_secret,
        redirect_uri=redirect_uri,
    )


@pytest.fixture
def parking(service_admin):
    return register(service_admin)


@pytest.fixture
def schools(service_admin):
    return register(service_admin, name="School admissions", redirect_uri="https://schools.example.gov.uk/cb")


@pytest.fixture
def citizen(db):
    return UserFactory()


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@dataclass
class Authorization:
    code: str
    verifier: str
    state: str
    nonce: str
    response: object


def authorize_params(client: Client, *, scope="openid email", challenge="", method="S256", **extra) -> dict:
    params = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "scope": scope,
        "state": extra.pop("state", secrets.token_urlsafe(8)),
        "nonce": extra.pop("nonce", secrets.token_urlsafe(8)),
    }
    if challenge:
        params["code_challenge"] = challenge
        params["code_challenge_method"] = method
    params.update(extra)
    return params


def authorize(http, client: Client, *, scope="openid email", consent=True, **extra) -> Authorization:
    """The browser's part: the authorization request, the consent page, and the code on the
    return address."""
    verifier, challenge = pkce_pair()
    params = authorize_params(client, scope=scope, challenge=challenge, **extra)
    response = http.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    if response.status_code == 200 and consent:
        form = {**params, "allow": "on"}
        response = http.post(reverse("oauth2_provider:authorize"), form)
    assert response.status_code == 302, response.content[:2000]
    location = response["Location"]
    query = parse_qs(urlsplit(location).query)
    code = query.get("code", [""])[0]
    return Authorization(code=code, verifier=verifier, state=params["state"], nonce=params["nonce"], response=response)


def exchange(http, client: Client, code: str, verifier: str | None, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": client.redirect_uri, **extra}
    if verifier is not None:
        data["code_verifier"] = verifier
    return http.post(
        reverse("oauth2_provider:token"),
        data,
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode(),
    )


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client
