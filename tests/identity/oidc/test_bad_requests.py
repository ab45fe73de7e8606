"""Whatever a client or a person sends to the provider's addresses gets a clear 4xx, never a 500,
and a tampered consent form cannot widen what is shared or drop PKCE."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from identity.oidc.models import SharingConsent

from .conftest import authorize_params, pkce_pair


@pytest.mark.parametrize(
    ("changes", "answer"),
    [
        ({"client_id": "no-such-client"}, 400),
        ({"client_id": ""}, 400),
        ({"redirect_uri": "x" * 3000}, 400),
        ({"response_type": ""}, "unsupported_response_type"),
        ({"response_type": "code id_token"}, "unauthorized_client"),
        ({"scope": "email"}, "invalid_scope"),
        ({"scope": "openid admin"}, "invalid_scope"),
        ({"scope": ""}, "invalid_scope"),
        ({"vtr": "not json"}, "invalid_request"),
        ({"vtr": '{"a": 1}'}, "invalid_request"),
        ({"acr_values": "P2 P9"}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"prompt": "none login"}, "invalid_request"),
    ],
)
def test_a_bad_authorization_request_is_a_clear_refusal(signed_in, parking, changes, answer):
    params = {**authorize_params(parking, challenge=pkce_pair()[1]), **changes}
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    if answer == 400:
        # The client or its address cannot be trusted: the person is told, nothing is redirected.
        assert response.status_code == 400 and "Location" not in response
        assert "There is a problem with this sign-in" in response.content.decode()
    else:
        location = response["Location"]
        assert location.startswith(parking.redirect_uri + "?") and f"error={answer}" in location
        assert "code=" not in location and f"state={params['state']}" in location


def test_an_unknown_client_never_gets_a_redirect(signed_in, parking):
    params = {**authorize_params(parking, challenge=pkce_pair()[1]), "client_id": "unknown"}
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert response.status_code == 400 and "Location" not in response


@pytest.mark.parametrize(
    "tamper",
    [
        {"code_challenge_method": "plain"},
        {"code_challenge": ""},
        {"scope": "openid email identity"},
        {"redirect_uri": "https://evil.example/cb"},
        {"client_id": "unknown"},
        {"response_type": "token"},
    ],
)
def test_a_tampered_consent_form_is_refused_and_nothing_remembered(signed_in, parking, tamper, service_admin):
    from .conftest import register

    narrow = register(service_admin, name="Bins", scopes=("email",), redirect_uri="https://bins.example.gov.uk/cb")
    params = authorize_params(narrow, challenge=pkce_pair()[1])
    assert signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params)).status_code == 200
    response = signed_in.post(reverse("oauth2_provider:authorize"), {**params, **tamper, "allow": "on"})
    assert response.status_code in (302, 400)
    assert "code=" not in response.get("Location", "")
    assert not SharingConsent.objects.exists()


def test_the_token_endpoint_answers_nonsense_with_json_errors(client, parking):
    for data in ({}, {"grant_type": "magic"}, {"grant_type": "authorization_code"}, {"grant_type": "refresh_token"}):
        response = client.post(reverse("oauth2_provider:token"), data)
        assert response.status_code in (400, 401) and "error" in response.json()
    garbled = client.post(
        reverse("oauth2_provider:token"), {"grant_type": "authorization_code"}, HTTP_AUTHORIZATION="Basic !!!not-base64"
    )
    assert garbled.status_code in (400, 401)


def test_userinfo_without_a_valid_token_is_401(client, db):
    assert client.get(reverse("oauth2_provider:user-info")).status_code == 401
    assert client.get(reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_staff_cannot_use_their_account_to_sign_in_elsewhere(client, parking, service_admin):
    from tests.factories.identity import staff_session

    staff_session(client, service_admin)
    params = authorize_params(parking, challenge=pkce_pair()[1])
    assert client.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params)).status_code == 403


def test_a_person_not_signed_in_is_sent_to_the_code_sign_in_and_back(client, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1])
    response = client.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert response.status_code == 302 and response["Location"].startswith(reverse("identity:sign-in") + "?next=")
