"""How a service is presented to people signing in: the sign-in page names the service that
sent them, a logo only when a service admin switched it on (rebuilt and served from here), the
confidence met as the standard `acr` claim, and the per-client token limit counting only
requests from the client itself."""

from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from identity.models import AuditEntry
from identity.oidc import services
from identity.oidc.models import ServiceClient
from identity.oidc.refusals import SharingRefused
from tests.factories.identity import staff_session

from .conftest import authorize, authorize_params, exchange, pkce_pair
from .test_claims_and_consent import id_claims, verified


def logo_file(name="logo.png", size=(600, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_client(client, service_admin):
    staff_session(client, service_admin)
    return client


def authorize_url(client) -> str:
    return reverse("oauth2_provider:authorize") + "?" + urlencode(authorize_params(client, challenge=pkce_pair()[1]))


def test_the_sign_in_page_names_the_service_the_person_is_signing_in_to(client, parking):
    sent = client.get(authorize_url(parking))
    assert sent.status_code == 302
    page = client.get(sent["Location"])
    assert page.status_code == 200
    assert "To continue to Parking permits" in page.content.decode()


def test_the_sign_in_page_names_no_service_for_another_page_or_a_switched_off_service(client, parking, service_admin):
    other = client.get(reverse("identity:sign-in") + "?" + urlencode({"next": reverse("identity:account")}))
    assert "To continue to" not in other.content.decode()
    services.disable_client(actor=service_admin, service=parking.service, reason="Closed")
    page = client.get(reverse("identity:sign-in") + "?" + urlencode({"next": authorize_url(parking)}))
    assert page.status_code == 200 and "To continue to" not in page.content.decode()


def test_a_logo_is_off_by_default_and_never_served(signed_in, parking):
    assert parking.service.show_logo is False
    assert signed_in.get(reverse("oidc:service-logo", args=[parking.service.pk])).status_code == 404
    consent = signed_in.get(authorize_url(parking)).content.decode()
    assert "app-service-logo" not in consent


def test_an_admin_uploads_a_logo_and_switches_it_on_then_people_see_it_small(admin_client, parking, client):
    response = admin_client.post(
        reverse("oidc-staff:logo", args=[parking.service.pk]), {"logo": logo_file(), "show_logo": "on"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?logo=saved")
    assert "The logo settings are saved" in admin_client.get(response["Location"]).content.decode()
    service = ServiceClient.objects.get(pk=parking.service.pk)
    assert service.show_logo
    served = client.get(reverse("oidc:service-logo", args=[service.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.format == "JPEG" and max(image.size) <= services.LOGO_MAX_SIDE
    audit = AuditEntry.objects.get(action="oidc.client_logo_changed")
    assert audit.detail == {"new_logo": True, "shown": True}
    sign_in = client.get(reverse("identity:sign-in") + "?" + urlencode({"next": authorize_url(parking)}))
    assert 'alt="Parking permits logo"' in sign_in.content.decode()


def test_switching_the_logo_off_stops_serving_it_and_keeps_it(admin_client, parking, client, service_admin):
    services.set_client_logo(actor=service_admin, service=parking.service, upload=logo_file(), show=True)
    response = admin_client.post(reverse("oidc-staff:logo", args=[parking.service.pk]), {})
    assert response.status_code == 302
    service = ServiceClient.objects.get(pk=parking.service.pk)
    assert not service.show_logo and service.logo
    assert client.get(reverse("oidc:service-logo", args=[service.pk])).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"show_logo": "on"}, "Upload the service&#x27;s logo before you choose to show it"),
        (
            {
                "logo": SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
                "show_logo": "on",
            },
            "The logo must be a PNG or JPG image",
        ),
        ({"logo": "too-big", "show_logo": "on"}, "The logo must be a PNG or JPG image"),
    ],
)
def test_a_bad_logo_is_a_clear_4xx_and_nothing_changes(admin_client, parking, data, message):
    if data.get("logo") == "too-big":
        data = {**data, "logo": logo_file(size=(2100, 2100))}
    response = admin_client.post(reverse("oidc-staff:logo", args=[parking.service.pk]), data)
    assert 400 <= response.status_code < 500
    page = response.content.decode()
    assert "govuk-error-summary" in page and (message in page)
    service = ServiceClient.objects.get(pk=parking.service.pk)
    assert not service.show_logo and not service.logo
    assert not AuditEntry.objects.filter(action="oidc.client_logo_changed").exists()


def test_only_service_admins_change_a_logo(client, parking, citizen):
    client.force_login(citizen)
    response = client.post(reverse("oidc-staff:logo", args=[parking.service.pk]), {"show_logo": "on"})
    assert response.status_code in (302, 403)
    with pytest.raises(SharingRefused):
        services.set_client_logo(actor=citizen, service=parking.service, show=False)


def test_the_id_token_states_the_confidence_met_as_acr_only_with_the_identity(signed_in, parking, citizen):
    verified(citizen)
    without = id_claims(signed_in, parking, authorize(signed_in, parking, scope="openid email"))
    assert "acr" not in without
    claims = id_claims(signed_in, parking, authorize(signed_in, parking, scope="openid identity"))
    assert claims["acr"] == "P2" == claims["vot"]
    assert "acr" in signed_in.get("/.well-known/openid-configuration").json()["claims_supported"]


def _wrong_secret(http, client):
    return http.post(
        reverse("oauth2_provider:token"),
        {
            "grant_type": "authorization_code",
            "code": "nope",
            "redirect_uri": client.redirect_uri,
            "code_verifier": "x" * 50,
        },
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{client.client_id}:wrong".encode()).decode(),
    )


def test_requests_naming_a_client_without_its_secret_do_not_use_up_its_limit(client, parking, settings):
    settings.OIDC_TOKEN_REQUESTS_PER_MINUTE = 100
    settings.OIDC_TOKEN_REQUESTS_PER_CLIENT_PER_MINUTE = 2
    assert [_wrong_secret(client, parking).status_code for _ in range(5)] == [401] * 5
    # The client's own (authenticated) requests still get through, then its limit applies.
    answers = [exchange(client, parking, "nope", "x" * 50).status_code for _ in range(3)]
    assert answers == [400, 400, 429]


def test_a_service_asking_for_welsh_gets_the_sign_in_and_consent_pages_in_welsh(client, parking, citizen):
    url = (
        reverse("oauth2_provider:authorize")
        + "?"
        + urlencode(authorize_params(parking, challenge=pkce_pair()[1], ui_locales="cy-GB en"))
    )
    sign_in = client.get(reverse("identity:sign-in") + "?" + urlencode({"next": url})).content.decode()
    assert 'lang="cy"' in sign_in and "I barhau i Parking permits" in sign_in
    client.force_login(citizen)
    consent = client.get(url).content.decode()
    assert 'lang="cy"' in consent and "Rhannu eich manylion â Parking permits" in consent


def test_ui_locales_naming_no_language_of_the_service_changes_nothing(signed_in, parking):
    page = signed_in.get(
        reverse("oauth2_provider:authorize")
        + "?"
        + urlencode(authorize_params(parking, challenge=pkce_pair()[1], ui_locales="fr de-DE"))
    )
    assert page.status_code == 200 and 'lang="en"' in page.content.decode()
