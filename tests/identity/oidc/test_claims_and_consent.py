"""What a service is told and when the person is asked: pairwise subjects, the verified identity
only with consent and at medium confidence, the confidence a service asks for, remembered consent,
and stopping sharing from the account page (tokens revoked, audited)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from jwcrypto import jwk, jwt
from oauth2_provider.models import AccessToken

from identity.models import AuditEntry
from identity.oidc.models import ClaimRelease, SharingConsent
from identity.oidc.provider_views import ConsentView
from identity.oidc.tasks import clear_expired_tokens
from tests.factories.identity import verify_identity

from .conftest import authorize, authorize_params, exchange, pkce_pair, register

KEYS = Path(__file__).parent / "keys"


def id_claims(http, client, grant) -> dict:
    tokens = exchange(http, client, grant.code, grant.verifier).json()
    keys = jwk.JWKSet.from_json(http.get(reverse("oauth2_provider:jwks-info")).content.decode())
    return json.loads(jwt.JWT(jwt=tokens["id_token"], key=keys, algs=["RS256"]).claims)


def verified(person):
    case = verify_identity(person)
    case.given_names, case.surname, case.birth_date = "Anna Maria", "Eriksson", "1974-08-12"
    case.address, case.postcode, case.profile = "1 Park Row, Leeds", "LS1 5AB", "M1A"
    case.save()
    return case


def test_two_services_get_different_subjects_for_one_person_and_each_the_same_every_time(signed_in, parking, schools):
    first = id_claims(signed_in, parking, authorize(signed_in, parking))
    again = id_claims(signed_in, parking, authorize(signed_in, parking))
    other = id_claims(signed_in, schools, authorize(signed_in, schools))
    assert first["sub"] == again["sub"]
    assert first["sub"] != other["sub"]


def test_services_sharing_a_sector_see_one_subject(signed_in, service_admin):
    one = register(service_admin, name="Parking", redirect_uri="https://a.example.gov.uk/cb", sector="leeds.gov.uk")
    two = register(service_admin, name="Libraries", redirect_uri="https://b.example.gov.uk/cb", sector="leeds.gov.uk")
    assert (
        id_claims(signed_in, one, authorize(signed_in, one))["sub"]
        == id_claims(signed_in, two, authorize(signed_in, two))["sub"]
    )


def test_the_verified_identity_goes_only_with_the_identity_scope_and_medium_confidence(signed_in, parking, citizen):
    verified(citizen)
    without = id_claims(signed_in, parking, authorize(signed_in, parking, scope="openid email"))
    assert "verified_identity" not in without and "vot" not in without
    claims = id_claims(signed_in, parking, authorize(signed_in, parking, scope="openid identity"))
    assert claims["vot"] == "P2"
    identity = claims["verified_identity"]
    assert identity["given_name"] == "Anna Maria" and identity["family_name"] == "Eriksson"
    assert identity["birthdate"] == "1974-08-12"
    assert identity["address"]["postal_code"] == "LS1 5AB"
    assert identity["gpg45_profile"] == "M1A" and identity["verified_on"]
    assert "email" not in claims


def test_userinfo_gives_only_the_consented_claims(signed_in, parking, citizen):
    verified(citizen)
    grant = authorize(signed_in, parking, scope="openid email")
    tokens = exchange(signed_in, parking, grant.code, grant.verifier).json()
    info = signed_in.get(reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert set(info.json()) == {"sub", "email", "email_verified"}


def test_a_service_may_not_ask_for_what_it_was_not_allowed(signed_in, service_admin):
    email_only = register(service_admin, name="Bins", scopes=("email",), redirect_uri="https://bins.example.gov.uk/cb")
    grant = authorize(signed_in, email_only, scope="openid identity", consent=False)
    assert grant.code == "" and "error=invalid_scope" in grant.response["Location"]


def test_a_person_below_the_confidence_asked_for_is_taken_through_the_identity_check_and_back(
    signed_in, parking, citizen
):
    for extra in ({"scope": "openid identity"}, {"acr_values": "P2"}, {"vtr": '["Cl.Cm.P2"]'}):
        params = authorize_params(parking, challenge=pkce_pair()[1], **{"scope": "openid", **extra})
        response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
        assert response.status_code == 302 and response["Location"] == reverse("oidc:identity-needed")
    page = signed_in.get(reverse("oidc:identity-needed"))
    assert reverse("identity:check") in page.content.decode()
    verified(citizen)
    # The identity check's own result page offers the way back to the service that asked.
    status = signed_in.get(reverse("identity:check")).content.decode()
    assert "Continue to the service that asked" in status and reverse("oidc:identity-needed") in status
    back = signed_in.get(reverse("oidc:identity-needed"))
    assert back.status_code == 302 and back["Location"].startswith(reverse("oauth2_provider:authorize"))
    assert signed_in.get(back["Location"]).status_code == 200  # the consent page


def test_an_unknown_confidence_level_is_refused(signed_in, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1], acr_values="P4")
    response = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert response.status_code == 302 and "error=invalid_request" in response["Location"]


def test_the_consent_page_names_the_service_and_each_thing_it_will_receive(signed_in, parking, citizen):
    verified(citizen)
    params = authorize_params(parking, scope="openid email identity", challenge=pkce_pair()[1])
    page = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params)).content.decode()
    assert "Share your details with Parking permits" in page
    for shown in (
        citizen.email,
        "Anna Maria Eriksson",
        "12 August 1974",
        "LS1 5AB",
        "profile M1A",
        "Agree and continue",
    ):
        assert shown in page
    assert "<script>" not in page


def test_the_consent_page_is_in_welsh(signed_in, parking, settings):
    params = authorize_params(parking, challenge=pkce_pair()[1])
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    page = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    with translation.override("cy"):
        expected = translation.gettext("Agree and continue")
    assert page.status_code == 200 and expected in page.content.decode()


def test_saying_no_returns_access_denied_and_remembers_nothing(signed_in, parking):
    params = authorize_params(parking, challenge=pkce_pair()[1])
    signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    response = signed_in.post(reverse("oauth2_provider:authorize"), {**params, "deny": "1"})
    assert "error=access_denied" in response["Location"] and "code=" not in response["Location"]
    assert not SharingConsent.objects.exists()


def test_consent_is_remembered_per_service_and_claim_set(signed_in, parking, citizen):
    authorize(signed_in, parking, scope="openid email")
    agreed = AuditEntry.objects.get(action="oidc.sharing_agreed")
    assert agreed.actor == citizen and agreed.detail == {"scopes": ["email", "openid"]}
    params = authorize_params(parking, scope="openid email", challenge=pkce_pair()[1])
    again = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params))
    assert again.status_code == 302 and "code=" in again["Location"]
    wider = authorize_params(parking, scope="openid email identity", challenge=pkce_pair()[1])
    asked = signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(wider))
    assert asked.status_code == 302 and asked["Location"] == reverse("oidc:identity-needed")


def test_the_account_page_lists_what_was_shared_and_when(signed_in, parking):
    id_claims(signed_in, parking, authorize(signed_in, parking))
    assert signed_in.get(reverse("identity:account")).content.decode().count(reverse("oidc:services")) == 1
    page = signed_in.get(reverse("oidc:services")).content.decode()
    assert "Parking permits" in page and "Your email address" in page and "Stop sharing" in page
    assert ClaimRelease.objects.get().claims == ["email", "email_verified", "sub"]


def test_stopping_sharing_revokes_the_tokens_stops_the_refresh_and_is_audited(signed_in, parking, citizen):
    grant = authorize(signed_in, parking)
    tokens = exchange(signed_in, parking, grant.code, grant.verifier).json()
    response = signed_in.post(reverse("oidc:stop-sharing", args=[parking.service.pk]))
    assert response.status_code == 302
    refreshed = signed_in.post(
        reverse("oauth2_provider:token"),
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": parking.client_id,
            "client_secret": parking.client_secret,
        },
    )
    assert refreshed.status_code == 400
    info = signed_in.get(reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}")
    assert info.status_code == 401
    entry = AuditEntry.objects.get(action="oidc.sharing_stopped")
    assert entry.subject == citizen and entry.object_id == str(parking.service.pk)
    # The next sign-in asks again.
    params = authorize_params(parking, challenge=pkce_pair()[1])
    assert signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params)).status_code == 200


def test_stopping_sharing_twice_is_a_clear_404(signed_in, parking):
    assert signed_in.post(reverse("oidc:stop-sharing", args=[parking.service.pk])).status_code == 404
    assert signed_in.post(reverse("oidc:stop-sharing", args=[99999])).status_code == 404


def test_phone_support_cannot_agree_for_a_person(parking, citizen, rf):
    # An assisted session acts as the person on citizen pages; consenting to share is not one of them.
    params = authorize_params(parking, challenge=pkce_pair()[1])
    request = rf.get(reverse("oauth2_provider:authorize"), params)
    request.user = citizen
    request.assisted_by = parking.service.registered_by
    request.session = {}
    with pytest.raises(PermissionDenied):
        ConsentView.as_view()(request)


def test_an_old_signing_key_stays_in_the_jwks_after_rotation(client, db, settings):
    current, old = (KEYS / "signing-key-2027.pem").read_text(), (KEYS / "signing-key-2026.pem").read_text()
    # The library reloads its settings when they change (and again when the test ends).
    settings.OAUTH2_PROVIDER = {
        **settings.OAUTH2_PROVIDER,
        "OIDC_RSA_PRIVATE_KEY": current,
        "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [old],
    }
    keys = client.get(reverse("oauth2_provider:jwks-info")).json()["keys"]
    kids = [key["kid"] for key in keys]
    assert kids == [jwk.JWK.from_pem(current.encode()).thumbprint(), jwk.JWK.from_pem(old.encode()).thumbprint()]


def test_expired_tokens_and_old_release_records_are_cleared(signed_in, parking, settings):
    id_claims(signed_in, parking, authorize(signed_in, parking))
    later = timezone.now() + timedelta(days=settings.OIDC_CLAIM_RELEASE_RETENTION_DAYS + 31)
    with time_machine.travel(later):
        assert clear_expired_tokens() == 1
        assert clear_expired_tokens() == 0
    assert not AccessToken.objects.exists() and not ClaimRelease.objects.exists()


def test_prompt_consent_asks_again_even_when_remembered(signed_in, parking):
    authorize(signed_in, parking)
    params = authorize_params(parking, challenge=pkce_pair()[1], prompt="consent", ui_locales="cy en")
    assert signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(params)).status_code == 200
    remembered = authorize_params(parking, challenge=pkce_pair()[1], ui_locales="cy en")
    assert "code=" in signed_in.get(reverse("oauth2_provider:authorize") + "?" + urlencode(remembered))["Location"]
