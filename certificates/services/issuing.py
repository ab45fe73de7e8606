"""Issuing each copy as a signed PDF exactly once: serials, the counted tries and when to try
again, the email that says the certificate is ready, and the rows the sweeper queues again."""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.references import ALPHABET
from core.storage import atomic_with_files, save_file
from identity.models import CodeChannel, User
from identity.notifications import send_message, written_for
from registrar.register import current_particulars

from ..models import Certificate, CertificateOrder
from .ordering import transition

# Errors an operator must act on (trying again will not fix them); route this logger to paging.
alerts = logging.getLogger("registrar.alerts")


def new_serial() -> str:
    """16 random characters (80 bits) from the reference alphabet: not guessable, and easy to
    read out, e.g. K7QH-3MZP-W2XA-9RTC."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(body[index : index + 4] for index in range(0, 16, 4))


def keep_signed(row, pdf: bytes, *, serial: str, reason: str) -> bytes:
    """Sign `pdf` and keep it with `row` (any kept document: a certified copy, an interim
    certificate, a registration document): its file named by the serial and the digest the
    verification pages check it against. The caller saves the row, in the transaction
    `atomic_with_files()` opened: the file is removed again if it rolls back, and a process
    killed before the commit leaves it to the orphan sweep (core.storage), so a PDF in storage
    always has its row."""
    from ..signing import sign_pdf  # pyHanko: loaded by the processes that sign, not every web process

    signed = sign_pdf(pdf, reason=reason, location=str(settings.SERVICE_NAME))
    row.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    save_file(row.pdf, f"{serial}.pdf", ContentFile(signed))
    return signed


def _make_pdf(certificate: Certificate) -> None:
    # reportlab and pyHanko (~20 MB): loaded by the workers that issue, not by every web process.
    from ..documents import CertificateContent, CorrectionLine, render_certificate

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
        particulars=current_particulars(entry, corrections),
        corrections=[
            CorrectionLine(c.field, c.old_value, c.new_value, timezone.localdate(c.corrected_at)) for c in corrections
        ],
        issued_at=issued_at,
        entry_number=entry.number,
        sub_district=entry.district.town,
        administrative_area=entry.district.region,
        registrar_name=entry.registered_by.full_name if entry.registered_by else "",
    )
    keep_signed(
        certificate,
        render_certificate(content),
        serial=certificate.serial,
        reason=f"Certified copy, serial {certificate.serial}",
    )
    certificate.issued_at = issued_at
    certificate.corrections_at_issue = len(corrections)
    certificate.save(update_fields=["issued_at", "corrections_at_issue", "pdf_sha256", "pdf"])


def issue_retry_seconds(attempts: int) -> int:
    """How long the sweeper waits after a failed try before queueing the next: 15 s, 30 s, 1 min,
    2 min, then the countdown cap (4 min), so CERTIFICATE_ISSUE_MAX_ATTEMPTS tries span about 20
    minutes, long enough for a passing fault (a storage or database blip) to clear."""
    return min(settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS, 15 * 2 ** max(attempts - 1, 0))


def _give_up(kind: str, item_id: int, attempts: int, error: BaseException | None) -> None:
    """Tell the operators once (the caller won the status change): ids and the error's class only."""
    alerts.error(
        "Certificate %s %s stopped after %s attempts (%s): staff must retry it once the fault is fixed",
        kind,
        item_id,
        attempts,
        type(error).__name__ if error is not None else "the attempt did not finish",
    )


def _claim_order_attempt(order_id: int) -> CertificateOrder | None:
    """Count one try at issuing, in its own committed transaction before the work starts, so a
    try that dies (killed, out of memory) counts too. None when there is nothing to do: the
    order is not paid-and-waiting, or its tries ran out (it is then set aside and alerted)."""
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().filter(pk=order_id).first()
        if order is None or order.status != CertificateOrder.Status.PAID:
            return None
        if order.issue_attempts >= settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS:
            if transition(order, "give_up_issuing"):
                _give_up("order", order.pk, order.issue_attempts, None)
            return None
        order.issue_attempts += 1
        order.last_issue_attempt_at = timezone.now()
        order.save(update_fields=["issue_attempts", "last_issue_attempt_at"])
    return order


