"""The identity check through /api/v1/identity/…: the same rules as the pages, JSON errors for
bad input and hostile photos, and only the person's own case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from identity.models import IdentityCase
from tests.factories import (
    MRZ_LINE1,
    StaffFactory,
    UserFactory,
    api_client,
    document_photo,
    inflating_png,
    mrz_line2,
    record_checks,
)

pytestmark = pytest.mark.django_db

PASSPORT = {
    "document_type": "passport",
    "given_names": "Sarah Meredyth",
    "surname": "Morgan",
    "birth_date": "1976-03-11",
    "document_number": "123456789",
    "expiry_date": "2030-01-01",
    "mrz_line1": MRZ_LINE1,
    "mrz_line2": mrz_line2(),
}


@pytest.fixture
def person():
    user = UserFactory(mobile_number="+447700900982")
    user.mobile_verified_at = timezone.now()
    user.save()
    return user


def _photo():
    return SimpleUploadedFile("p.jpg", document_photo(), content_type="image/jpeg")


def test_whole_check_through_the_api(person):
    api = api_client(person)
    assert api.get("/api/v1/identity/case").status_code == 404
    response = api.put("/api/v1/identity/case/document", PASSPORT, format="json")
    assert response.status_code == 200 and response.json()["reasons"] == []
    response = api.post("/api/v1/identity/case/document/photo", {"photo": _photo()}, format="multipart")
    assert response.status_code == 201 and response.json()["steps"]["document-photo"] is True
    address = {
        "address": "1 The Headrow",
        "postcode": "LS1 3AD",
        "document_type": "bank_statement",
        "document_name": "Sarah Morgan",
        "document_postcode": "LS1 3AD",
        "issued_on": str(timezone.localdate() - timedelta(days=3)),
    }
    assert api.put("/api/v1/identity/case/address", address, format="json").status_code == 200
    record_checks(IdentityCase.objects.get(person=person), "document_authenticity", "face_match")
    response = api.post("/api/v1/identity/case/submit")
    assert response.status_code == 200 and response.json()["status"] == "verified"
    assert response.json()["reference"].startswith("ID-")


def test_checks_report_reasons_with_messages(person):
    api = api_client(person)
    response = api.put("/api/v1/identity/case/document", {**PASSPORT, "birth_date": "1976-03-12"}, format="json")
    body = response.json()
    assert "mrz_birth_mismatch" in body["reasons"]
    assert any("date of birth" in message for message in body["reason_messages"])


@pytest.mark.parametrize(
    "body, field",
    [
        ({**PASSPORT, "document_type": "library_card"}, "document_type"),
        ({**PASSPORT, "birth_date": "31/02/1976"}, "birth_date"),
        ({k: v for k, v in PASSPORT.items() if k != "mrz_line2"}, "mrz_line2"),
        ({**PASSPORT, "surname": "x" * 500}, "surname"),
    ],
)
def test_bad_document_input_is_400_with_field_errors(person, body, field):
    response = api_client(person).put("/api/v1/identity/case/document", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_hostile_photo_is_400_with_the_reason(person):
    api = api_client(person)
    svg = SimpleUploadedFile("p.jpg", b"<svg><script>alert(1)</script></svg>", content_type="image/jpeg")
    response = api.post("/api/v1/identity/case/document/photo", {"photo": svg}, format="multipart")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "photo_not_an_image"


def test_photo_needs_multipart(person):
    response = api_client(person).post("/api/v1/identity/case/document/photo", {"photo": "x"}, format="json")
    assert response.status_code == 415


def test_case_with_a_registrar_cannot_be_changed(person):
    person.mobile_verified_at = None
    person.save()
    api = api_client(person)
    api.put("/api/v1/identity/case/document", PASSPORT, format="json")
    api.post("/api/v1/identity/case/submit")
    assert IdentityCase.objects.get(person=person).status == "with_registrar"
    response = api.put("/api/v1/identity/case/document", PASSPORT, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "case_with_registrar"
    submitted = api.post("/api/v1/identity/case/submit")
    assert submitted.status_code == 409 and submitted.json()["error"]["code"] == "nothing_to_submit"


def test_staff_tokens_have_no_identity_check():
    assert api_client(StaffFactory()).get("/api/v1/identity/case").status_code == 403


def test_needs_a_token():
    assert APIClient().get("/api/v1/identity/case").status_code == 401


def test_one_person_cannot_see_anothers_case(person):
    api_client(person).put("/api/v1/identity/case/document", PASSPORT, format="json")
    other = api_client(UserFactory())
    assert other.get("/api/v1/identity/case").status_code == 404


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"mrz_line2": "SHORT"},
            "mrz_line2",
            "Each line must be 44 characters. Check you typed all of them, including <",
        ),
        ({"surname": ""}, "surname", "Enter your surname"),
        ({"birth_date": "1976-02-31"}, "birth_date", "must be a real date"),
        ({"mrz_line1": None}, "mrz_line1", "Enter the first line"),
        ({"document_type": "library_card"}, "document_type", "Select a valid choice"),
        ({"given_names": "Sarah 2"}, "given_names", "Given names must only include letters, spaces"),
        ({"surname": "M" * 101}, "surname", "Surname must be 100 characters or fewer"),
    ],
)
def test_document_details_are_checked_by_the_pages_own_form(person, overrides, field, message):
    response = api_client(person).put("/api/v1/identity/case/document", {**PASSPORT, **overrides}, format="json")
    assert response.status_code == 400
    errors = response.json()["error"]["fields"]
    assert any(message in text for text in errors[field]), errors
    assert not IdentityCase.objects.filter(person=person).exists()  # nothing half-saved


def test_a_bad_address_postcode_reads_as_on_the_page(person):
    api = api_client(person)
    api.put("/api/v1/identity/case/document", PASSPORT, format="json")
    address = {
        "address": "1 The Headrow",
        "postcode": "NOT A POSTCODE",
        "document_type": "bank_statement",
        "document_name": "Sarah Morgan",
        "document_postcode": "LS1 3AD",
        "issued_on": str(timezone.localdate() - timedelta(days=3)),
    }
    response = api.put("/api/v1/identity/case/address", address, format="json")
    assert response.status_code == 400
    assert "Enter a real UK postcode" in response.json()["error"]["fields"]["postcode"][0]


@pytest.mark.parametrize("kind", [b"zTXt", b"iCCP"])
@pytest.mark.parametrize(
    "endpoint",
    ["/api/v1/identity/case/document/photo", "/api/v1/identity/case/address/photo", "/api/v1/identity/case/selfie"],
)
def test_a_photo_the_decoder_refuses_is_a_400_in_the_error_shape(person, endpoint, kind):
    upload = SimpleUploadedFile("photo.png", inflating_png(kind), content_type="image/png")
    response = api_client(person).post(endpoint, {"photo": upload}, format="multipart")
    assert response.status_code == 400, response.content[:200]
    assert response.json()["error"]["code"] == "photo_damaged"
