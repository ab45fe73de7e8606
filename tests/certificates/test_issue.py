"""Issuing: after payment every copy is rendered from the entry (with corrections), signed with
the service's key, and numbered once; pyHanko's own validator accepts it; the QR code leads to
the verification page."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
import zxingcpp
from django.db import IntegrityError, transaction
from PIL import Image
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature

from certificates import selectors, services
from certificates.documents import _fonts
from certificates.models import Certificate, CertificateOrder
from certificates.signing import _trust_context
from identity.models import OutboundMessage
from registrar import register
from tests.factories import (
    RegisterOfficeFactory,
    StaffFactory,
    UserFactory,
    certificate_pdf,
    historic_birth,
    paid_certificate_order,
)

pytestmark = pytest.mark.django_db


def test_a_paid_order_is_issued_as_signed_pdfs_that_pyhanko_validates_against_our_ca():
    order = paid_certificate_order(historic_birth(), copies=2)
    services.issue_order(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED
    certificates = list(order.certificates.order_by("copy_number"))
    assert [c.copy_number for c in certificates] == [1, 2]
    assert len({c.serial for c in certificates}) == 2
    for certificate in certificates:
        data = certificate_pdf(certificate)
        assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
        reader = PdfFileReader(io.BytesIO(data))
        status = validate_pdf_signature(reader.embedded_signatures[0], _trust_context())
        assert status.intact and status.valid and status.trusted
        assert status.bottom_line


def test_issuing_twice_never_makes_a_second_serial():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    first = list(Certificate.objects.values_list("serial", "pdf_sha256"))
    services.issue_order(order_id=order.pk)
    assert list(Certificate.objects.values_list("serial", "pdf_sha256")) == first
    assert OutboundMessage.objects.filter(to="robin@example.com").count() == 1


def test_the_database_refuses_a_second_certificate_for_one_copy():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(serial="X", order=order, copy_number=1, entry=order.entry, kind=order.kind)


def test_an_unpaid_order_is_not_issued():
    order = services.start_order(person=UserFactory(), entry=historic_birth(), kind="full_birth", copies=1)
    services.issue_order(order_id=order.pk)
    assert not Certificate.objects.exists()


def test_the_certificate_shows_corrections_and_a_later_correction_supersedes_it():
    entry = historic_birth(forenames="Ada Mary")
    register.record_correction(
        entry=entry,
        field="child_forenames",
        new_value="Ada Marie",
        reason="Spelling",
        evidence="Hospital record seen",
        actor=StaffFactory(),
    )
    order = paid_certificate_order(entry)
    services.issue_order(order_id=order.pk)
    certificate = order.certificates.get()
    text = _page_text(certificate_pdf(certificate))
    assert "Ada Marie" in text and "corrected to" in text
    assert selectors.certificate_status(certificate) == "valid"
    register.record_correction(
        entry=entry, field="place_of_birth", new_value="Leeds", reason="r", evidence="e", actor=StaffFactory()
    )
    assert selectors.certificate_status(certificate) == "superseded"


def test_an_entry_in_wales_gets_a_bilingual_certificate():
    cardiff = RegisterOfficeFactory(code="W-CARDIFF-T", region="Wales", welsh_name="Swyddfa Gofrestru Caerdydd")
    order = paid_certificate_order(historic_birth(cardiff))
    services.issue_order(order_id=order.pk)
    certificate = order.certificates.get()
    assert certificate.bilingual
    text = _page_text(certificate_pdf(certificate))
    assert "Copi dilys o gofnod geni" in text and "Certified copy of an entry of birth" in text
    assert "Swyddfa Gofrestru Caerdydd" in text


def test_a_short_birth_certificate_leaves_out_the_parents():
    order = paid_certificate_order(historic_birth(), kind="short_birth")
    services.issue_order(order_id=order.pk)
    text = _page_text(certificate_pdf(order.certificates.get()))
    assert "Ada Mary" in text and "Jones" not in text and "Mother" not in text


def test_the_qr_code_leads_to_the_verification_page_of_its_serial():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    certificate = order.certificates.get()
    images = _page_images(certificate_pdf(certificate))
    assert images, "the certificate has a QR code image"
    decoded = [result.text for image in images for result in zxingcpp.read_barcodes(image)]
    assert decoded == [f"http://testserver/verify/{certificate.serial}"]
    assert isinstance(images[0], Image.Image)


def test_issuing_sends_one_email_with_a_link_to_the_order():
    order = paid_certificate_order(historic_birth())
    services.issue_order(order_id=order.pk)
    message = OutboundMessage.objects.get(to="robin@example.com")
    assert f"/certificates/orders/{order.reference}/" in message.body


def _page_text(pdf: bytes) -> str:
    """The text drawn on the page (reportlab writes it uncompressed when asked; we read the
    content stream through pyHanko's reader and decode the TrueType glyph strings)."""
    reader = PdfFileReader(io.BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][0]
    contents = page["/Contents"]
    streams = contents if isinstance(contents, list) else [contents]
    raw = b"".join(stream.get_object().data for stream in streams)
    _fonts()
    return _decode_show_strings(raw, page)


def _decode_show_strings(raw: bytes, page) -> str:
    """Map each font subset's glyph codes back to characters through its ToUnicode map."""
    fonts = page["/Resources"]["/Font"]
    maps = {}
    for name, font in fonts.items():
        font = font.get_object()
        mapping = {}
        if "/ToUnicode" in font:
            cmap = font["/ToUnicode"].get_object().data.decode("latin-1")
            for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
                for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    mapping[int(code, 16)] = bytes.fromhex(uni).decode("utf-16-be")
            for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
                for start, end, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
                    for offset in range(int(end, 16) - int(start, 16) + 1):
                        mapping[int(start, 16) + offset] = chr(int(uni, 16) + offset)
        maps[str(name)] = mapping
    text = []
    current = {}
    for token in re.finditer(rb"/(\S+)\s+[\d.]+\s+Tf|\((.*?)(?<!\\)\)\s*Tj", raw, re.S):
        if token.group(1):
            current = maps.get("/" + token.group(1).decode(), {})
        else:
            string = token.group(2).replace(b"\\(", b"(").replace(b"\\)", b")").replace(b"\\\\", b"\\")
            string = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), string)
            text.append("".join(current.get(byte, chr(byte)) if current else chr(byte) for byte in string))
        text.append(" ")
    return "".join(text)


def _page_images(pdf: bytes):
    reader = PdfFileReader(io.BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][0]
    images = []
    for _name, xobject in page["/Resources"].get("/XObject", {}).items():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") != "/Image":
            continue
        width, height = int(xobject["/Width"]), int(xobject["/Height"])
        mode = "L" if xobject.get("/ColorSpace") == "/DeviceGray" else "RGB"
        images.append(Image.frombytes(mode, (width, height), xobject.data))
    return images
