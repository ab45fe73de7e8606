"""The coroner's interim certificate of the fact of death: the family is sent a link; the PDF
says plainly that it is an interim certificate and not a death certificate, is signed, made once
and kept, and verifies by serial number and by upload like certified copies, until the death is
registered after the inquest."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates.signing import check_signature
from identity.models import OutboundMessage
from registrar.inquest import services
from registrar.models import CoronerCertificate
from tests.factories import MedicalCertificateFactory
from tests.factories.certificates import pdf_page_text
from tests.factories.inquest import record_certificate

pytestmark = pytest.mark.django_db

INTERIM = {"kind": "interim_fact_of_death", "cause_of_death": "", "conclusion": ""}


@pytest.fixture
def referred(leeds):
    return MedicalCertificateFactory(reference="MCCD-INT-0001", referred_to_coroner=True, district=leeds)


@pytest.fixture
def interim(west_yorkshire, referred):
    return record_certificate(
        west_yorkshire,
        **INTERIM,
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )


def _link(to="susan.whitaker@example.org") -> str:
    body = OutboundMessage.objects.get(to=to, key__contains=":interim:").body
    return "/" + body.split("http://testserver/")[1].split()[0]


def test_the_family_is_sent_a_link_without_names_in_it(interim):
    message = OutboundMessage.objects.get(to="susan.whitaker@example.org")
    assert "interim certificate of the fact of death" in message.body and "not a death certificate" in message.body
    link = _link()
    assert link.startswith("/certificates/interim/") and "Whitaker" not in link and "WYC" not in link


def test_the_pdf_says_it_is_an_interim_certificate_not_a_death_certificate(client, interim):
    response = client.get(_link())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_page_text(pdf)
    assert "Interim certificate of the fact of death" in text
    assert "This is not a death certificate." in text
    assert "Margaret Ann Whitaker" in text and "Coroner for West Yorkshire (Eastern)" in text
    interim.refresh_from_db()
    assert interim.serial and f"Serial number: {interim.serial}" in text
    assert check_signature(pdf).ok


def test_the_pdf_is_made_once_and_kept(client, interim):
    first = client.get(_link()).content
    second = client.get(_link()).content
    assert first == second
    assert CoronerCertificate.objects.filter(pdf_sha256__gt="").count() == 1


def test_the_serial_verifies_as_an_interim_certificate(client, interim):
    client.get(_link())
    interim.refresh_from_db()
    page = client.get(f"/verify/{interim.serial.replace('-', '').lower()}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "This interim certificate is valid" in html and "It is not a death certificate." in html
    assert "Margaret Ann Whitaker" in html


def test_the_pdf_verifies_by_upload_and_a_changed_one_does_not(client, interim):
    pdf = client.get(_link()).content
    page = client.post("/verify/pdf/", {"pdf": SimpleUploadedFile("interim.pdf", pdf, "application/pdf")})
    assert "This interim certificate is valid" in page.content.decode()
    changed = bytearray(pdf)
    position = pdf.index(b"stream") + 20  # a byte of the drawn page, inside the signed range
    changed[position] = (changed[position] + 1) % 256
    changed = bytes(changed)
    page = client.post("/verify/pdf/", {"pdf": SimpleUploadedFile("interim.pdf", changed, "application/pdf")})
    html = page.content.decode()
    assert "This interim certificate is valid" not in html and "This certificate is valid" not in html


def test_once_the_death_is_registered_the_interim_certificate_is_replaced(
    client, interim, west_yorkshire, referred, leeds_registrar
):
    client.get(_link())
    after = record_certificate(
        west_yorkshire,
        reference="WYC-2026-0452",
        mccd_reference=referred.reference,
        date_of_death=referred.date_of_death.isoformat(),
        inquest_date=timezone.localdate().isoformat(),
    )
    services.register_from_certificate(certificate=after, actor=leeds_registrar)
    interim.refresh_from_db()
    html = client.get(f"/verify/{interim.serial}").content.decode()
    assert "This interim certificate has been replaced" in html and "Ask for a death certificate" in html


@pytest.mark.parametrize("token", ["nonsense", "eyJjIjoiV1lDIn0:1abc:xyz"])
def test_a_wrong_link_is_a_clear_404(client, interim, token):
    response = client.get(f"/certificates/interim/{token}/")
    assert response.status_code == 404
    assert "This link has expired or is not right" in response.content.decode()


def test_an_expired_link_is_refused(client, interim, settings, time_machine):
    link = _link()
    time_machine.move_to(timezone.now() + timezone.timedelta(days=settings.INQUEST_INTERIM_LINK_MAX_AGE_DAYS + 1))
    assert client.get(link).status_code == 404


def test_the_verification_api_answers_for_an_interim_certificate_as_the_page_does(client, interim):
    pdf = client.get(_link()).content
    interim.refresh_from_db()
    by_serial = client.get(f"/api/v1/certificates/verify/{interim.serial}").json()
    assert by_serial["kind"] == "interim_fact_of_death" and by_serial["status"] == "valid"
    assert by_serial["name"] == "Margaret Ann Whitaker" and by_serial["entry"] == ""
    upload = client.post("/api/v1/certificates/verify", {"file": SimpleUploadedFile("i.pdf", pdf)}).json()
    assert upload["verdict"] == "valid" and upload["certificate"]["serial"] == interim.serial
