"""Writes: orders (certificate, copies, the 50-year details, the applicant), payment through the
provider (started once, confirmed only by asking the provider), issuing each copy as a signed PDF
exactly once, and the registrars' revoke and reissue. Side effects run after commit."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from core.queue import enqueue_on_commit
from core.references import ALPHABET, new_reference
from identity.audit import record_audit
from identity.models import CodeChannel, User
from identity.notifications import send_message
from registrar.models import RegisterEntry
from registrar.register import current_particulars

from . import selectors
from .documents import CertificateContent, CorrectionLine, render_certificate
from .models import KINDS_FOR_EVENT, Certificate, CertificateOrder, Payment
from .payments import ProviderUnavailable, get_provider
from .signing import sign_pdf

logger = logging.getLogger(__name__)


class OrderRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_serial() -> str:
    """16 random characters (80 bits) from the reference alphabet: not guessable, and easy to
    read out, e.g. K7QH-3MZP-W2XA-9RTC."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(body[index : index + 4] for index in range(0, 16, 4))


# --- Orders -------------------------------------------------------------------------------------------


def _check_kind(entry: RegisterEntry, kind: str, copies: int) -> None:
    if kind not in KINDS_FOR_EVENT.get(entry.event, []):
        raise OrderRefused("wrong_kind")
    if not 1 <= copies <= settings.CERTIFICATE_MAX_COPIES:
        raise OrderRefused("copies_out_of_range")


def start_order(*, person: User, entry: RegisterEntry, kind: str, copies: int) -> CertificateOrder:
    _check_kind(entry, kind, copies)
    return CertificateOrder.objects.create(
        reference=new_reference("CO"),
        person=person,
        entry=entry,
        kind=kind,
        copies=copies,
        applicant_name=person.full_name,
        applicant_email=person.email,
        fee_pence_each=settings.CERTIFICATE_FEES_PENCE[kind],
    )


def change_order(*, order: CertificateOrder, kind: str, copies: int) -> CertificateOrder:
    if order.status != CertificateOrder.Status.DRAFT:
        raise OrderRefused("already_paid")
    _check_kind(order.entry, kind, copies)
    order.kind, order.copies = kind, copies
    order.fee_pence_each = settings.CERTIFICATE_FEES_PENCE[kind]
    order.save(update_fields=["kind", "copies", "fee_pence_each"])
    return order


def confirm_birth_details(
    *, order: CertificateOrder, date_of_birth: date, place_of_birth: str, mother_name: str, father_name: str
) -> CertificateOrder:
    """Births in the last 50 years. A limited number of tries, so the details cannot be guessed."""
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != CertificateOrder.Status.DRAFT:
            raise OrderRefused("already_paid")
        if order.details_attempts >= settings.CERTIFICATE_DETAIL_ATTEMPTS:
            raise OrderRefused("too_many_attempts")
        matched = selectors.birth_details_match(
            current_particulars(order.entry),
            date_of_birth=date_of_birth,
            place_of_birth=place_of_birth,
            mother_name=mother_name,
            father_name=father_name,
        )
        order.details_attempts += 1
        order.details_confirmed_at = timezone.now() if matched else None
        order.save(update_fields=["details_attempts", "details_confirmed_at"])
    if not matched:
        raise OrderRefused("details_do_not_match")
    return order


def save_applicant(*, order: CertificateOrder, name: str, email: str, address: str, postcode: str) -> CertificateOrder:
    if order.status != CertificateOrder.Status.DRAFT:
        raise OrderRefused("already_paid")
    order.applicant_name, order.applicant_email = name.strip(), email.strip()
    order.applicant_address, order.applicant_postcode = address.strip(), postcode.strip()
    order.save(update_fields=["applicant_name", "applicant_email", "applicant_address", "applicant_postcode"])
    return order


def missing_step(order: CertificateOrder) -> str | None:
    """The first thing the order still needs before it can be paid for, if any."""
    if selectors.needs_birth_details(order.entry) and order.details_confirmed_at is None:
        return "details"
    if not (order.applicant_name and order.applicant_email and order.applicant_address):
        return "applicant"
    return None


# --- Payment --------------------------------------------------------------------------------------------

_STATUS_FROM_PROVIDER = {
    "success": Payment.Status.SUCCESS,
    "failed": Payment.Status.FAILED,
    "cancelled": Payment.Status.CANCELLED,
    "error": Payment.Status.ERROR,
}


