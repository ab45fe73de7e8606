"""The identity work proved in Chromium, with the sandbox checkers switched on as on a staging
site and axe finding no violation on any page (with JavaScript off, on the HTML the browser got):

- a person reaches medium confidence with a UK passport and a photo of their face, once in
  English with JavaScript and once in Welsh without it;
- a person whose face does not match their passport photo books a video appointment, a
  registrar of the office compares them with the document, and the person then registers a
  death, registered at once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from booking import selectors
from booking.models import Booking
from identity import roles
from identity.models import EvidenceCheck, IdentityCase, User
from registrar.models import Registration
from tests import face_photos
from tests.browser.journeys import (
    axe_without_javascript,
    code_from_outbox,
    fill_date,
    staff_sign_in,
    warned_of_sandboxes,
    welsh,
)
from tests.factories import (
    MRZ_LINE1,
    MedicalCertificateFactory,
    StaffFactory,
    document_photo,
    make_identity_office,
    make_leeds_offices,
    mrz_line2,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The sandbox document platform's trigger for a face that does not match the document photo.
STRANGER_MRZ_LINE1 = "P<GBRSTRANGER<<SARAH<MEREDYTH".ljust(44, "<")


def english(text: str) -> str:
    return text


@pytest.fixture
def offices():
    return make_leeds_offices()


@pytest.fixture
def photos(tmp_path):
    document, face = tmp_path / "passport.jpg", tmp_path / "selfie.jpg"
    document.write_bytes(document_photo())
    face.write_bytes(face_photos.selfie("collins"))
    return document, face


def _click(checked, role, words, **options):
    checked.page.get_by_role(role, name=words, **options).click()
    return checked.check()


def sign_in(checked, email, words):
    """Signing in from the start page, finding fields by name and buttons by their words."""
    page = checked.page
    _click(checked, "button", words("Start now"))
    page.locator("input[name=email]").fill(email)
    _click(checked, "button", words("Continue"), exact=True)
    assert page.get_by_role("heading", name=words("Check your email")).is_visible()
    code = code_from_outbox(checked)
    checked.goto("/sign-in/code/")
    page.locator("input[name=code]").fill(code)
    _click(checked, "button", words("Continue"), exact=True)


def prove_identity(checked, words, photos, *, surname="Morgan", mrz_line1=MRZ_LINE1):
    """A UK passport, its photo, a photo of the face and a bank statement, sent for checking."""
    page = checked.page
    document, face = photos
    _click(checked, "link", words("Prove your identity, or see the result of your check"))
    _click(checked, "link", words("Choose your identity document"))
    page.locator("input[name=document_type][value=passport]").check()
    _click(checked, "button", words("Continue"), exact=True)
    page.locator("input[name=given_names]").fill("Sarah Meredyth")
    page.locator("input[name=surname]").fill(surname)
    fill_date(page, "birth_date", date(1976, 3, 11))
    page.locator("input[name=document_number]").fill("123456789")
    fill_date(page, "expiry_date", date(2030, 1, 1))
    page.locator("input[name=mrz_line1]").fill(mrz_line1)
    page.locator("input[name=mrz_line2]").fill(mrz_line2())
    _click(checked, "button", words("Continue"), exact=True)
    page.locator("input[name=photo]").set_input_files(str(document))
    _click(checked, "button", words("Continue"), exact=True)
    assert page.get_by_role("heading", name=words("Take a photo of your face")).is_visible()
    page.locator("input[name=photo]").set_input_files(str(face))
    _click(checked, "button", words("Continue"), exact=True)
    page.locator("textarea[name=address], input[name=address]").fill("1 The Headrow, Leeds")
    page.locator("input[name=postcode]").fill("LS1 3AD")
    page.locator("input[name=document_type][value=bank_statement]").check()
    page.locator("input[name=document_name]").fill(f"Sarah {surname}")
    page.locator("input[name=document_postcode]").fill("LS1 3AD")
    fill_date(page, "issued_on", date.today() - timedelta(days=5))
    _click(checked, "button", words("Continue"), exact=True)
    page.locator("input[name=photo]").set_input_files(str(document))
    _click(checked, "button", words("Continue"), exact=True)
    return _click(checked, "button", words("Check my identity"))


def _assert_confirmed_by_sandboxes(page, words, email):
    assert page.get_by_role("heading", name=words("Your identity is confirmed")).is_visible()
    assert page.locator(".govuk-tag", has_text=words("Sandbox")).is_visible()
    assert words("Sandbox checkers gave this result: it is not a real identity check.") in page.inner_text("main")
    case = IdentityCase.objects.get(person__email=email)
    assert case.status == IdentityCase.Status.VERIFIED and case.scores["sandbox"] is True
    assert case.reference in page.inner_text("main")
    # A code sent to a mobile earns nothing in the scoring table, so no page offers one to help.
    assert page.locator("main a[href='/account/mobile/']").count() == 0
    kinds = set(case.checks.filter(outcome="passed", sandbox=True).values_list("kind", flat=True))
    assert {"document_authenticity", "issuer_validation", "liveness", "face_match", "fraud", "activity"} <= kinds


def test_medium_confidence_in_english_with_javascript(checked_page, sandbox_checkers, offices, photos):
    checked = warned_of_sandboxes(checked_page())
    checked.goto("/")
    sign_in(checked, "sarah@example.com", english)
    page = prove_identity(checked, english, photos)
    _assert_confirmed_by_sandboxes(page, english, "sarah@example.com")


def test_medium_confidence_in_welsh_without_javascript(
    checked_page, browser, request, sandbox_checkers, offices, photos
):
    checked = warned_of_sandboxes(checked_page(javascript=False))
    request.addfinalizer(axe_without_javascript(checked, browser).close)
    page = checked.goto("/")
    _click(checked, "link", "Cymraeg")  # the language link in the header, as a person switches
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", level=1).inner_text() == welsh(
        "Register a birth or death, book a ceremony or get a certificate"
    )
    sign_in(checked, "sian@example.com", welsh)
    page = prove_identity(checked, welsh, photos)
    assert page.locator("html").get_attribute("lang") == "cy"
    _assert_confirmed_by_sandboxes(page, welsh, "sian@example.com")
    warning = page.locator("[data-sandbox-checkers]").inner_text()
    assert welsh("Warning") in warning and "Sandbox document platform" in warning


def test_a_failed_face_match_is_settled_by_a_registrar_and_the_person_registers_a_death(
    checked_page, sandbox_checkers, offices, photos
):
    leeds = offices[0]
    make_identity_office(leeds)
    certificate = MedicalCertificateFactory(reference="MCCD-424242")

    # The sandbox document platform says the face is not the one on the passport.
    citizen = warned_of_sandboxes(checked_page())
    citizen.goto("/")
    sign_in(citizen, "sarah@example.com", english)
    page = prove_identity(citizen, english, photos, surname="Stranger", mrz_line1=STRANGER_MRZ_LINE1)
    person = User.objects.get(email="sarah@example.com")
    case = IdentityCase.objects.get(person=person)
    assert case.status == IdentityCase.Status.WITH_REGISTRAR and case.office == leeds
    assert case.checks.get(kind="face_match").outcome == "failed"
    assert page.get_by_role("heading", name="A registrar will check your identity").is_visible()

    # The person books a video call with a registrar from their check page.
    _click(citizen, "link", "Book an identity appointment")
    page.get_by_label("By video call").check()
    _click(citizen, "button", "Continue")
    first, _last = selectors.bookable_dates("identity_video")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + timedelta(days=14))
    _click(citizen, "button", "Search")
    page.get_by_role("button", name="Choose").first.click()
    citizen.check()
    _click(citizen, "button", "Book appointment")
    booking = Booking.objects.get(person=person)
    assert booking.status == "confirmed" and page.get_by_role("link", name="Join the video call").is_visible()

    # A registrar of the office finds the case in the queue and records what they saw on the call.
    registrar = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Desk")
    registrar.offices.add(leeds)
    staff = warned_of_sandboxes(checked_page())
    staff_sign_in(staff, registrar)
    console = staff.page
    _click(staff, "link", "Identity checks waiting for a registrar")
    _click(staff, "link", case.reference)
    assert "Sandbox document platform" in console.inner_text("main")
    _click(staff, "link", "Compare the person with their document")
    console.get_by_label("By video call").check()
    console.get_by_label("The person's face matches the photo on the document").check()
    console.get_by_label("The details on the document match the details given").check()
    console.get_by_label("I checked the document's visible security features").check()
    _click(staff, "button", "Record what you saw")
    assert "What you saw is recorded" in console.inner_text("main")
    comparison = EvidenceCheck.objects.get(case=case, kind="trained_comparison")
    assert comparison.outcome == "passed" and comparison.performed_by == registrar

    # The person's check is now confirmed, and their registration goes straight through.
    page = citizen.goto("/identity/")
    case.refresh_from_db()
    assert page.get_by_role("heading", name="Your identity is confirmed").is_visible()
    assert case.status == IdentityCase.Status.VERIFIED
    register_a_death(citizen, certificate)
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED and registration.entry is not None


def _radio(page, name, value):
    page.locator(f"input[name={name}][value={value}]").check()


def register_a_death(checked, certificate):
    """The death registration journey of test_registration_journeys, without its detour."""
    page = checked.goto("/register/")
    _click(checked, "button", "Register a death")
    _click(checked, "button", "Start a new registration")
    page.get_by_label("A relative who was present at the death or during the last illness").check()
    page.get_by_label("Your relationship to the person who died (relatives only)").fill("Daughter")
    _click(checked, "button", "Continue")
    page.get_by_label("First and middle names").fill("Arthur James")
    page.get_by_label("Surname", exact=True).fill("Pendleton")
    _radio(page, "sex", "male")
    fill_date(page, "date_of_birth", certificate.deceased_date_of_birth)
    page.get_by_label("Usual address").fill("4 Oak Road, Leeds")
    _click(checked, "button", "Continue")
    fill_date(page, "date_of_death", certificate.date_of_death)
    page.get_by_label("Place of death", exact=True).fill("St James's University Hospital")
    page.get_by_label("Postcode of the place of death").fill("LS9 7TF")
    _click(checked, "button", "Continue")
    page.get_by_label("Reference of the medical certificate of cause of death").fill(certificate.reference)
    _click(checked, "button", "Continue")
    page.get_by_label("Your full name").fill("Sarah Stranger")
    page.get_by_label("Your address").fill("1 The Headrow, Leeds")
    page.get_by_label("Postcode").fill("LS1 3AD")
    _click(checked, "button", "Continue")
    page.get_by_label("Name of the person arranging the funeral").fill("Sarah Stranger")
    page.get_by_label("Their email address").fill("sarah@example.com")
    _radio(page, "disposal", "cremation")
    _click(checked, "button", "Continue")
    assert page.get_by_role("heading", name="Check your answers before sending the registration").is_visible()
    _click(checked, "link", "Continue")
    page.get_by_label("I declare that the information I have given is true").check()
    _click(checked, "button", "Send registration")
    assert page.get_by_role("heading", name="Registration complete").is_visible()
    return page
