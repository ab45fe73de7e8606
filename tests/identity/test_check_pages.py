"""The identity check pages: the whole journey by form posts, GOV.UK errors for bad input
(dates, MRZ lines, postcodes, hostile files) that keep what was already saved."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from identity.models import EvidenceImage, IdentityCase
from tests.factories import (
    MRZ_LINE1,
    StaffFactory,
    UserFactory,
    document_photo,
    inflating_png,
    mrz_line2,
    record_checks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    user = UserFactory(mobile_number="+447700900982")
    user.mobile_verified_at = timezone.now()
    user.save()
    client.force_login(user)
    return user


def _date(prefix, value):
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _document_details(**overrides):
    data = {
        "given_names": "Sarah Meredyth",
        "surname": "Morgan",
        "document_number": "123456789",
        "mrz_line1": MRZ_LINE1,
        "mrz_line2": mrz_line2(),
        **_date("birth_date", date(1976, 3, 11)),
        **_date("expiry_date", date(2030, 1, 1)),
    }
    data.update(overrides)
    return data


def _photo(name="photo.jpg", data=None):
    return SimpleUploadedFile(name, data or document_photo(), content_type="image/jpeg")


def _address(**overrides):
    today = timezone.localdate()
    data = {
        "address": "1 The Headrow\nLeeds",
        "postcode": "ls1 3ad",
        "document_type": "bank_statement",
        "document_name": "Sarah Morgan",
        "document_postcode": "LS1 3AD",
        **_date("issued_on", today - timedelta(days=10)),
    }
    data.update(overrides)
    return data


def test_whole_journey_with_a_passport_reaches_medium(client, person):
    assert "Prove your identity" in client.get(reverse("identity:check")).content.decode()
    response = client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    assert response["Location"] == reverse("identity:check-document")
    assert "First line" in client.get(reverse("identity:check-document")).content.decode()
    response = client.post(reverse("identity:check-document"), _document_details())
    assert response["Location"] == reverse("identity:check-document-photo")
    response = client.post(reverse("identity:check-document-photo"), {"photo": _photo()})
    assert response["Location"] == reverse("identity:check-selfie")
    response = client.post(reverse("identity:check-address"), _address())
    assert response["Location"] == reverse("identity:check-address-photo")
    client.post(reverse("identity:check-address-photo"), {"photo": _photo()})
    page = client.get(reverse("identity:check")).content.decode()
    assert "Check my identity" in page
    record_checks(IdentityCase.objects.get(person=person), "document_authenticity", "face_match")
    client.post(reverse("identity:check-submit"))
    case = IdentityCase.objects.get(person=person)
    assert case.status == "verified"
    page = client.get(reverse("identity:check")).content.decode()
    assert "Your identity is confirmed" in page and case.reference in page


def test_weak_evidence_shows_the_reference_and_what_would_help(client, person):
    person.mobile_verified_at = None
    person.save()
    client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    client.post(reverse("identity:check-document"), _document_details())
    client.post(reverse("identity:check-document-photo"), {"photo": _photo()})
    client.post(reverse("identity:check-address"), _address(document_type="utility_bill"))
    client.post(reverse("identity:check-address-photo"), {"photo": _photo()})
    client.post(reverse("identity:check-submit"))
    case = IdentityCase.objects.get(person=person)
    assert case.status == "with_registrar"
    page = client.get(reverse("identity:check")).content.decode()
    assert "A registrar will check your identity" in page and case.reference in page
    assert "photo of your face" in page and "genuine" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"birth_date_0": "31", "birth_date_1": "2"}, "must be a real date"),
        ({"birth_date_0": "", "birth_date_1": "", "birth_date_2": ""}, "Enter your date of birth"),
        ({"expiry_date_2": "99999999"}, "must be a real date"),
        ({"mrz_line2": "SHORT"}, "Each line must be 44 characters"),
        ({"surname": ""}, "Enter your surname"),
        ({"given_names": "x" * 101}, "Given names must be 100 characters or fewer"),
        ({"surname": "Morgan" * 17}, "Surname must be 100 characters or fewer"),
        ({"given_names": "Sarah2"}, "Given names must only include letters, spaces, hyphens and apostrophes"),
        ({"surname": "<script>"}, "Surname must only include letters, spaces, hyphens and apostrophes"),
        ({"surname": "- '"}, "Surname must include at least one letter"),
    ],
)
def test_bad_document_details_are_govuk_errors(client, person, overrides, message):
    client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    response = client.post(reverse("identity:check-document"), _document_details(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and message in html


def test_mrz_that_does_not_add_up_is_saved_with_a_reason_and_shown(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    client.post(reverse("identity:check-document"), _document_details(document_number="123456780"))
    case = IdentityCase.objects.get(person=person)
    assert "mrz_number_mismatch" in case.reasons
    assert "does not match the machine readable lines" in client.get(reverse("identity:check")).content.decode()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("passport.jpg", b"<svg onload=alert(1)>", "must be a JPG, PNG or WebP photo"),
        ("passport.exe", b"MZ\x90\x00" * 50, "must be a JPG, PNG or WebP photo"),
        ("empty.jpg", b"", "The selected file is empty"),
        ("passport.png", inflating_png(b"zTXt"), "The selected file is damaged or incomplete"),
        ("passport.png", inflating_png(b"iCCP"), "The selected file is damaged or incomplete"),
    ],
)
def test_hostile_uploads_are_refused_and_earlier_answers_kept(client, person, name, data, message):
    client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    client.post(reverse("identity:check-document"), _document_details())
    client.post(reverse("identity:check-document-photo"), {"photo": _photo()})
    response = client.post(reverse("identity:check-document-photo"), {"photo": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    case = IdentityCase.objects.get(person=person)
    assert case.document_number == "123456789"
    assert case.images.filter(deleted_at__isnull=True, kind=EvidenceImage.Kind.IDENTITY_DOCUMENT).count() == 1


def test_missing_photo_is_a_form_error(client, person):
    response = client.post(reverse("identity:check-document-photo"), {})
    assert response.status_code == 400 and "Select a photo" in response.content.decode()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"postcode": "NOT A POSTCODE"}, "Enter a real UK postcode"),
        ({"document_type": "passport"}, "Select a valid choice"),
        ({"issued_on_1": "13"}, "must be a real date"),
        ({"document_name": "Sarah Morgan 3rd"}, "Name on the document must only include letters"),
        ({"document_name": "S" * 201}, "Name on the document must be 200 characters or fewer"),
    ],
)
def test_bad_address_is_a_govuk_error(client, person, overrides, message):
    response = client.post(reverse("identity:check-address"), _address(**overrides))
    assert response.status_code == 400 and message in response.content.decode()


def test_pages_need_a_citizen(client):
    assert client.get(reverse("identity:check")).status_code == 302
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(reverse("identity:check")).status_code == 403


def test_other_document_asks_for_the_document_then_goes_to_a_registrar(client, person):
    response = client.post(reverse("identity:check-document-type"), {"document_type": "other"})
    assert response["Location"] == reverse("identity:check-document")
    details = _document_details(mrz_line1="", mrz_line2="", document_number="X1234567")
    assert client.post(reverse("identity:check-document"), details)["Location"] == reverse(
        "identity:check-document-photo"
    )
    response = client.post(reverse("identity:check-document-photo"), {"photo": _photo()})
    assert response["Location"] == reverse("identity:check-address")
    client.post(reverse("identity:check-address"), _address())
    client.post(reverse("identity:check-address-photo"), {"photo": _photo()})
    client.post(reverse("identity:check-submit"))
    assert IdentityCase.objects.get(person=person).status == "with_registrar"


def test_submit_needs_post(client, person):
    assert client.get(reverse("identity:check-submit")).status_code == 405


def test_document_names_of_any_alphabet_are_kept_tidy(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "driving_licence"})
    details = _document_details(given_names="  Siân   Ffion ", surname="O’Brien-Ærø")
    details.pop("mrz_line1"), details.pop("mrz_line2")
    response = client.post(reverse("identity:check-document"), details)
    assert response.status_code == 302
    case = IdentityCase.objects.get(person=person)
    assert (case.given_names, case.surname) == ("Siân Ffion", "O’Brien-Ærø")


def test_a_refused_document_name_keeps_the_details_saved_before(client, person):
    client.post(reverse("identity:check-document-type"), {"document_type": "passport"})
    client.post(reverse("identity:check-document"), _document_details())
    response = client.post(reverse("identity:check-document"), _document_details(surname="Morgan!"))
    assert response.status_code == 400
    case = IdentityCase.objects.get(person=person)
    assert case.surname == "Morgan" and case.document_number == "123456789"
