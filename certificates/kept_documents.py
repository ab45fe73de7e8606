"""Kept documents: every signed PDF the service issues and keeps — certified copies, the coroner's
interim certificates of the fact of death, and the documents issued at registration (the
certificate for burial or cremation, the still-birth's certificates) — found by serial and checked
on the verification pages and the API the same way: the signature against our CA, the file
against the digest stored with its row, then that row's status now."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.utils import timezone

from registrar.models import CoronerCertificate

from . import selectors
from .models import Certificate, RegistrationDocument, Verification
from .selectors import normalise_serial
from .services import new_serial


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


def registration_document_by_serial(serial: str) -> RegistrationDocument | None:
    """An issued registration document, by its serial as people type it."""
    serial = normalise_serial(serial)
    if serial is None:
        return None
    return RegistrationDocument.objects.select_related("entry__district").filter(serial=serial).first()


def registration_document_status(document: RegistrationDocument) -> str:
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
class KeptKind:
    """One kind of kept document: its table, how to find an issued one by serial, its status now,
    whom it names, the register entry it is of (empty before there is one) and the template that
    shows it on the verification pages."""

    model: type[models.Model]
    code: str  # Verification.Kind
    by_serial: Callable[[str], models.Model | None]
    status: Callable[[models.Model], str]
    name: Callable[[models.Model], str]
    entry_reference: Callable[[models.Model], str]
    template: str


CERTIFIED_COPY = KeptKind(
    model=Certificate,
    code=Verification.Kind.CERTIFIED_COPY,
    by_serial=selectors.certificate_by_serial,
    status=selectors.certificate_status,
    name=lambda certificate: selectors.entry_name(certificate.entry),
    entry_reference=lambda certificate: certificate.entry.entry_reference,
    template="certificates/_verify_status.html",
)
INTERIM = KeptKind(
    model=CoronerCertificate,
    code=Verification.Kind.INTERIM,
    by_serial=interim_by_serial,
    status=interim_status,
    name=lambda certificate: certificate.deceased_name,
    entry_reference=lambda certificate: "",  # not registered while the inquest is open
    template="certificates/_verify_interim.html",
)
REGISTRATION_DOCUMENT = KeptKind(
    model=RegistrationDocument,
    code=Verification.Kind.REGISTRATION_DOCUMENT,
    by_serial=registration_document_by_serial,
    status=registration_document_status,
    name=deceased_or_child,
    entry_reference=lambda document: document.entry.entry_reference,
    template="certificates/_verify_registration_document.html",
)
# Looked up in this order; a serial is only ever given to one of them (`unused_serial`).
KINDS = (CERTIFIED_COPY, INTERIM, REGISTRATION_DOCUMENT)
# What the pages show for a verdict with no document to compare: changed, not ours, unknown.
NO_DOCUMENT_TEMPLATE = CERTIFIED_COPY.template


def unused_serial() -> str:
    """A new serial no kept document of any kind has: verification finds a document by its serial
    alone, so two kinds must never share one."""
    while True:
        serial = new_serial()
        if not any(kind.model.objects.filter(serial=serial).exists() for kind in KINDS):
            return serial


@dataclass(frozen=True)
class KeptDocument:
    """An issued document found by its serial, with what verification shows of it."""

    kind: KeptKind
    record: models.Model
    status: str  # valid, revoked, superseded
    name: str

    @property
    def serial(self) -> str:
        return self.record.serial

    @property
    def issued_at(self) -> datetime:
        return self.record.issued_at

    @property
    def revoked_at(self) -> datetime | None:
        return getattr(self.record, "revoked_at", None)

    @property
    def entry_reference(self) -> str:
        return self.kind.entry_reference(self.record)

    @property
    def template(self) -> str:
        return self.kind.template


def kept_document(serial: str) -> KeptDocument | None:
    """The issued document of any kind with this serial, as people type it; None when there is none."""
    for kind in KINDS:
        record = kind.by_serial(serial)
        if record is not None:
            return KeptDocument(kind=kind, record=record, status=kind.status(record), name=kind.name(record))
    return None


@dataclass(frozen=True)
class KeptPdfVerification:
    verdict: str  # valid, revoked, superseded, tampered, not_ours, unknown
    signature_intact: bool
    signed_by_us: bool
    whole_document: bool
    content_matches_record: bool
    document: KeptDocument | None  # only when the file is the one issued
    # The document its serial names, when the file is signed by us (even if it was changed since).
    claimed: KeptDocument | None = None

    @property
    def template(self) -> str:
        return self.document.template if self.document else NO_DOCUMENT_TEMPLATE


def verify_kept_pdf(pdf: bytes) -> KeptPdfVerification:
    """A PDF someone holds: is the signature intact and ours, is the file byte for byte the
    document we issued under its serial, and what is that document's status now. The first
    check that fails gives the verdict, since the later ones mean nothing without it."""
    from .signing import check_signature  # pyHanko (~15 MB): loaded where a PDF is checked, not everywhere

    signature = check_signature(pdf)
    document = kept_document(signature.serial) if signature.serial else None
    matches = document is not None and hashlib.sha256(pdf).hexdigest() == document.record.pdf_sha256
    if not signature.readable:
        verdict = "not_ours"
    elif not signature.intact or not signature.whole_document:
        verdict = "tampered"
    elif not signature.signed_by_us:
        verdict = "not_ours"
    elif document is None:
        verdict = "unknown"
    elif not matches:
        verdict = "tampered"
    else:
        verdict = document.status
    return KeptPdfVerification(
        verdict=verdict,
        signature_intact=signature.intact,
        signed_by_us=signature.signed_by_us,
        whole_document=signature.whole_document,
        content_matches_record=matches,
        document=document if matches else None,
        claimed=document if verdict not in ("not_ours", "unknown") else None,
    )


def _count(how: str, verdict: str, document: KeptDocument | None) -> None:
    """One row for the office dashboard's count of checks: the kind, the verdict, the day and the
    document's registration district; nothing about who checked."""
    record = document.record if document else None
    entry = getattr(record, "entry", None)
    Verification.objects.create(
        checked_on=timezone.localdate(),
        how=how,
        kind=document.kind.code if document else Verification.Kind.NOT_FOUND,
        outcome=verdict,
        district_id=entry.district_id if entry is not None else getattr(record, "district_id", None),
    )


def check_serial(serial: str) -> KeptDocument | None:
    """What /verify/ and the API answer for a serial number someone typed, counted."""
    document = kept_document(serial)
    _count(Verification.How.SERIAL, document.status if document else Verification.Outcome.UNKNOWN, document)
    return document


def check_pdf(pdf: bytes) -> KeptPdfVerification:
    """What /verify/ and the API answer for a PDF someone uploaded, counted."""
    result = verify_kept_pdf(pdf)
    # A changed copy of one of ours counts against the document it claims to be.
    _count(Verification.How.PDF, result.verdict, result.claimed)
    return result
