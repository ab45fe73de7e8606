"""Certificate orders and their PDFs, and the text drawn on a PDF."""

from __future__ import annotations

import io
import re

from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader

from certificates import services as certificate_services
from certificates.models import Certificate, CertificateOrder
from tests.factories.identity import UserFactory


def paid_certificate_order(entry, *, kind="full_birth", copies=1, person=None) -> CertificateOrder:
    """An order for `entry` with the applicant robin@example.com, marked paid (as a confirmed
    payment leaves it) but not yet issued."""
    order = certificate_services.start_order(person=person or UserFactory(), entry=entry, kind=kind, copies=copies)
    certificate_services.save_applicant(
        order=order, name="Robin", email="robin@example.com", address="1 High St", postcode="LS1 3AD"
    )
    certificate_services.transition(order, "pay", paid_at=timezone.now())
    return CertificateOrder.objects.get(pk=order.pk)


def certificate_pdf(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def pdf_page_text(pdf: bytes) -> str:
    """The text drawn on a PDF's first page: its content stream read through pyHanko's reader,
    each TrueType subset's glyph codes mapped back to characters through its ToUnicode map."""
    reader = PdfFileReader(io.BytesIO(pdf))
    page = reader.root["/Pages"]["/Kids"][0]
    contents = page["/Contents"]
    raw = b"".join(stream.get_object().data for stream in (contents if isinstance(contents, list) else [contents]))
    maps = {}
    for name, font in page["/Resources"]["/Font"].items():
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
    text, current = [], {}
    for token in re.finditer(rb"/(\S+)\s+[\d.]+\s+Tf|\((.*?)(?<!\\)\)\s*Tj", raw, re.S):
        if token.group(1):
            current = maps.get("/" + token.group(1).decode(), {})
            continue
        string = token.group(2).replace(b"\\(", b"(").replace(b"\\)", b")").replace(b"\\\\", b"\\")
        string = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), string)
        text.append("".join(current.get(byte, chr(byte)) if current else chr(byte) for byte in string))
        text.append(" ")
    return "".join(text)