def start_payment(*, order: CertificateOrder, return_url: Callable[[str], str]) -> Payment:
    """The payment to send the person to. Pressing "Pay" twice gives the same payment while it
    is open; a finished one (declined, cancelled) is replaced by a new attempt."""
    if missing_step(order):
        raise OrderRefused("order_incomplete")
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        if order.status != CertificateOrder.Status.DRAFT:
            raise OrderRefused("already_paid")
        open_payment = order.payments.filter(status=Payment.Status.CREATED).first()
        if open_payment is not None:
            open_payment = _record_provider_state(open_payment)
            if open_payment.status == Payment.Status.CREATED:
                return open_payment
            if open_payment.status == Payment.Status.SUCCESS:
                raise OrderRefused("already_paid")
        token = secrets.token_urlsafe(32)
        provider = get_provider()
        remote = provider.create_payment(
            amount_pence=order.amount_pence,
            reference=order.reference,
            description=f"{order.get_kind_display()} x{order.copies}",
            return_url=return_url(token),
        )
        return Payment.objects.create(
            order=order,
            provider=provider.name,
            provider_payment_id=remote.payment_id,
            amount_pence=order.amount_pence,
            return_token=token,
            next_url=remote.next_url,
            provider_status=remote.status,
        )


def _record_provider_state(payment: Payment) -> Payment:
    """Ask the provider (never the browser) how the payment went and record it. Runs inside
    the caller's transaction with the payment's order locked."""
    remote = get_provider(payment.provider).get_payment(payment.provider_payment_id)
    payment.provider_status = remote.status
    fields = ["provider_status"]
    if remote.finished:
        payment.status = _STATUS_FROM_PROVIDER[remote.status]
        if payment.status == Payment.Status.SUCCESS and remote.amount_pence not in (None, payment.amount_pence):
            logger.error(
                "Payment %s: the provider took %s, not %s", payment.pk, remote.amount_pence, payment.amount_pence
            )
            payment.status = Payment.Status.ERROR
        payment.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    payment.save(update_fields=fields)
    if payment.status == Payment.Status.SUCCESS:
        order = payment.order
        order.status = CertificateOrder.Status.PAID
        order.paid_at = timezone.now()
        order.save(update_fields=["status", "paid_at"])
        enqueue_on_commit("certificates.tasks.issue_order_task", order.pk)
    return payment


def confirm_payment(*, payment: Payment) -> Payment:
    """After the person returns from the provider (or the sweeper finds an open payment).
    A second return changes nothing. Raises ProviderUnavailable when the provider does not answer."""
    with transaction.atomic():
        CertificateOrder.objects.select_for_update().filter(pk=payment.order_id).first()
        payment = Payment.objects.select_related("order").get(pk=payment.pk)
        if payment.status != Payment.Status.CREATED:
            return payment
        return _record_provider_state(payment)


def confirm_open_payments(*, older_than_minutes: int = 5) -> int:
    """Beat: people who paid but never came back still get their certificates."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    confirmed = 0
    for payment in Payment.objects.filter(status=Payment.Status.CREATED, created_at__lt=cutoff)[:200]:
        try:
            if confirm_payment(payment=payment).status != Payment.Status.CREATED:
                confirmed += 1
        except ProviderUnavailable:
            logger.warning("Payment %s: the provider did not answer; trying again later", payment.pk)
    return confirmed


# --- Issuing ---------------------------------------------------------------------------------------------


def _make_pdf(certificate: Certificate) -> None:
    entry = certificate.entry
    corrections = list(entry.corrections.order_by("corrected_at", "id"))
    issued_at = timezone.now()
    content = CertificateContent(
        serial=certificate.serial,
        kind=certificate.kind,
        bilingual=certificate.bilingual,
        entry_reference=entry.entry_reference,
        district_name=entry.district.name,
        district_welsh_name=entry.district.welsh_name,
        registered_on=timezone.localdate(entry.registered_at),
        particulars=current_particulars(entry),
        corrections=[
            CorrectionLine(c.field, c.old_value, c.new_value, timezone.localdate(c.corrected_at)) for c in corrections
        ],
        issued_at=issued_at,
    )
    signed = sign_pdf(
        render_certificate(content),
        reason=f"Certified copy, serial {certificate.serial}",
        location=str(settings.SERVICE_NAME),
    )
    certificate.issued_at = issued_at
    certificate.corrections_at_issue = len(corrections)
    certificate.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(signed), save=False)
    certificate.save(update_fields=["issued_at", "corrections_at_issue", "pdf_sha256", "pdf"])


def make_certificate(*, certificate_id: int) -> Certificate | None:
    """Render and sign one copy, once: the row lock and the stored digest make a retry a no-op."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update().select_related("entry__district").filter(pk=certificate_id).first()
        )
        if certificate is None or certificate.is_ready:
            return certificate
        _make_pdf(certificate)
    return certificate


