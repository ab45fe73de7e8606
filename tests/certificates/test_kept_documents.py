"""Every kept document — a certified copy, a coroner's interim certificate, a document issued at
registration — is found by its serial and checked by its file with one rule: the page and the API
answer alike for each kind, a file signed by us that is not the one issued under its serial is
"changed" whatever its kind, and no two kinds ever share a serial."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from reportlab.pdfgen import canvas

from certificates import kept_documents
from certificates.interim import interim_pdf
from certificates.signing import sign_pdf
from registrar.green_form import green_form_pdf
from tests.factories import (
    MedicalCertificateFactory,
    UserFactory,
    certificate_pdf,
    death_answers,
    make_leeds_offices,
    make_registration,
    submit_as_informant,
    verify_identity,
)
from tests.factories.inquest import coroner, record_certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def leeds_offices():
    return make_leeds_offices()


@pytest.fixture
def interim(leeds_offices):
    """A coroner's interim certificate of the fact of death, its PDF made and kept."""
    referred = MedicalCertificateFactory(
        reference="MCCD-KEPT-0001", referred_to_coroner=True, district=leeds_offices[0]
    )
    certificate = record_certificate(
        coroner(leeds_offices[0]),
        kind="interim_fact_of_death",
        cause_of_death="",
        conclusion="",
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )
    pdf = interim_pdf(certificate)
    certificate.refresh_from_db()
    return certificate, pdf


@pytest.fixture
def green_form(leeds_offices):
    """The certificate for burial or cremation of a registered death, made and kept."""
    relative = UserFactory(email="susan@example.org")
    verify_identity(relative)
    death = submit_as_informant(
        make_registration(event="death", informant=relative, answers=death_answers(MedicalCertificateFactory()))
    )
    pdf = green_form_pdf(death)
    return death.documents.get(), pdf


@pytest.fixture(params=["certified_copy", "interim", "registration_document"])
def kept(request):
    """(the kept row, its PDF, the name verification shows) for each kind of kept document."""
    if request.param == "certified_copy":
        issued = request.getfixturevalue("issued")
        return issued, certificate_pdf(issued), "Ada Lovelace"
    if request.param == "interim":
        certificate, pdf = request.getfixturevalue("interim")
        return certificate, pdf, "Margaret Ann Whitaker"
    document, pdf = request.getfixturevalue("green_form")
    return document, pdf, f"{document.entry.forenames} {document.entry.surname}"


def _signed_by_us_under(serial: str) -> bytes:
    """A PDF we signed (our key, intact, whole) carrying `serial`, but not the one issued under it."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setKeywords(f"serial:{serial}")
    page.drawString(100, 700, "Not the document issued under this serial")
    page.save()
    return sign_pdf(buffer.getvalue(), reason="another document", location="here")


def test_each_kind_is_found_by_serial_and_by_file_and_the_page_and_api_agree(client, kept):
    record, pdf, name = kept
    by_serial = client.get(f"/api/v1/certificates/verify/{record.serial}").json()
    assert by_serial["serial"] == record.serial and by_serial["status"] == "valid" and by_serial["name"] == name
    assert by_serial["kind"] == record.kind
    upload = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("k.pdf", pdf)}).json()
    assert upload["verdict"] == "valid" and upload["certificate"] == by_serial
    page = client.get(reverse("certificates:verify-serial", args=[record.serial.replace("-", "").lower()]))
    assert page.status_code == 200 and name in page.content.decode() and record.serial in page.content.decode()
    checked = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("k.pdf", pdf)})
    html = checked.content.decode()
    assert checked.status_code == 200 and name in html and "It is the document we issued under its serial" in html


def test_a_file_signed_by_us_that_is_not_the_one_issued_is_changed_for_every_kind(client, kept):
    record, _pdf, name = kept
    other = _signed_by_us_under(record.serial)
    result = kept_documents.verify_kept_pdf(other)
    assert result.verdict == "tampered" and result.signed_by_us and not result.content_matches_record
    assert result.document is None
    page = client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("k.pdf", other)})
    html = page.content.decode()
    assert page.status_code == 200 and "This PDF has been changed" in html
    assert "not the document we issued under its serial number" in html and name not in html
    api = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("k.pdf", other)}).json()
    assert api["verdict"] == "tampered" and api["certificate"] is None


def test_a_new_serial_is_never_one_that_any_kind_already_has(issued, interim, green_form, monkeypatch):
    taken = [issued.serial, interim[0].serial, green_form[0].serial]
    offered = iter([*taken, "NEWS-ERIA-LNOT-USED"])
    monkeypatch.setattr(kept_documents, "new_serial", lambda: next(offered))
    assert kept_documents.unused_serial() == "NEWS-ERIA-LNOT-USED"


def test_a_serial_of_no_kind_is_unknown_on_the_page_and_the_api(client, issued, interim, green_form):
    page = client.get(reverse("certificates:verify-serial", args=["AAAA-BBBB-CCCC-DDDD"]))
    assert page.status_code == 404 and "No certificate has this serial number" in page.content.decode()
    api = client.get("/api/v1/certificates/verify/AAAA-BBBB-CCCC-DDDD")
    assert api.status_code == 404 and api.json()["error"]["code"] == "unknown"


def test_an_interim_certificate_reads_in_welsh_on_the_verification_page(client, interim, settings):
    certificate, pdf = interim
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.get(reverse("certificates:verify-serial", args=[certificate.serial])).content.decode()
    with translation.override("cy"):
        assert translation.gettext("This interim certificate is valid") in html
    assert "Mae'r dystysgrif interim hon yn ddilys" in html.replace("&#x27;", "'")
    changed = client.post(
        reverse("certificates:verify-pdf"),
        {"pdf": SimpleUploadedFile("k.pdf", _signed_by_us_under(certificate.serial))},
    )
    assert "Mae’r PDF hwn wedi cael ei newid" in changed.content.decode()


def _district(record):
    entry = getattr(record, "entry", None)
    return entry.district if entry is not None else record.district


def test_every_check_is_counted_with_its_kind_outcome_and_district_and_nothing_about_who_checked(client, kept):
    from certificates.models import Verification

    record, pdf, _name = kept
    client.get(f"/api/v1/certificates/verify/{record.serial}")
    client.get(reverse("certificates:verify-serial", args=[record.serial]))
    client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("k.pdf", pdf)})
    client.post(reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("k.pdf", pdf)})
    client.post(
        reverse("certificates:verify-pdf"), {"pdf": SimpleUploadedFile("k.pdf", _signed_by_us_under(record.serial))}
    )
    client.get(reverse("certificates:verify-serial", args=["ZZZZ-ZZZZ-ZZZZ"]))
    rows = list(Verification.objects.order_by("id").values_list("how", "kind", "outcome", "district"))
    district = _district(record).pk
    kind = kept_documents.check_serial(record.serial).kind.code
    assert rows == [
        ("serial", kind, "valid", district),
        ("serial", kind, "valid", district),
        ("pdf", kind, "valid", district),
        ("pdf", kind, "valid", district),
        ("pdf", kind, "tampered", district),  # a changed copy counts against the document it claims to be
        ("serial", "not_found", "unknown", None),
    ]
    fields = {field.name for field in Verification._meta.get_fields()}
    assert fields == {"id", "checked_on", "how", "kind", "outcome", "district"}


def test_a_form_that_is_refused_is_not_counted(client):
    from certificates.models import Verification

    response = client.post(reverse("certificates:verify-pdf"), {})
    assert response.status_code == 400 and not Verification.objects.exists()
