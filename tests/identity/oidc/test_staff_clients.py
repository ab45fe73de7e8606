"""Service admins register the services that sign people in here: exact redirect addresses, the
claims allowed, the secret shown once and stored hashed, every action audited, bad input a 400."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client as HttpClient
from django.urls import reverse

from identity import roles
from identity.models import AuditEntry
from identity.oidc.models import ServiceClient
from tests.factories.identity import StaffFactory, UserFactory, staff_session

from .conftest import authorize, exchange

FORM = {
    "name": "Resident parking permits",
    "redirect_uris": "https://parking.leeds.example.gov.uk/oidc/callback\nhttps://parking.leeds.example.gov.uk/cb2",
    "post_logout_redirect_uris": "https://parking.leeds.example.gov.uk/",
    "contact_email": "parking@leeds.example.gov.uk",
    "allowed_scopes": ["email", "identity"],
    "sector": "",
}


@pytest.fixture
def admin_client(client, service_admin):
    staff_session(client, service_admin)
    return client


def test_a_service_admin_registers_a_service_and_sees_its_secret_once(admin_client, service_admin):
    response = admin_client.post(reverse("oidc-staff:register"), FORM)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    service = ServiceClient.objects.get()
    secret = response.context["client_secret"]
    assert secret in response.content.decode() and service.application.client_id in response.content.decode()
    assert check_password(secret, service.application.client_secret)
    assert service.application.redirect_uris.split() == FORM["redirect_uris"].split("\n")
    assert service.allowed_scopes == ["email", "identity"]
    detail = admin_client.get(reverse("oidc-staff:client", args=[service.pk])).content.decode()
    assert secret not in detail and "Resident parking permits" in detail
    entry = AuditEntry.objects.get(action="oidc.client_registered")
    assert entry.actor == service_admin and entry.object_id == str(service.pk)
    assert "secret" not in str(entry.detail)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("redirect_uris", ""),
        ("redirect_uris", "parking.example.gov.uk/cb"),
        ("redirect_uris", "https://*.example.gov.uk/cb"),
        ("redirect_uris", "https://parking.example.gov.uk/cb#top"),
        ("redirect_uris", "javascript:alert(1)"),
        ("contact_email", "not an email"),
        ("allowed_scopes", ["everything"]),
        ("name", "x" * 101),
    ],
)
def test_bad_input_is_a_400_with_the_form_and_nothing_registered(admin_client, field, value):
    response = admin_client.post(reverse("oidc-staff:register"), {**FORM, field: value})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ServiceClient.objects.exists()


def test_only_service_admins_reach_the_pages(client, db):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    staff_session(client, registrar)
    assert client.get(reverse("oidc-staff:clients")).status_code == 403
    assert client.post(reverse("oidc-staff:register"), FORM).status_code == 403
    assert not ServiceClient.objects.exists()


def test_the_staff_home_page_links_to_the_services(admin_client):
    assert reverse("oidc-staff:clients") in admin_client.get(reverse("identity:staff-home")).content.decode()


def test_a_new_secret_replaces_the_old_one_at_once(admin_client, parking, signed_in_other):
    response = admin_client.post(reverse("oidc-staff:new-secret", args=[parking.service.pk]))
    new_secret = response.context["client_secret"]
    grant = authorize(signed_in_other, parking)
    assert exchange(signed_in_other, parking, grant.code, grant.verifier).status_code == 401
    parking.client_secret = new_secret
    grant = authorize(signed_in_other, parking)
    assert exchange(signed_in_other, parking, grant.code, grant.verifier).status_code == 200
    assert AuditEntry.objects.filter(action="oidc.client_secret_replaced").count() == 1


def test_switching_a_service_off_revokes_its_tokens_and_stops_sign_in(admin_client, parking, signed_in_other):
    grant = authorize(signed_in_other, parking)
    tokens = exchange(signed_in_other, parking, grant.code, grant.verifier).json()
    missing_reason = admin_client.post(reverse("oidc-staff:disable", args=[parking.service.pk]), {"reason": ""})
    assert missing_reason.status_code == 400
    admin_client.post(reverse("oidc-staff:disable", args=[parking.service.pk]), {"reason": "Contract ended"})
    info = signed_in_other.get(
        reverse("oauth2_provider:user-info"), HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}"
    )
    assert info.status_code == 401
    entry = AuditEntry.objects.get(action="oidc.client_disabled")
    assert entry.reason == "Contract ended"
    again = admin_client.post(reverse("oidc-staff:disable", args=[parking.service.pk]), {"reason": "again"})
    assert again.status_code == 409


def test_an_unknown_service_is_a_404(admin_client):
    assert admin_client.get(reverse("oidc-staff:client", args=[424242])).status_code == 404
    assert admin_client.post(reverse("oidc-staff:new-secret", args=[424242])).status_code == 404


@pytest.fixture
def signed_in_other(db):
    """A citizen in a browser of their own, beside the admin's."""
    http = HttpClient()
    http.force_login(UserFactory())
    return http
