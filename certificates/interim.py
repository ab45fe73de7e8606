"""The coroner's interim certificate of the fact of death as a signed PDF: what the family holds
while an inquest is open. It says plainly that it is not a death certificate, carries its own
serial number and QR code, is signed like certified copies (`signing.sign_pdf`) and is checked on
the same verification pages (`kept_documents`). Made once, the first time the family opens it, then kept, so the
document anyone checks is byte for byte the one issued."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from core.storage import atomic_with_files
from registrar.inquest.particulars import in_words
from registrar.models import CoronerCertificate

from .documents import _fonts, qr_png, verification_url
from .kept_documents import unused_serial
from .services import keep_signed
from .signing import SERIAL_KEYWORD

TITLE = "Interim certificate of the fact of death"
NOT_A_DEATH_CERTIFICATE = (
    "This is not a death certificate. The death has not yet been registered: an inquest is open. "
    "The death will be registered when the inquest ends, and death certificates can then be ordered."
)


def render_interim(certificate: CoronerCertificate, *, serial: str, issued_at) -> bytes:
    """An unsigned A4 PDF of the interim certificate."""
    regular, bold = _fonts()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=False)
    page.setTitle(f"{TITLE} {serial}")
    page.setAuthor(str(settings.SERVICE_NAME))
    page.setSubject(f"Coroner's reference {certificate.reference}")
    page.setKeywords(f"{SERIAL_KEYWORD}{serial}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm

    def write(text: str, *, font: str = regular, size: float = 10, gap: float = 5.5 * mm) -> None:
        nonlocal y
        for line in simpleSplit(text, font, size, right - left) or [""]:
            page.setFont(font, size)
            page.drawString(left, y, line)
            y -= gap

    write(TITLE, font=bold, size=16, gap=8 * mm)
    write(NOT_A_DEATH_CERTIFICATE, font=bold, size=11, gap=5.5 * mm)
    y -= 3 * mm
    page.line(left, y, right, y)
    y -= 7 * mm
    born = certificate.deceased_date_of_birth
    rows = [
        ("Name of the deceased", certificate.deceased_name),
        ("Sex", certificate.get_sex_display()),
        ("Date of birth", in_words(born) if born else "Not known"),
        ("Date of death", in_words(certificate.date_of_death)),
        ("Place of death", certificate.place_of_death),
        ("Occupation", certificate.occupation),
        ("Usual address", certificate.usual_address),
        ("Coroner", f"{certificate.coroner_name}, Coroner for {certificate.coroner_area}"),
        ("Inquest opened", in_words(certificate.inquest_date)),
        ("Coroner's reference", certificate.reference),
    ]
    for label, value in rows:
        if not value:
            continue
        write(label, size=8.5, gap=4.2 * mm)
        write(str(value), font=bold, size=11, gap=6.5 * mm)
    y -= 2 * mm
    write(
        f"The coroner certifies that the death of the person named above took place as shown. An inquest into "
        f"the death was opened on {in_words(certificate.inquest_date)} and has not yet ended.",
        size=10,
    )

    qr_size = 38 * mm
    qr_y = 22 * mm
    page.drawImage(ImageReader(io.BytesIO(qr_png(serial))), right - qr_size, qr_y, qr_size, qr_size)
    foot = qr_y + qr_size - 6 * mm
    page.setFont(regular, 8)
    page.drawString(left, foot + 6 * mm, "Interim certificate of the fact of death. Not a death certificate.")
    page.setFont(bold, 11)
    page.drawString(left, foot, f"Serial number: {serial}")
    page.setFont(regular, 10)
    page.drawString(left, foot - 6 * mm, f"Date of issue: {in_words(timezone.localdate(issued_at))}")
    page.setFont(regular, 8)
    page.drawString(left, foot - 12 * mm, f"Check this certificate at: {verification_url(serial)}")
    page.drawString(
        left, foot - 17 * mm, "Warning: it is an offence to falsify a certificate or to use a falsified one."
    )
    page.showPage()
    page.save()
    return buffer.getvalue()


def interim_pdf(certificate: CoronerCertificate) -> bytes:
    """The signed PDF of an interim certificate: made and kept the first time, the kept one after.
    The row is locked while it is made, so two opens at once make one document."""
    if not certificate.is_interim:
        raise ValueError("only interim certificates have a document of their own")
    with atomic_with_files():
        certificate = CoronerCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.pdf_sha256:
            with certificate.pdf.open("rb") as stored:
                return stored.read()
        serial = unused_serial()
        issued_at = timezone.now()
        signed = keep_signed(
            certificate,
            render_interim(certificate, serial=serial, issued_at=issued_at),
            serial=serial,
            reason=f"Interim certificate of the fact of death, serial {serial}",
        )
        certificate.serial = serial
        certificate.issued_at = issued_at
        certificate.save(update_fields=["serial", "issued_at", "pdf_sha256", "pdf"])
    return signed
