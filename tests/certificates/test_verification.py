"""Public verification (DESIGN.md invariant 3): by serial on the page and the API, and by PDF
upload — an intact PDF we signed and issued is valid; one changed by a single byte, signed by
someone else, or not ours at all fails; revoked and superseded serials say so; unknown serials
are unknown; checks are rate-limited per address."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader
from reportlab.pdfgen import canvas

from certificates import services
from certificates.kept_documents import verify_kept_pdf
from certificates.signing import create_development_keys, sign_pdf
from registrar import register
from tests.factories import StaffFactory, certificate_pdf

pytestmark = pytest.mark.django_db


def test_a_valid_serial_shows_the_minimum_to_compare(client, issued):
    response = client.get(reverse("certificates:verify-serial", args=[issued.serial]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is valid" in html
    assert "Ada Lovelace" in html and issued.entry.entry_reference in html
    assert "St Mary" not in html and "Jones" not in html  # not the whole entry


def test_the_verify_form_goes_to_the_serial_page_and_accepts_any_spacing(client, issued):
    messy = issued.serial.replace("-", " ").lower()
    response = client.get(reverse("certificates:verify"), {"serial": messy})
    assert response.url == reverse("certificates:verify-serial", args=[issued.serial])
    response = client.get(reverse("certificates:verify"), {"serial": "abc"})
    assert response.status_code == 400 and "16 letters and numbers" in response.content.decode()


def test_an_unknown_serial_is_unknown(client, issued):
    response = client.get(reverse("certificates:verify-serial", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert response.status_code == 404 and "No certificate has this serial number" in response.content.decode()
    response = client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown"


def test_the_api_reports_valid_revoked_and_superseded(client, issued, leeds_registrar):
    url = f"/api/v1/certificates/verify/{issued.serial}"
    body = client.get(url).json()
    assert body["status"] == "valid" and body["name"] == "Ada Lovelace" and body["revoked_on"] is None
    services.revoke_certificate(certificate=issued, actor=leeds_registrar, reason="Issued in error")
    body = client.get(url).json()
    assert body["status"] == "revoked" and body["revoked_on"]
    assert (
        "has been revoked" in client.get(reverse("certificates:verify-serial", args=[issued.serial])).content.decode()
    )


def test_a_correction_after_issue_supersedes_the_certificate(client, issued):
    register.record_correction(
        entry=issued.entry,
        field="child_forenames",
        new_value="Augusta Ada",
        reason="r",
        evidence="e",
        actor=StaffFactory(),
    )
    assert client.get(f"/api/v1/certificates/verify/{issued.serial}").json()["status"] == "superseded"


def test_a_reissue_supersedes_the_old_serial_and_the_new_one_is_valid(
    client, issued, leeds_registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        replacement = services.reissue_certificate(certificate=issued, actor=leeds_registrar, reason="Corrected entry")
    replacement.refresh_from_db()
    assert replacement.is_ready and replacement.serial != issued.serial
    assert client.get(f"/api/v1/certificates/verify/{issued.serial}").json()["status"] == "superseded"
    assert client.get(f"/api/v1/certificates/verify/{replacement.serial}").json()["status"] == "valid"


def test_the_issued_pdf_verifies_as_valid(client, issued):
    pdf = certificate_pdf(issued)
    result = verify_kept_pdf(pdf)
    assert result.verdict == "valid" and result.signed_by_us and result.content_matches_record
    response = client.post(
        "/api/v1/certificates/verify", {"file": SimpleUploadedFile("c.pdf", pdf)}, format="multipart"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "valid" and body["certificate"]["serial"] == issued.serial


def test_a_pdf_changed_by_one_byte_fails(client, issued):
    pdf = certificate_pdf(issued)
    # Change one byte of drawn content inside the signed range (the page's text), and one in
    # the middle of the file, and one byte of the signature itself.
    positions = [pdf.index(b"stream") + 20, len(pdf) // 2, pdf.index(b"/Contents <") + 40]
    for position in positions:
        tampered = bytearray(pdf)
        tampered[position] = (
            (tampered[position] + 1) % 256
            if tampered[position] not in b"0123456789abcdef"
            else ord("0" if tampered[position] != ord("0") else "1")
        )
        result = verify_kept_pdf(bytes(tampered))
        assert result.verdict in ("tampered", "not_ours"), position
        assert not result.content_matches_record
        response = client.post(
            "/api/v1/certificates/verify", {"file": SimpleUploadedFile("c.pdf", bytes(tampered))}, format="multipart"
        )
        assert response.json()["verdict"] in ("tampered", "not_ours")


def test_bytes_added_after_signing_fail(issued):
    pdf = certificate_pdf(issued) + b"\n% extra\n"
    result = verify_kept_pdf(pdf)
    assert result.verdict == "tampered" and not result.content_matches_record


def test_a_pdf_signed_with_another_key_is_not_ours(issued, settings, tmp_path):
    # A lookalike of our certificate, with its serial, signed with a key from a different CA:
    # signed, intact, but not by us.
    other = create_development_keys(tmp_path / "other")
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setKeywords(f"serial:{issued.serial}")
    page.drawString(100, 700, "Certified copy of an entry of birth: Ada Lovelace")
    page.save()
    settings.CERTIFICATE_SIGNING_KEY_PATH = other["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = other["cert"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    forged = sign_pdf(buffer.getvalue(), reason="forged", location="elsewhere")
    assert PdfFileReader(io.BytesIO(forged)).embedded_signatures  # a well-formed signed PDF
    # CERTIFICATE_SIGNING_CA_PATH is still our CA, for checking.
    result = verify_kept_pdf(forged)
    assert result.verdict == "not_ours" and result.signature_intact and not result.signed_by_us


def test_an_unsigned_or_broken_upload_is_not_ours_and_bad_uploads_are_400s(client, issued):
    assert verify_kept_pdf(b"%PDF-1.4\nnot really a pdf").verdict == "not_ours"
    response = client.post(
        "/api/v1/certificates/verify", {"file": SimpleUploadedFile("x.pdf", b"hello")}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["error"]["fields"]["file"]
    response = client.post("/api/v1/certificates/verify", {}, format="multipart")
    assert response.status_code == 400
    response = client.post("/api/v1/certificates/verify", {"file": "x"}, content_type="application/json")
    assert response.status_code == 415


def test_the_pdf_page_checks_an_upload(client, issued):
    response = client.post(
        reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("c.pdf", certificate_pdf(issued))}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This certificate is valid" in html and "Nothing has changed" in html
    response = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("c.txt", b"plain text")})
    assert response.status_code == 400 and "must be a PDF" in response.content.decode()
    response = client.post(reverse("certificates:verify-pdf"), {})
    assert response.status_code == 400 and "Select a PDF file" in response.content.decode()


def test_an_unsigned_pdf_is_refused_for_one_clear_reason(client, issued):
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 700, "Certified copy of an entry of birth: Ada Lovelace")
    page.save()
    response = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("c.pdf", buffer.getvalue())})
    html = response.content.decode()
    assert response.status_code == 200 and "This PDF was not issued by this service" in html
    assert "It has no valid signature from this service" in html
    # Nothing that presumes a signature it does not have.
    assert "changed since it was signed" not in html and "Nothing has changed" not in html


def test_a_changed_pdf_is_refused_as_changed_only(client, issued):
    pdf = bytearray(certificate_pdf(issued))
    position = len(pdf) // 3
    pdf[position] = ord("0") if pdf[position] != ord("0") else ord("1")
    response = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("c.pdf", bytes(pdf))})
    html = response.content.decode()
    assert "It has been changed since it was signed." in html or "It has no valid signature" in html
    assert "It is signed by this service</li>" not in html and "Nothing has changed" not in html


def test_serial_numbers_are_long_random_and_not_sequential():
    serials = {services.new_serial() for _ in range(2000)}
    assert len(serials) == 2000
    assert all(len(serial) == 19 and serial.count("-") == 3 for serial in serials)


def test_verification_is_rate_limited_per_address(client, issued, settings):
    settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE = 5
    for number in range(5):
        assert client.get(f"/api/v1/certificates/verify/AAAA-BBBB-CCCC-{number:04d}").status_code == 404
    response = client.get(f"/api/v1/certificates/verify/{issued.serial}")
    assert response.status_code == 429 and response.json()["error"]["code"] == "throttled"
    assert client.get(reverse("certificates:verify-serial", args=[issued.serial])).status_code == 429
    other = client.get(f"/api/v1/certificates/verify/{issued.serial}", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_the_limit_reads_the_same_on_the_page_and_the_api_with_the_numbers_from_settings(client, issued, settings):
    settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_MINUTE = 1
    settings.CERTIFICATE_VERIFY_PER_ADDRESS_PER_HOUR = 7
    client.get(reverse("certificates:verify-serial", args=[issued.serial]))
    for language, expected in (
        ("en", "You have checked more than 1 certificates in a minute or 7 in an hour."),
        ("cy", "Rydych wedi gwirio mwy na 1 o dystysgrifau mewn munud neu 7 mewn awr."),
    ):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = client.get(reverse("certificates:verify-serial", args=[issued.serial]))
        api = client.get(f"/api/v1/certificates/verify/{issued.serial}", HTTP_ACCEPT_LANGUAGE=language)
        message = api.json()["error"]["message"]
        assert page.status_code == api.status_code == 429
        assert message.startswith(expected)
        assert message in page.content.decode()


def test_an_upload_is_checked_the_same_on_the_page_and_the_api(client, settings):
    settings.CERTIFICATE_VERIFY_MAX_UPLOAD_BYTES = 1024 * 1024
    big = b"%PDF-" + b"0" * (1024 * 1024)
    page = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("c.pdf", big)})
    api = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("c.pdf", big)}, format="multipart")
    assert page.status_code == api.status_code == 400
    assert api.json()["error"]["fields"]["file"] == ["The file must be smaller than 1 MB"]
    assert "The file must be smaller than 1 MB" in page.content.decode()
    api = client.post(
        "/api/v1/certificates/verify", {"file": SimpleUploadedFile("c.txt", b"plain text")}, format="multipart"
    )
    assert api.json()["error"]["fields"]["file"] == ["The selected file must be a PDF"]


@pytest.mark.parametrize("typed", ["lower", "no dashes", "spaces"])
def test_a_serial_typed_without_dashes_or_in_lower_case_is_found_on_the_page_and_in_the_api(client, issued, typed):
    serial = {
        "lower": issued.serial.lower(),
        "no dashes": issued.serial.replace("-", ""),
        "spaces": issued.serial.replace("-", " ").lower(),
    }[typed]
    assert client.get(reverse("certificates:verify-serial", args=[serial])).status_code == 200
    response = client.get(f"/api/v1/certificates/verify/{serial}")
    assert response.status_code == 200 and response.json()["serial"] == issued.serial
