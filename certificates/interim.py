"""The coroner's interim certificate of the fact of death as a signed PDF: what the family holds
while an inquest is open. It says plainly that it is not a death certificate, carries its own
serial number and QR code, is signed like certified copies (`signing.sign_pdf`) and is checked on
the same verification pages. Made once, the first time the family opens it, then kept, so the
document anyone checks is byte for byte the one issued."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen import canvas

from core.storage import atomic_with_files, save_file
from registrar.inquest.particulars import in_words
from registrar.models import CoronerCertificate

from .documents import _fonts, qr_png, verification_url
from .models import Certificate
from .selectors import normalise_serial
from .services import new_serial
from .signing import SERIAL_KEYWORD, check_signature, sign_pdf

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


def _unused_serial() -> str:
    while True:
        serial = new_serial()
        taken = (
            Certificate.objects.filter(serial=serial).exists()
            or CoronerCertificate.objects.filter(serial=serial).exists()
        )
        if not taken:
            return serial


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
        serial = _unused_serial()
        issued_at = timezone.now()
        signed = sign_pdf(
            render_interim(certificate, serial=serial, issued_at=issued_at),
            reason=f"Interim certificate of the fact of death, serial {serial}",
            location=str(settings.SERVICE_NAME),
        )
        certificate.serial = serial
        certificate.issued_at = issued_at
        certificate.pdf_sha256 = hashlib.sha256(signed).hexdigest()
        save_file(certificate.pdf, f"{serial}.pdf", ContentFile(signed))
        certificate.save(update_fields=["serial", "issued_at", "pdf_sha256", "pdf"])
    return signed


def interim_by_serial(serial: str) -> CoronerCertificate | None:
    """An issued interim certificate, by its serial as people type it."""
    serial = normalise_serial(serial)
    if serial is None:
        return None
    return (
        CoronerCertificate.objects.select_related("district")
        .filter(serial=serial, kind=CoronerCertificate.Kind.INTERIM)
        .exclude(pdf_sha256="")
        .first()
    )


def interim_status(certificate: CoronerCertificate) -> str:
    """ "valid" while the inquest is open; "superseded" once the death is registered from the
    certificate after inquest (its death certificate replaces it)."""
    registered = CoronerCertificate.objects.filter(
        kind=CoronerCertificate.Kind.AFTER_INQUEST, status=CoronerCertificate.Status.REGISTERED
    )
    if certificate.medical_certificate_id:
        registered = registered.filter(medical_certificate_id=certificate.medical_certificate_id)
    else:
        registered = registered.filter(
            deceased_surname__iexact=certificate.deceased_surname,
            date_of_death=certificate.date_of_death,
            district_id=certificate.district_id,
        )
    return "superseded" if registered.exists() else "valid"


def matches_interim(pdf: bytes, certificate: CoronerCertificate | None) -> bool:
    return certificate is not None and hashlib.sha256(pdf).hexdigest() == certificate.pdf_sha256


@dataclass(frozen=True)
class InterimVerification:
    """A PDF checked as an interim certificate: the same checks as `selectors.PdfVerification`."""

    verdict: str  # valid, superseded, tampered
    signature_intact: bool
    signed_by_us: bool
    whole_document: bool
    content_matches_record: bool
    interim: CoronerCertificate | None


def verify_interim_pdf(pdf: bytes) -> InterimVerification | None:
    """A PDF signed by us whose serial is an interim certificate's; None when it is not one."""
    signature = check_signature(pdf)
    interim = interim_by_serial(signature.serial) if signature.ok and signature.serial else None
    if interim is None:
        return None
    matches = matches_interim(pdf, interim)
    return InterimVerification(
        verdict=interim_status(interim) if matches else "tampered",
        signature_intact=signature.intact,
        signed_by_us=signature.signed_by_us,
        whole_document=signature.whole_document,
        content_matches_record=matches,
        interim=interim if matches else None,
    )


def interim_data(certificate: CoronerCertificate) -> dict:
    """The verification API's answer for an interim certificate, in the shape of a certified
    copy's (`api.certificate_data`): kind `interim_fact_of_death`, and no entry yet."""
    return {
        "serial": certificate.serial,
        "status": interim_status(certificate),
        "kind": certificate.kind,
        "issued_on": timezone.localdate(certificate.issued_at),
        "name": certificate.deceased_name,
        "entry": "",
        "revoked_on": None,
    }
