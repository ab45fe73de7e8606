"""The documents a registrar issues at registration (registrar.green_form draws them), signed like
certified copies (`signing.sign_pdf`) and recorded, so that burial authorities and crematoria can
check them on the verification pages without signing in (`kept_documents`). Made once, the first time one is
opened, then kept: the document anyone checks is byte for byte the one issued."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from core.storage import atomic_with_files
from registrar.models import Registration

from .documents import _fonts, qr_png, verification_url
from .kept_documents import unused_serial
from .models import RegistrationDocument
from .services import keep_signed
from .signing import SERIAL_KEYWORD


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
        serial = unused_serial()
        issued_at = timezone.now()
        stamp = Stamp(
            serial=serial,
            issued_at=issued_at,
            check_url=verification_url(serial),
            qr_png=qr_png(serial),
            keywords=f"{SERIAL_KEYWORD}{serial}",
            fonts=_fonts(),
        )
        document = RegistrationDocument(
            serial=serial, kind=kind, registration=registration, entry=registration.entry, issued_at=issued_at
        )
        signed = keep_signed(
            document, render(stamp), serial=serial, reason=f"{RegistrationDocument.Kind(kind).label}, serial {serial}"
        )
        document.save()
    return signed
