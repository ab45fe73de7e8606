"""A council's service (a separate Django site using Authlib's OpenID Connect client) signs a
person in through this provider in Chromium: the person signs in with their emailed code, agrees
on the consent page (axe-checked), and the service receives exactly the consented claims, signed;
after the person stops sharing from their account, the service's refresh token stops working."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from identity import roles
from identity.oidc import services
from tests.browser.journeys import code_from_outbox
from tests.factories.identity import StaffFactory, UserFactory, verify_identity
from tests.identity.oidc.relying_party.process import free_port, relying_party

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council_service(live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    port = free_port()
    admin = StaffFactory(roles=[roles.SERVICE_ADMIN])
    registered = services.register_client(
        actor=admin,
        name="Leeds parking permits",
        redirect_uris=[f"http://127.0.0.1:{port}/callback/"],
        post_logout_redirect_uris=[],
        contact_email="parking@leeds.example.gov.uk",
        allowed_scopes=["email", "identity"],
    )
    services.set_client_logo(actor=admin, service=registered.service, upload=logo_file(), show=True)
    with relying_party(
        port=port,
        provider_url=live_server.url,
        client_id=registered.service.application.client_id,
        client_secret=registered.client_secret,
        scope="openid email identity",
    ) as url:
        yield url


def logo_file() -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 160), (0, 94, 165))
    ImageDraw.Draw(image).rectangle((20, 20, 140, 140), fill=(255, 221, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def _result(page) -> dict:
    return json.loads(page.locator("#result").inner_text())


def test_a_council_service_signs_a_person_in_until_they_stop_sharing(checked_page, council_service):
    person = UserFactory(email="ada@example.com")
    case = verify_identity(person)
    case.given_names, case.surname, case.postcode, case.profile = "Ada", "Lovelace", "LS1 5AB", "M1B"
    case.save()
    checked = checked_page()
    page = checked.page

    page.goto(council_service + "/login/")
    checked.check()
    assert page.title().startswith("Sign in with your email address")
    assert page.get_by_text("To continue to Leeds parking permits").is_visible()
    assert page.get_by_role("img", name="Leeds parking permits logo").is_visible()
    page.get_by_label("Email address").fill(person.email)
    page.get_by_role("button", name="Continue").click()
    checked.check()
    code = code_from_outbox(checked)
    checked.goto("/sign-in/code/")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Continue").click()

    checked.check()  # the consent page, with axe
    assert page.get_by_role("heading", name="Share your details with Leeds parking permits").is_visible()
    assert "Ada Lovelace" in page.content() and "profile M1B" in page.content()
    page.get_by_role("button", name="Agree and continue").click()
    page.wait_for_load_state("load")

    assert page.url.startswith(council_service + "/callback/")
    claims = _result(page)["claims"]
    assert claims["email"] == "ada@example.com" and claims["email_verified"] is True
    assert claims["vot"] == "P2"
    assert claims["verified_identity"]["family_name"] == "Lovelace"
    assert claims["verified_identity"]["gpg45_profile"] == "M1B"
    assert claims["sub"] != str(person.pk)
    page.goto(council_service + "/refresh/")
    assert _result(page) == {"refreshed": True}

    checked.goto("/account/services/")
    page.get_by_role("button", name="Stop sharing").click()
    checked.check()
    assert "no longer receives your details" in page.content()
    page.goto(council_service + "/refresh/")
    assert _result(page) == {"error": "invalid_grant"}
