"""Registering in Chromium with axe on every page: a birth by unmarried parents registered
jointly (the mother sends it, the father confirms from his invitation), and a death matched to
its MCCD with the green form at the end. Each journey meets an error on the way."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.signing import create_development_keys
from identity.models import OutboundMessage, User
from registrar.models import Registration
from tests.browser.journeys import fill_date, sign_in
from tests.factories import MedicalCertificateFactory, make_leeds_offices, verify_identity

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
def offices():
    return make_leeds_offices()


def _radio(page, name, value):
    page.locator(f"input[name={name}][value={value}]").check()


def _continue(checked):
    checked.page.get_by_role("button", name="Continue").click()
    return checked.check()


def _signed_in_and_verified(checked, email):
    sign_in(checked, email)
    verify_identity(User.objects.get(email=email))


def test_joint_birth_registration_in_the_browser(checked_page, offices, settings):
    mother = checked_page()
    _signed_in_and_verified(mother, "emma@example.com")
    page = mother.goto("/register/")
    page.get_by_role("button", name="Register a birth").click()
    mother.check()
    page.get_by_role("button", name="Start a new registration").click()
    mother.check()
    # Someone who is not a parent, without saying the parents cannot: refused with a reason.
    page.get_by_label("Occupier of the place where the child was born").check()
    _continue(mother)
    assert "Only a parent can register the birth" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Mother", exact=True).check()
    _continue(mother)
    born = timezone.localdate() - timedelta(days=12)
    page.get_by_label("First and middle names").fill("Olivia Rose")
    page.get_by_label("Surname").fill("Hartley")
    _radio(page, "sex", "female")
    fill_date(page, "date_of_birth", born)
    _radio(page, "multiple_birth", "no")
    _continue(mother)
    _radio(page, "place_type", "hospital")
    page.get_by_label("Name of the hospital or place (optional)").fill("Leeds General Infirmary")
    page.get_by_label("Address").fill("Great George Street, Leeds")
    page.get_by_label("Postcode").fill("LS1 3EX")
    _continue(mother)
    page.get_by_label("First and middle names").fill("Emma Louise")
    page.get_by_label("Surname", exact=True).fill("Hartley")
    page.get_by_label("Surname at birth (optional)").fill("Clarke")
    fill_date(page, "date_of_birth", born.replace(year=1992))
    page.get_by_label("Place of birth").fill("York")
    page.get_by_label("Usual address").fill("12 Park Lane, Leeds")
    _continue(mother)
    _radio(page, "parents_married", "no")
    _radio(page, "register_jointly", "yes")
    _continue(mother)
    page.get_by_label("First and middle names").fill("Daniel")
    page.get_by_label("Surname").fill("Jones")
    fill_date(page, "date_of_birth", born.replace(year=1990))
    page.get_by_label("Place of birth").fill("Cardiff")
    _continue(mother)
    _radio(page, "channel", "email")
    page.get_by_label("Their email address").fill("daniel@example.com")
    _continue(mother)
    assert page.get_by_role("heading", name="Check your answers before sending the registration").is_visible()
    assert "Olivia Rose" in page.content() and "Daniel" in page.content()
    page.get_by_role("link", name="Continue").click()
    mother.check()
    page.get_by_role("button", name="Send registration").click()  # declaration not ticked
    mother.check()
    assert "Confirm the declaration" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("I declare that the information I have given is true").check()
    page.get_by_role("button", name="Send registration").click()
    mother.check()
    assert page.get_by_role("heading", name="Waiting for the other parent").is_visible()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.AWAITING_SECOND_PARENT

    # The father follows the link in his email, signs in, proves who he is and confirms.
    invitation = OutboundMessage.objects.get(to="daniel@example.com")
    link = re.search(r"https?://[^/]+(/register/joint/\S+/)", invitation.body).group(1)
    father = checked_page()
    _signed_in_and_verified(father, "daniel@example.com")
    page = father.goto(link)
    assert page.get_by_role("heading", name="Confirm the registration of a birth").is_visible()
    page.get_by_role("button", name="Confirm and register").click()  # box not ticked
    father.check()
    assert "Confirm that you are the other parent" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("I am the other parent of this child and the details are correct").check()
    page.get_by_role("button", name="Confirm and register").click()
    father.check()
    assert page.get_by_role("heading", name="Birth registered").is_visible()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.REGISTERED
    assert registration.entry.particulars["father_surname"] == "Jones"

    # The mother's account lists it, registered.
    page = mother.goto("/register/yours/")
    assert registration.reference in page.content() and "Registered" in page.content()
    page.get_by_role("link", name=registration.reference).click()
    mother.check()
    assert registration.entry.entry_reference in page.content()


def test_death_registration_in_the_browser(checked_page, offices):
    certificate = MedicalCertificateFactory(reference="MCCD-424242")
    checked = checked_page()
    _signed_in_and_verified(checked, "susan@example.org")
    page = checked.goto("/register/")
    page.get_by_role("button", name="Register a death").click()
    checked.check()
    page.get_by_role("button", name="Start a new registration").click()
    checked.check()
    page.get_by_label("A relative who was present at the death or during the last illness").check()
    page.get_by_label("Your relationship to the person who died (relatives only)").fill("Daughter")
    _continue(checked)
    page.get_by_label("First and middle names").fill("Arthur James")
    page.get_by_label("Surname", exact=True).fill("Pendleton")
    _radio(page, "sex", "male")
    fill_date(page, "date_of_birth", certificate.deceased_date_of_birth)
    page.get_by_label("Usual address").fill("4 Oak Road, Leeds")
    _continue(checked)
    fill_date(page, "date_of_death", certificate.date_of_death)
    page.get_by_label("Place of death", exact=True).fill("St James's University Hospital")
    page.get_by_label("Postcode of the place of death").fill("LS9 7TF")
    _continue(checked)
    page.get_by_label("Reference of the medical certificate of cause of death").fill("MCCD-000000")
    _continue(checked)
    assert "We have not received a medical certificate" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Reference of the medical certificate of cause of death").fill("mccd-424242")
    _continue(checked)
    page.get_by_label("Your full name").fill("Susan Pendleton")
    page.get_by_label("Your address").fill("4 Oak Road, Leeds")
    page.get_by_label("Postcode").fill("LS6 1AA")
    _continue(checked)
    page.get_by_label("Name of the person arranging the funeral").fill("Susan Pendleton")
    page.get_by_label("Their email address").fill("susan@example.org")
    _radio(page, "disposal", "cremation")
    _continue(checked)
    assert page.get_by_role("heading", name="Check your answers before sending the registration").is_visible()
    page.get_by_role("link", name="Continue").click()
    checked.check()
    page.get_by_label("I declare that the information I have given is true").check()
    page.get_by_role("button", name="Send registration").click()
    checked.check()
    assert page.get_by_role("heading", name="Registration complete").is_visible()
    registration = Registration.objects.get()
    tuo = registration.answers["_after_death"]["tell_us_once"]
    assert tuo in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the certificate for burial or cremation (PDF)").click()
    assert download.value.suggested_filename == f"green-form-{registration.reference}.pdf"