def issue_order(*, order_id: int) -> CertificateOrder | None:
    """Every copy of a paid order: one serial per copy, never two (unique order + copy), then
    the order is issued and the person emailed a link."""
    with transaction.atomic():
        order = (
            CertificateOrder.objects.select_for_update().select_related("entry__district").filter(pk=order_id).first()
        )
        if order is None or order.status not in (CertificateOrder.Status.PAID, CertificateOrder.Status.ISSUED):
            return order
        for copy_number in range(1, order.copies + 1):
            certificate = Certificate.objects.filter(order=order, copy_number=copy_number).first()
            if certificate is None:
                certificate = Certificate.objects.create(
                    serial=new_serial(),
                    order=order,
                    copy_number=copy_number,
                    entry=order.entry,
                    kind=order.kind,
                    bilingual=order.entry.district.in_wales,
                )
            if not certificate.is_ready:
                _make_pdf(certificate)
        if order.status == CertificateOrder.Status.PAID:
            order.status = CertificateOrder.Status.ISSUED
            order.issued_at = timezone.now()
            order.save(update_fields=["status", "issued_at"])
            _send_issued_message(order)
    return order


def _send_issued_message(order: CertificateOrder) -> None:
    link = settings.SITE_URL + reverse("certificates:order", args=[order.reference])
    send_message(
        key=f"certificates:{order.reference}:issued",
        channel=CodeChannel.EMAIL,
        to=order.applicant_email,
        subject=f"Your certificate is ready: order {order.reference}",
        body=(
            f"Your {order.get_kind_display().lower()} (order {order.reference}) is ready.\n\n"
            f"Download it, signed, from {link}\n\n"
            "Anyone you give it to can check it using the serial number or the QR code on it."
        ),
    )


def paid_orders_waiting(*, older_than_seconds: int = 120) -> list[int]:
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        CertificateOrder.objects.filter(status=CertificateOrder.Status.PAID, paid_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:200]
    )


def certificates_waiting(*, older_than_seconds: int = 120) -> list[int]:
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Certificate.objects.filter(
            pdf_sha256="", issued_at__lt=cutoff, order__status=CertificateOrder.Status.ISSUED
        ).values_list("pk", flat=True)[:200]
    )


# --- Staff: revoke and reissue ---------------------------------------------------------------------------


def revoke_certificate(
    *, certificate: Certificate, actor: User, reason: str, client_address: str | None = None
) -> Certificate:
    if not reason.strip():
        raise OrderRefused("reason_needed")
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise OrderRefused("already_revoked")
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()
        certificate.revoked_by = actor
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
        record_audit(
            actor=actor,
            action="certificates.revoked",
            object_type="certificate",
            object_id=certificate.serial,
            subject=certificate.order.person,
            reason=reason.strip(),
            detail={"order": certificate.order.reference},
            client_address=client_address,
        )
    return certificate


def reissue_certificate(
    *, certificate: Certificate, actor: User, reason: str, client_address: str | None = None
) -> Certificate:
    """A new copy with a new serial (for example after a correction), free of charge; the old
    serial then verifies as superseded. The applicant is emailed when it is ready."""
    if not reason.strip():
        raise OrderRefused("reason_needed")
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=certificate.order_id)
        certificate = Certificate.objects.select_related("entry__district").get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise OrderRefused("already_revoked")
        if Certificate.objects.filter(reissue_of=certificate).exists():
            raise OrderRefused("already_reissued")
        last = order.certificates.aggregate(last=Max("copy_number"))["last"] or 0
        try:
            with transaction.atomic():
                replacement = Certificate.objects.create(
                    serial=new_serial(),
                    order=order,
                    copy_number=last + 1,
                    entry=certificate.entry,
                    kind=certificate.kind,
                    bilingual=certificate.entry.district.in_wales,
                    reissue_of=certificate,
                )
        except IntegrityError as error:
            raise OrderRefused("already_reissued") from error
        record_audit(
            actor=actor,
            action="certificates.reissued",
            object_type="certificate",
            object_id=certificate.serial,
            subject=order.person,
            reason=reason.strip(),
            detail={"order": order.reference, "new_serial": replacement.serial},
            client_address=client_address,
        )
        enqueue_on_commit("certificates.tasks.render_certificate_task", replacement.pk)
        link = settings.SITE_URL + reverse("certificates:order", args=[order.reference])
        send_message(
            key=f"certificates:{replacement.serial}:reissued",
            channel=CodeChannel.EMAIL,
            to=order.applicant_email,
            subject=f"Your certificate has been reissued: order {order.reference}",
            body=(
                f"A registrar has reissued certificate {certificate.serial} as {replacement.serial}.\n\n"
                f"The old one is no longer valid. Download the new one from {link}"
            ),
        )
    return replacement
