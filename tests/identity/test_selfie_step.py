"""The selfie step, on the page and through the API: a photo showing one face is kept; a file
that is no image, too big, empty, or shows no face or two faces gets a clear 400 with the same
words on both, in English and in Welsh, and the selfie kept before stays. The page works
without JavaScript (a file input that opens the front camera) and loads its camera script from
a static file."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from identity import cases, selfies, uploads
from identity.models import EvidenceImage
from identity.refusals import UploadRejected
from tests import face_photos
from tests.factories import UserFactory, api_client, document_photo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("face_models")]

SELFIE = EvidenceImage.Kind.SELFIE


@pytest.fixture
def person():
    return UserFactory(full_name="Eileen Collins")


@pytest.fixture
def case(person):
    """A passport check with its details and document photo, up to the selfie."""
    case = cases.editable_case(person=person)
    cases.choose_document_type(case=case, document_type="passport")
    case.refresh_from_db()
    return case


@pytest.fixture
def signed_in(client, person, case):
    client.force_login(person)
    return client


def _upload(data: bytes, name: str = "selfie.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _selfies(case):
    return list(case.images.filter(kind=SELFIE, deleted_at__isnull=True))


def test_the_page_works_without_javascript_and_opens_the_front_camera(signed_in):
    response = signed_in.get(reverse("identity:check-selfie"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Take a photo of your face – " in html
    assert 'enctype="multipart/form-data"' in html
    file_input = re.search(r"<input[^>]*type=\"file\"[^>]*>", html).group(0)
    assert 'accept="image/*"' in file_input and 'capture="user"' in file_input and 'name="photo"' in file_input
    # The camera is added by a static script (the CSP forbids inline ones); without it the
    # camera controls stay hidden and the file input does the job.
    assert re.search(r'<script type="module" src="/static/identity/selfie-camera\.js">', html)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert re.search(r"<div[^>]*data-selfie-camera[^>]*hidden", html)
    assert reverse("identity:check-address") in html  # continue without one


def test_the_camera_script_is_served_as_a_static_file():
    script = finders.find("identity/selfie-camera.js")
    assert script is not None
    text = Path(script).read_text(encoding="utf-8")
    assert "getUserMedia" in text and "DataTransfer" in text and "requestSubmit" in text


def test_a_selfie_with_one_face_is_kept_and_the_task_list_says_so(signed_in, case):
    task_list = signed_in.get(reverse("identity:check")).content.decode()
    assert "Take a photo of your face" in task_list and "Optional" in task_list
    response = signed_in.post(reverse("identity:check-selfie"), {"photo": _upload(face_photos.selfie("collins"))})
    assert response.status_code == 302 and response["Location"] == reverse("identity:check-address")
    [selfie] = _selfies(case)
    assert selfie.file and selfie.width == 480
    task_list = signed_in.get(reverse("identity:check")).content.decode()
    status = re.search(r'id="step-selfie-status">(.*?)</div>', task_list).group(1)
    assert "Completed" in status


def test_the_document_photo_leads_to_the_selfie(signed_in):
    response = signed_in.post(reverse("identity:check-document-photo"), {"photo": _upload(document_photo())})
    assert response["Location"] == reverse("identity:check-selfie")


def test_without_a_passport_or_licence_there_is_no_selfie_step(signed_in, case):
    cases.choose_document_type(case=case, document_type="other")
    assert signed_in.get(reverse("identity:check-selfie"))["Location"] == reverse("identity:check-document-type")
    assert "Take a photo of your face" not in signed_in.get(reverse("identity:check")).content.decode()


BAD_SELFIES = [
    ("not_an_image", lambda: b"<svg onload=alert(1)>", "photo_not_an_image"),
    ("empty", lambda: b"", "photo_empty"),
    ("no_face", face_photos.no_face, "photo_no_face"),
    ("two_faces", face_photos.two_faces, "photo_several_faces"),
    ("too_big", lambda: face_photos.selfie("hopper", 2), "photo_too_big"),
]


@pytest.fixture
def earlier_selfie(case):
    return cases.attach_image(case=case, kind=SELFIE, upload=_upload(face_photos.selfie("collins")))


@pytest.mark.parametrize("name, make, code", BAD_SELFIES, ids=[bad[0] for bad in BAD_SELFIES])
def test_a_bad_selfie_is_a_clear_error_on_the_page_and_the_earlier_one_is_kept(
    signed_in, case, earlier_selfie, settings, name, make, code
):
    if code == "photo_too_big":
        settings.EVIDENCE_MAX_UPLOAD_BYTES = len(make()) - 1
    data = make()
    response = signed_in.post(reverse("identity:check-selfie"), {"photo": _upload(data)} if data else {})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    if data:
        assert escape(UploadRejected(code).message) in html
    else:
        assert "Select or take a photo of your face" in html or "The selected file is empty" in html
    assert _selfies(case) == [earlier_selfie]


@pytest.mark.parametrize("name, make, code", BAD_SELFIES, ids=[bad[0] for bad in BAD_SELFIES])
def test_a_bad_selfie_is_a_clear_error_in_the_api_and_the_earlier_one_is_kept(
    person, case, earlier_selfie, settings, name, make, code
):
    if code == "photo_too_big":
        settings.EVIDENCE_MAX_UPLOAD_BYTES = len(make()) - 1
    response = api_client(person).post("/api/v1/identity/case/selfie", {"photo": _upload(make())}, format="multipart")
    assert response.status_code == 400
    error = response.json()["error"]
    if code != "photo_empty":  # DRF's own file field answers for an empty file
        assert error == {"code": code, "message": UploadRejected(code).message}
    assert _selfies(case) == [earlier_selfie]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize(
    "code, make", [("photo_no_face", face_photos.no_face), ("photo_several_faces", face_photos.two_faces)]
)
def test_no_face_and_two_faces_read_the_same_on_the_page_and_in_the_api(signed_in, person, language, code, make):
    with translation.override(language):
        expected = UploadRejected(code).message
    signed_in.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    page = signed_in.post(reverse("identity:check-selfie"), {"photo": _upload(make())})
    api = api_client(person).post(
        "/api/v1/identity/case/selfie", {"photo": _upload(make())}, format="multipart", HTTP_ACCEPT_LANGUAGE=language
    )
    assert page.status_code == api.status_code == 400
    assert escape(expected) in page.content.decode()
    assert api.json()["error"] == {"code": code, "message": expected}
    if language == "cy":
        with translation.override("en"):
            assert expected != UploadRejected(code).message


def test_a_selfie_through_the_api(person, case):
    response = api_client(person).post(
        "/api/v1/identity/case/selfie", {"photo": _upload(face_photos.selfie("collins", 1))}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["steps"]["selfie"] is True
    assert len(_selfies(case)) == 1


def test_the_api_needs_a_photo(person, case):
    response = api_client(person).post("/api/v1/identity/case/selfie", {}, format="multipart")
    assert response.status_code == 400 and _selfies(case) == []


def test_a_new_selfie_replaces_the_old_one(signed_in, case, earlier_selfie):
    signed_in.post(reverse("identity:check-selfie"), {"photo": _upload(face_photos.selfie("collins", 3))})
    [kept] = _selfies(case)
    assert kept.pk != earlier_selfie.pk
    earlier_selfie.refresh_from_db()
    assert earlier_selfie.deleted_at is not None and not earlier_selfie.file


def test_the_check_can_be_sent_without_a_selfie(signed_in, case):
    cases.record_identity_document(
        case=case,
        document_type="passport",
        given_names="Eileen",
        surname="Collins",
        birth_date=date(1956, 11, 19),
        document_number="123456789",
        expiry_date=date(2030, 1, 1),
    )
    cases.attach_image(case=case, kind="identity_document", upload=_upload(document_photo()))
    cases.record_proof_of_address(
        case=case,
        address="1 The Headrow",
        postcode="LS1 3AD",
        document_type="bank_statement",
        document_postcode="LS1 3AD",
        document_name="Eileen Collins",
        issued_on=date.today(),
    )
    cases.attach_image(case=case, kind="address_document", upload=_upload(document_photo()))
    assert "Check my identity" in signed_in.get(reverse("identity:check")).content.decode()


def test_a_selfie_is_decoded_and_cleaned_once_and_keeps_the_original_s_signals(case, monkeypatch):
    calls = []
    real = uploads.clean_image

    def counting(upload):
        calls.append(upload)
        return real(upload)

    monkeypatch.setattr(selfies, "clean_image", counting)
    monkeypatch.setattr(cases, "clean_image", counting)
    image = selfies.attach_selfie(case=case, upload=_upload(face_photos.selfie("collins")))
    assert len(calls) == 1
    assert image.file and image.width == 480 and image.perceptual_hash
