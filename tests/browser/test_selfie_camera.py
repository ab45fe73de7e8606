"""The selfie page in Chromium: with JavaScript the camera takes the photo and sends it through
the page's own file input and form; without JavaScript the file input alone does it. axe finds
no violation and the CSP no error on any of the pages."""

from __future__ import annotations

import pytest

from identity import cases
from identity.models import EvidenceImage
from tests import face_photos
from tests.browser.journeys import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _passport_case(email: str):
    person = UserFactory(email=email, full_name="Eileen Collins")
    case = cases.editable_case(person=person)
    cases.choose_document_type(case=case, document_type="passport")
    return case


def _selfies(case):
    return case.images.filter(kind=EvidenceImage.Kind.SELFIE, deleted_at__isnull=True)


def test_the_camera_takes_the_selfie_and_sends_it_with_the_form(camera_page, tmp_path):
    video = tmp_path / "face.y4m"
    video.write_bytes(face_photos.camera_video(face_photos.selfie("collins")))
    case = _passport_case("eileen@example.com")
    checked = camera_page(video)
    sign_in(checked, "eileen@example.com")
    page = checked.goto("/identity/selfie/")
    page.get_by_role("button", name="Use your camera").click()
    page.get_by_role("button", name="Take the photo").wait_for()  # shown once the camera films
    checked.check()
    page.get_by_role("button", name="Take the photo").click()
    page.wait_for_url("**/identity/address/")
    checked.check()
    [selfie] = _selfies(case)
    assert (selfie.width, selfie.height) == (480, 640)


def test_a_camera_picture_without_a_face_is_refused_on_the_page(camera_page, tmp_path):
    video = tmp_path / "cat.y4m"
    video.write_bytes(face_photos.camera_video(face_photos.no_face()))
    case = _passport_case("grace@example.com")
    checked = camera_page(video)
    sign_in(checked, "grace@example.com")
    page = checked.goto("/identity/selfie/")
    page.get_by_role("button", name="Use your camera").click()
    page.get_by_role("button", name="Take the photo").click()
    page.wait_for_selector(".govuk-error-summary")
    checked.check()
    assert "We could not find a face in the photo" in page.locator(".govuk-error-summary").inner_text()
    assert not _selfies(case).exists()


def test_without_javascript_the_file_input_takes_the_selfie(checked_page, tmp_path):
    photo = tmp_path / "selfie.jpg"
    photo.write_bytes(face_photos.selfie("hopper", 1))
    case = _passport_case("hopper@example.com")
    checked = checked_page(javascript=False)
    sign_in(checked, "hopper@example.com")
    page = checked.goto("/identity/selfie/")
    assert not page.get_by_role("button", name="Use your camera").is_visible()
    page.get_by_label("Photo of your face").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.url.endswith("/identity/address/") and _selfies(case).count() == 1
