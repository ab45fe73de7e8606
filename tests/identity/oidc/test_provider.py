"""The provider's protocol rules: the authorization-code flow with PKCE S256 only, signed ID
tokens verified against the published keys, single-use short-lived codes, exact redirect URIs,
refresh tokens rotated with reuse detection, revocation, userinfo and discovery."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone
from jwcrypto import jwk, jwt

from identity.models import IdentityCase
from tests.factories.identity import verify_identity

from .conftest import authorize, authorize_params, exchange, pkce_pair


def verify_id_token(http, token: str) -> dict:
    keys = jwk.JWKSet.from_json(http.get(reverse("oauth2_provider:jwks-info")).content.decode())
    return json.loads(jwt.JWT(jwt=token, key=keys, algs=["RS256"]).claims)


def test_discovery_states_only_the_code_flow_with_s256_and_pairwise_subjects(client, db):
    data = client.get("/.well-known/openid-configuration").json()
    assert data["issuer"] == "http://testserver"
    assert data["response_types_supported"] == ["code"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["subject_types_supported"] == ["pairwise"]
    assert data["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert data["id_token_signing_alg_values_supported"] == ["RS256"]
    assert data["acr_values_supported"] == ["P0", "P2"]
    for endpoint in (
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "jwks_uri",
        "revocation_endpoint",
        "end_session_endpoint",
    ):
        assert data[endpoint].startswith("http://testserver/")


def test_a_person_signs_in_and_the_service_gets_a_signed_id_token_with_its_nonce(signed_in, parking, citizen):
    grant = authorize(signed_in, parking)
    assert parse_qs(urlsplit(grant.response["Location"]).query)["state"] == [grant.state]
    response = exchange(signed_in, parking, grant.code, grant.verifier)
    assert response.status_code == 200, response.content
    tokens = response.json()
    claims = verify_id_token(signed_in, tokens["id_token"])
    assert claims["aud"] == parking.client_id
    assert claims["iss"] == "http://testserver"
    assert claims["nonce"] == grant.nonce
    assert claims["email"] == citizen.email and claims["email_verified"] is True
    assert claims["sub"] != str(citizen.pk)
    assert "verified_identity" not in claims


def test_a_code_cannot_be_used_twice(signed_in, parking):
    grant = authorize(signed_in, parking)
    assert exchange(signed_in, parking, grant.code, grant.verifier).status_code == 200
    replay = exchange(signed_in, parking, grant.code, grant.verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_a_code_expires_after_60_seconds(signed_in, parking):
    grant = authorize(signed_in, parking)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        response = exchange(signed_in, parking, grant.code, grant.verifier)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_forged_code_is_refused(signed_in, parking):
    _verifier, _challenge = pkce_pair()
    response = exchange(signed_in, parking, "forged-code-0123456789", "x" * 50)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_missing_or_wrong_pkce_verifier_is_refused(signed_in, parking):
    grant = authorize(signed_in, parking)
    assert exchange(signed_in, parking, grant.code, None).status_code == 400
    grant = authorize(signed_in, parking)
    assert exchange(signed_in, parking, grant.code, "w" * 50).status_code == 400


def test_an_authorization_without_pkce_or_with_plain_pkce_is_refused(signed_in, parking):
    for params in (
        authorize_params(parking),
        authorize_params(parking, challenge="c" * 43, method="plain"),
    ):
        response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert "error=" in response["Location"] and "code=" not in response["Location"]


def test_a_redirect_uri_must_match_exactly_and_is_never_followed_when_wrong(signed_in, parking):
    _verifier, challenge = pkce_pair()
    for wrong in (parking.redirect_uri + "/", parking.redirect_uri + "?x=1", "https://evil.example/cb"):
        params = authorize_params(parking, challenge=challenge, redirect_uri=wrong)
        response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
        assert response.status_code == 400
        assert b"There is a problem with this sign-in" in response.content


def test_the_token_exchange_needs_the_same_redirect_uri(signed_in, parking):
    grant = authorize(signed_in, parking)
    response = exchange(signed_in, parking, grant.code, grant.verifier, redirect_uri="https://evil.example/cb")
    assert response.status_code == 400


def test_a_code_is_bound_to_the_client_it_was_issued_to(signed_in, parking, schools):
    grant = authorize(signed_in, parking)
    stolen = exchange(signed_in, schools, grant.code, grant.verifier, redirect_uri=parking.redirect_uri)
    assert stolen.status_code in (400, 401)


def test_a_wrong_client_secret_is_refused(signed_in, parking):
    grant = authorize(signed_in, parking)
    parking.client_secret = "not-the-secret"
    assert exchange(signed_in, parking, grant.code, grant.verifier).status_code == 401


def test_the_client_secret_is_stored_hashed(parking):
    stored = parking.service.application.client_secret
    assert parking.client_secret not in stored and check_password(parking.client_secret, stored)


def test_implicit_and_password_grants_are_refused(signed_in, parking, citizen):
    params = authorize_params(parking, challenge=pkce_pair()[1], response_type="token")
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert "access_token" not in response.get("Location", "")
    assert response.status_code in (302, 400)
    password = signed_in.post(
        reverse("oauth2_provider:token"),
        {
            "grant_type": "password",
            "username": citizen.email,
            "password": "x",
            "client_id": parking.client_id,
            "client_secret": parking.client_secret,
        },
    )
    assert password.status_code in (400, 401) and "access_token" not in password.json()
    credentials = signed_in.post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "client_id": parking.client_id, "client_secret": parking.client_secret},
    )
    assert credentials.status_code in (400, 401) and "access_token" not in credentials.json()


def _refresh(http, client, refresh_token):
    return http.post(
        reverse("oauth2_provider:token"),
        {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client.client_id,
            "client_secret": client.client_secret,
        },
    )


def test_a_refresh_token_is_rotated_and_reusing_an_old_one_revokes_the_family(signed_in, parking):
    grant = authorize(signed_in, parking)
    first = exchange(signed_in, parking, grant.code, grant.verifier).json()
    second = _refresh(signed_in, parking, first["refresh_token"])
    assert second.status_code == 200
    second = second.json()
    assert second["refresh_token"] != first["refresh_token"]
    reused = _refresh(signed_in, parking, first["refresh_token"])
    assert reused.status_code == 400
    # Someone replayed an old token: the newest one is revoked too.
    assert _refresh(signed_in, parking, second["refresh_token"]).status_code == 400


def test_userinfo_gives_the_same_pairwise_subject_and_revocation_stops_the_token(signed_in, parking):
    grant = authorize(signed_in, parking)
    tokens = exchange(signed_in, parking, grant.code, grant.verifier).json()
    claims = verify_id_token(signed_in, tokens["id_token"])
    info = signed_in.get(reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 200 and info.json()["sub"] == claims["sub"]
    revoked = signed_in.post(
        reverse("oauth2_provider:revoke-token"),
        {"token": tokens["access_token"], "client_id": parking.client_id, "client_secret": parking.client_secret},
    )
    assert revoked.status_code == 200
    after = signed_in.get(reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert after.status_code == 401


def test_a_tampered_id_token_fails_verification(signed_in, parking):
    grant = authorize(signed_in, parking)
    token = exchange(signed_in, parking, grant.code, grant.verifier).json()["id_token"]
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    # No published key verifies the changed token.
    with pytest.raises(jwt.JWTMissingKey):
        verify_id_token(signed_in, f"{header}.{forged}.{signature}")


def test_the_token_endpoint_is_rate_limited(signed_in, parking, settings):
    settings.OIDC_TOKEN_REQUESTS_PER_MINUTE = 3
    answers = [exchange(signed_in, parking, "nope", "x" * 50).status_code for _ in range(4)]
    assert answers[:3] == [400, 400, 400] and answers[3] == 429


def test_the_consent_form_may_post_back_to_the_service_origin_only(signed_in, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1])
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    policy = response["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", "https://parking.example.gov.uk"]


def test_a_service_signs_the_person_out_here_too_after_they_confirm(signed_in, parking):
    grant = authorize(signed_in, parking)
    id_token = exchange(signed_in, parking, grant.code, grant.verifier).json()["id_token"]
    back = parking.redirect_uri + "/out"
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": back, "state": "s1"}
    page = signed_in.get(reverse("oauth2_provider:rp-initiated-logout") + "?" + urlencode(params))
    assert page.status_code == 200 and "Parking permits asked to sign you out" in page.content.decode()
    done = signed_in.post(reverse("oauth2_provider:rp-initiated-logout"), {**params, "allow": "on"})
    assert done.status_code == 302 and done["Location"].startswith(back) and "state=s1" in done["Location"]
    assert "_auth_user_id" not in signed_in.session


def test_signing_out_to_an_unregistered_address_is_refused(signed_in, parking):
    grant = authorize(signed_in, parking)
    id_token = exchange(signed_in, parking, grant.code, grant.verifier).json()["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/"}
    page = signed_in.get(reverse("oauth2_provider:rp-initiated-logout") + "?" + urlencode(params))
    assert page.status_code == 400 and "evil.example" not in page.get("Location", "")


def test_a_refresh_token_works_only_for_the_client_it_was_issued_to(signed_in, parking, schools):
    grant = authorize(signed_in, parking)
    tokens = exchange(signed_in, parking, grant.code, grant.verifier).json()
    assert _refresh(signed_in, schools, tokens["refresh_token"]).status_code == 400
    assert _refresh(signed_in, parking, tokens["refresh_token"]).status_code == 200


def test_prompt_none_without_a_session_answers_login_required(client, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1], prompt="none")
    response = client.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert response.status_code == 302
    assert response["Location"].startswith(parking.redirect_uri) and "error=login_required" in response["Location"]


def test_the_id_token_carries_what_a_relying_party_checks(signed_in, parking):
    grant = authorize(signed_in, parking)
    tokens = exchange(signed_in, parking, grant.code, grant.verifier).json()
    claims = verify_id_token(signed_in, tokens["id_token"])
    assert {"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "jti"} <= set(claims)
    assert claims["exp"] - claims["iat"] <= 600
    header = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[0] + "=="))
    assert header["alg"] == "RS256" and header["kid"]
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] <= 600


def test_prompt_none_gives_a_code_only_with_remembered_consent(signed_in, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1], prompt="none")
    first = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert "error=consent_required" in first["Location"]
    authorize(signed_in, parking)
    params = authorize_params(parking, challenge=pkce_pair()[1], prompt="none")
    again = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert "code=" in again["Location"]
    wider = authorize_params(parking, scope="openid identity", challenge=pkce_pair()[1], prompt="none")
    unasked = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(wider))
    assert "error=consent_required" in unasked["Location"]


def test_prompt_none_for_a_person_whose_check_no_longer_counts_asks_for_interaction(signed_in, parking, citizen):
    case = verify_identity(citizen)
    authorize(signed_in, parking, scope="openid identity")
    case.status = IdentityCase.Status.IN_PROGRESS
    case.save()
    params = authorize_params(parking, scope="openid identity", challenge=pkce_pair()[1], prompt="none")
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert "error=interaction_required" in response["Location"] and "code=" not in response["Location"]
