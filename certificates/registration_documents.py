"""The documents a registrar issues at registration (registrar.green_form draws them), signed like
certified copies (`signing.sign_pdf`) and recorded, so that burial authorities and crematoria can
check them on the verification pages without signing in. Made once, the first time one is
opened, then kept: the document anyone checks is byte for byte the one issued."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from core.storage import atomic_with_files, save_file
from registrar.models import CoronerCertificate, Registration

from .documents import _fonts, qr_png, verification_url
from .models import Certificate, RegistrationDocument
from .selectors import normalise_serial
from .services import new_serial
from .signing import SERIAL_KEYWORD, check_signature, sign_pdf


@dataclass(frozen=True)
class Stamp:
    """What the drawing of a document prints so that it can be checked: its serial, when it
    was issued, the page to check it at and the QR code leading there."""

    serial: str
    issued_at: datetime
    check_url: str
    qr_png: bytes
    keywords: str  # the PDF's keywords, which carry the serial for `signing.check_signature`
    fonts: tuple[str, str]  # regular and bold, with the Welsh letters (ŵ, ŷ), as certified copies use


def _unused_serial() -> str:
    while True:
        serial = new_serial()
        taken = (
            Certificate.objects.filter(serial=serial).exists()
            or CoronerCertificate.objects.filter(serial=serial).exists()
            or RegistrationDocument.objects.filter(serial=serial).exists()
        )
        if not taken:
            return serial


def issue_registration_document(*, registration: Registration, kind: str, render: Callable[[Stamp], bytes]) -> bytes:
    """The signed PDF of one of a registration's documents: drawn by `render` (an unsigned PDF
    carrying the stamp), signed and kept the first time, the kept one after. The registration
    row is locked while it is made, so two downloads at once make one document."""
    if kind not in RegistrationDocument.Kind.values:
        raise ValueError(f"not a registration document: {kind}")
    with atomic_with_files():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        kept = RegistrationDocument.objects.filter(registration=registration, kind=kind).first()
        if kept is not None:
            with kept.pdf.open("rb") as stored:
                return stored.read()
        serial = _unused_serial()
        issued_at = timezone.now()
        stamp = Stamp(
            serial=serial,
            issued_at=issued_at,
            check_url=verification_url(serial),
            qr_png=qr_png(serial),
            keywords=f"{SERIAL_KEYWORD}{serial}",
            fonts=_fonts(),
        )
        signed = sign_pdf(
            render(stamp),
            reason=f"{RegistrationDocument.Kind(kind).label}, serial {serial}",
            location=str(settings.SERVICE_NAME),
        )
        document = RegistrationDocument(
            serial=serial,
            kind=kind,
            registration=registration,
            entry=registration.entry,
            issued_at=issued_at,
            pdf_sha256=hashlib.sha256(signed).hexdigest(),
        )
        save_file(document.pdf, f"{serial}.pdf", ContentFile(signed))
        document.save()
    return signed


def document_by_serial(serial: str) -> RegistrationDocument | None:
    """An issued registration document, by its serial as people type it."""
    serial = normalise_serial(serial)
    if serial is None:
        return None
    return RegistrationDocument.objects.select_related("entry__district").filter(serial=serial).first()


def document_status(document: RegistrationDocument) -> str:
    """ "valid", or "superseded" once the entry it was made from has been corrected: the
    particulars it shows are no longer the register's."""
    corrected_after = document.entry.corrections.filter(corrected_at__gt=document.issued_at).exists()
    return "superseded" if corrected_after else "valid"


def deceased_or_child(document: RegistrationDocument) -> str:
    """Whom the document is about, as the entry names them (a baby not named: empty)."""
    if document.entry.particulars.get("named") is False:
        return ""
    return f"{document.entry.forenames} {document.entry.surname}".strip()


@dataclass(frozen=True)
class DocumentVerification:
    """A PDF checked as a registration document: the same checks as `selectors.PdfVerification`."""

    verdict: str  # valid, superseded, tampered
    signature_intact: bool
    signed_by_us: bool
    whole_document: bool
    content_matches_record: bool
    document: RegistrationDocument | None


def verify_document_pdf(pdf: bytes) -> DocumentVerification | None:
    """A PDF signed by us whose serial is a registration document's; None when it is not one."""
    signature = check_signature(pdf)
    document = document_by_serial(signature.serial) if signature.ok and signature.serial else None
    if document is None:
        return None
    matches = hashlib.sha256(pdf).hexdigest() == document.pdf_sha256
    return DocumentVerification(
        verdict=document_status(document) if matches else "tampered",
        signature_intact=signature.intact,
        signed_by_us=signature.signed_by_us,
        whole_document=signature.whole_document,
        content_matches_record=matches,
        document=document if matches else None,
    )


def document_data(document: RegistrationDocument) -> dict:
    """The verification API's answer for a registration document, in the shape of a certified
    copy's (`api.certificate_data`)."""
    return {
        "serial": document.serial,
        "status": document_status(document),
        "kind": document.kind,
        "issued_on": timezone.localdate(document.issued_at),
        "name": deceased_or_child(document),
        "entry": document.entry.entry_reference,
        "revoked_on": None,
    }