def _claim_render_attempt(certificate_id: int) -> Certificate | None:
    """The same as `_claim_order_attempt`, for one reissued copy waiting for its PDF."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or certificate.is_ready or certificate.render_failed_at is not None:
            return None
        if certificate.render_attempts >= settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS:
            certificate.render_failed_at = timezone.now()
            certificate.save(update_fields=["render_failed_at"])
            _give_up("copy", certificate.pk, certificate.render_attempts, None)
            return None
        certificate.render_attempts += 1
        certificate.last_render_attempt_at = timezone.now()
        certificate.save(update_fields=["render_attempts", "last_render_attempt_at"])
    return certificate


def make_certificate(*, certificate_id: int) -> Certificate | None:
    """Render and sign one copy, once: the row lock and the stored digest make a retry a no-op.
    A failure is raised for the sweeper to try again later, except the last allowed try's: the
    copy is then set aside for staff and the operators alerted."""
    claimed = _claim_render_attempt(certificate_id)
    if claimed is not None:
        try:
            with atomic_with_files():
                certificate = (
                    Certificate.objects.select_for_update()
                    .select_related("entry__district")
                    .filter(pk=certificate_id)
                    .first()
                )
                if certificate is not None and not certificate.is_ready:
                    _make_pdf(certificate)
        except Exception as error:
            if claimed.render_attempts < settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS:
                raise
            updated = Certificate.objects.filter(pk=certificate_id, render_failed_at__isnull=True).update(
                render_failed_at=timezone.now()
            )
            if updated:
                _give_up("copy", certificate_id, claimed.render_attempts, error)
    return Certificate.objects.filter(pk=certificate_id).first()


def issue_order(*, order_id: int) -> CertificateOrder | None:
    """Every copy of a paid order: one serial per copy, never two (unique order + copy), then
    the order is issued and the person emailed a link. Each try is counted first; a failure is
    raised for the sweeper to try again later, except the last allowed try's: the order then
    needs staff (`issue_failed`) and the operators are alerted."""
    claimed = _claim_order_attempt(order_id)
    if claimed is not None:
        try:
            _issue_copies(order_id)
        except Exception as error:
            if claimed.issue_attempts < settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS:
                raise
            if transition(claimed, "give_up_issuing"):
                _give_up("order", order_id, claimed.issue_attempts, error)
    return CertificateOrder.objects.filter(pk=order_id).first()


def _issue_copies(order_id: int) -> None:
    with atomic_with_files():
        # Only the order's row is locked; the entry, its registrar and the person are read with it.
        order = (
            CertificateOrder.objects.select_for_update(of=("self",))
            .select_related("entry__district", "entry__registered_by", "person")
            .filter(pk=order_id)
            .first()
        )
        if order is None or order.status != CertificateOrder.Status.PAID:
            return
        made = {certificate.copy_number: certificate for certificate in Certificate.objects.filter(order=order)}
        for copy_number in range(1, order.copies + 1):
            certificate = made.get(copy_number)
            if certificate is not None:
                certificate.entry = order.entry
            else:
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
        if transition(order, "issue", issued_at=timezone.now()):
            _send_issued_message(order)


@written_for
def certificate_ready_message(recipient: User, order: CertificateOrder) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("certificates:order", args=[order.reference])
    values = {"kind": order.get_kind_display(), "reference": order.reference, "link": link}
    return _("Your certificate is ready: order %(reference)s") % values, _(
        "Your certificate is ready: %(kind)s, order %(reference)s.\n\n"
        "Download it, signed, from %(link)s\n\n"
        "Anyone you give it to can check it using the serial number or the QR code on it."
    ) % values


def _send_issued_message(order: CertificateOrder) -> None:
    subject, body = certificate_ready_message(order.person, order)
    send_message(
        key=f"certificates:{order.reference}:issued",
        channel=CodeChannel.EMAIL,
        to=order.applicant_email,
        subject=subject,
        body=body,
    )


def _due_after_attempts(prefix: str, *, older_than_seconds: int, created_field: str) -> Q:
    """Rows never tried and older than the sweep age, or tried and older than the sweep age plus
    `issue_retry_seconds` of their tries: a failing row is queued less and less often."""
    now = timezone.now()
    age = timezone.timedelta(seconds=older_than_seconds)
    due = Q(**{f"{prefix}_attempts": 0, f"{created_field}__lt": now - age})
    for attempts in range(1, settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS + 1):
        wait = age + timezone.timedelta(seconds=issue_retry_seconds(attempts))
        due |= Q(**{f"{prefix}_attempts": attempts, f"last_{prefix}_attempt_at__lt": now - wait})
    return due


def paid_orders_waiting(*, older_than_seconds: int) -> list[int]:
    due = _due_after_attempts("issue", older_than_seconds=older_than_seconds, created_field="paid_at")
    return list(
        CertificateOrder.objects.filter(due, status=CertificateOrder.Status.PAID)
        .order_by("paid_at")
        .values_list("pk", flat=True)[:200]
    )


def certificates_waiting(*, older_than_seconds: int) -> list[int]:
    due = _due_after_attempts("render", older_than_seconds=older_than_seconds, created_field="issued_at")
    return list(
        Certificate.objects.filter(
            due, pdf_sha256="", render_failed_at__isnull=True, order__status=CertificateOrder.Status.ISSUED
        )
        .order_by("issued_at")
        .values_list("pk", flat=True)[:200]
    )
