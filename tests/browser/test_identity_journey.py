"""The identity check in Chromium: every page of the journey, an error on the way and a photo
upload, with axe reporting zero violations on each."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests import face_photos
from tests.browser.journeys import fill_date, sign_in
from tests.factories import MRZ_LINE1, document_photo, mrz_line2

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_identity_check_journey_passes_axe_on_every_page(checked_page, tmp_path):
    checked = checked_page()
    sign_in(checked, "sarah@example.com")
    page = checked.page
    page.get_by_role("link", name="Prove your identity, or see the result of your check").click()
    checked.check()
    page.get_by_role("link", name="Choose your identity document").click()
    checked.check()
    page.get_by_role("button", name="Continue").click()  # nothing chosen
    checked.check()
    assert "Select the document you want to use" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("UK passport").check()
    page.get_by_role("button", name="Continue").click()
    checked.check()
    page.get_by_label("Given names").fill("Sarah Meredyth")
    page.get_by_label("Surname").fill("Morgan")
    fill_date(page, "birth_date", date(1976, 3, 11))
    page.get_by_label("Document number").fill("123456789")
    fill_date(page, "expiry_date", date(2030, 1, 1))
    page.get_by_label("First line").fill(MRZ_LINE1)
    page.get_by_label("Second line").fill(mrz_line2())
    page.get_by_role("button", name="Continue").click()
    checked.check()
    photo = tmp_path / "passport.jpg"
    photo.write_bytes(document_photo())
    page.get_by_label("Upload a photo").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()
    checked.check()
    # The selfie: with JavaScript the camera button shows; the file input works either way.
    assert page.get_by_role("button", name="Use your camera").is_visible()
    face = tmp_path / "selfie.jpg"
    face.write_bytes(face_photos.selfie("collins"))
    page.get_by_label("Photo of your face").set_input_files(str(face))
    page.get_by_role("button", name="Continue").click()
    checked.check()
    page.get_by_label("Your address").fill("1 The Headrow, Leeds")
    page.get_by_label("Postcode", exact=True).fill("LS1 3AD")
    page.get_by_label("Bank or building society statement").check()
    page.get_by_label("Name on the document").fill("Sarah Morgan")
    page.get_by_label("Postcode on the document").fill("LS1 3AD")
    fill_date(page, "issued_on", date.today() - timedelta(days=5))
    page.get_by_role("button", name="Continue").click()
    checked.check()
    page.get_by_label("Upload a photo").set_input_files(str(photo))
    page.get_by_role("button", name="Continue").click()
    checked.check()
    page.get_by_role("button", name="Check my identity").click()
    checked.check()
    # Without checkers that show the passport genuine and match the face, a registrar takes it from here.
    assert page.get_by_role("heading", name="A registrar will check your identity").is_visible()
    assert "ID-" in page.content()
