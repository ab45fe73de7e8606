"""Registering a stillbirth in Chromium with axe on every page, in English and in Welsh: a
married mother gives the medical certificate of stillbirth's reference (a wrong one first),
chooses to name her baby, checks her answers and declares; the stillbirth is registered and
both certificates download. In Welsh the journey is found by the form's own names, so it runs
whatever the catalogue holds, and every page is in Welsh (lang="cy")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.signing import create_development_keys
from identity.models import User
from registrar.models import Registration
from tests.browser.journeys import fill_date, sign_in
from tests.factories import make_leeds_offices, verify_identity
from tests.factories.stillbirth import StillbirthCertificateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _signing_key(settings, tmp_path):
    """The certificates issued at registration are signed with the service's key."""
    keys = create_development_keys(tmp_path / "signing")
    settings.CERTIFICATE_SIGNING_KEY_PATH = keys["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = keys["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = keys["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def certificate():
    leeds = make_leeds_offices()[0]
    return StillbirthCertificateFactory(
        reference="MCS-424242", district=leeds, delivered_on=timezone.localdate() - timedelta(days=4)
    )


def _radio(page, name, value):
    page.locator(f"input[name={name}][value={value}]").check()


def _submit(checked):
    checked.page.locator("form button.govuk-button").first.click()
    return checked.check()


def _answer_everything(checked, certificate, *, wrong_reference_first: bool):
    page = checked.page
    _radio(page, "qualification", "mother")
    _submit(checked)
    if wrong_reference_first:
        page.locator("#id_reference").fill("MCS-000000")
        _submit(checked)
        assert page.locator(".govuk-error-summary").count() == 1
    page.locator("#id_reference").fill(certificate.reference.lower())
    _submit(checked)
    _radio(page, "sex", "female")
    fill_date(page, "date_of_delivery", certificate.delivered_on)
    _submit(checked)
    _radio(page, "give_name", "yes")
    page.locator("#id_forenames").fill("Grace")
    page.locator("#id_surname").fill("Hartley")
    _submit(checked)
    _radio(page, "place_type", "hospital")
    page.locator("#id_place_name").fill("Leeds General Infirmary")
    page.locator("#id_address").fill("Great George Street, Leeds")
    page.locator("#id_postcode").fill("LS1 3EX")
    _submit(checked)
    page.locator("#id_forenames").fill("Emma Louise")
    page.locator("#id_surname").fill("Hartley")
    fill_date(page, "date_of_birth", certificate.mother_date_of_birth)
    page.locator("#id_place_of_birth").fill("York")
    page.locator("#id_address").fill("12 Park Lane, Leeds")
    _submit(checked)
    _radio(page, "parents_married", "yes")
    _submit(checked)
    page.locator("#id_forenames").fill("Daniel")
    page.locator("#id_surname").fill("Hartley")
    fill_date(page, "date_of_birth", certificate.mother_date_of_birth.replace(year=1990))
    page.locator("#id_place_of_birth").fill("Cardiff")
    _submit(checked)
    assert "/check/" in page.url and "Grace" in page.content()
    page.locator("main a.govuk-button").click()
    checked.check()
    page.locator("#id_confirmed").check()
    _submit(checked)


def _downloads(checked, registration):
    page = checked.page
    for name in ("certificate-of-registration", "burial-or-cremation"):
        with page.expect_download() as download:
            page.locator(f"a[href$='/{name}.pdf']").click()
        assert download.value.suggested_filename == f"{name}-{registration.reference}.pdf"


def test_a_mother_registers_her_babys_stillbirth_in_english(checked_page, certificate):
    checked = checked_page()
    sign_in(checked, "emma@example.com")
    verify_identity(User.objects.get(email="emma@example.com"))
    page = checked.goto("/register/")
    page.get_by_role("link", name="Register a stillbirth").click()
    checked.check()
    assert page.get_by_role("heading", name="Register a stillbirth").is_visible()
    assert "congratulations" not in page.content().lower()
    page.get_by_role("button", name="Start now").click()
    checked.check()
    page.get_by_role("button", name="Start a new registration").click()
    checked.check()
    assert page.get_by_role("heading", name="Who is registering").is_visible()
    _answer_everything(checked, certificate, wrong_reference_first=True)
    assert page.get_by_role("heading", name="Registration complete").is_visible()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.entry_reference.split("/")[1] == "S"
    _downloads(checked, registration)


def test_a_mother_registers_her_babys_stillbirth_in_welsh(checked_page, certificate):
    checked = checked_page()
    sign_in(checked, "emma@example.com")
    verify_identity(User.objects.get(email="emma@example.com"))
    page = checked.goto("/register/stillbirth/")
    page.get_by_role("link", name="Cymraeg").click()
    checked.check()
    assert page.locator("html").get_attribute("lang") == "cy"
    page.locator("main a.govuk-button--start").click()
    checked.check()
    page.locator("main form button.govuk-button").click()
    checked.check()
    _answer_everything(checked, certificate, wrong_reference_first=False)
    assert page.locator("html").get_attribute("lang") == "cy"
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    _downloads(checked, registration)
