"""Writes: orders (certificate, copies, the 50-year details, the applicant), payment through the
provider (started once, confirmed only by asking the provider), issuing each copy as a signed PDF
exactly once, and the registrars' revoke and reissue of their own offices' certificates. An
order's status changes only through `transition`. Side effects run after commit."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core.queue import enqueue_on_commit, enqueue_or_leave_for_sweeper
from core.references import ALPHABET, new_reference
from core.storage import atomic_with_files, save_file
from identity.audit import record_audit
from identity.models import CodeChannel, User
from identity.notifications import send_message, written_for
from registrar.models import RegisterEntry
from registrar.register import current_particulars
from registrar.stillbirth.selectors import may_have_copy

from . import selectors
from .documents import CertificateContent, CorrectionLine, render_certificate
from .models import KINDS_FOR_EVENT, Certificate, CertificateOrder, Payment
from .payments import ProviderError, ProviderRejected, ProviderUnavailable, get_provider
from .refusals import CertificateRefused, OrderRefused
from .signing import sign_pdf

logger = logging.getLogger(__name__)
# Errors an operator must act on (trying again will not fix them); route this logger to paging.
alerts = logging.getLogger("registrar.alerts")


def new_serial() -> str:
    """16 random characters (80 bits) from the reference alphabet: not guessable, and easy to
    read out, e.g. K7QH-3MZP-W2XA-9RTC."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(16))
    return "-".join(body[index : index + 4] for index in range(0, 16, 4))


# --- Orders -------------------------------------------------------------------------------------------


def transition(order: CertificateOrder, name: str, **fields) -> bool:
    """Apply one of `CertificateOrder.TRANSITIONS` as a compare-and-swap: the status changes
    (with `fields`) only if the order is still in one of the transition's starting states, so
    of two racing changes one wins. True if this one did."""
    sources, target = CertificateOrder.TRANSITIONS[name]
    if not CertificateOrder.objects.filter(pk=order.pk, status__in=sources).update(status=target, **fields):
        return False
    order.status = target
    for field, value in fields.items():
        setattr(order, field, value)
    return True


def _refuse_unless_open(order: CertificateOrder) -> None:
    if order.status == CertificateOrder.Status.LOCKED:
        raise OrderRefused("too_many_attempts")
    if not order.is_open:
        raise OrderRefused("already_paid")


def _change_open_order(order: CertificateOrder, **fields) -> CertificateOrder:
    """Write to the order only while the person may still change it (checked in the UPDATE)."""
    if not CertificateOrder.objects.filter(pk=order.pk, status__in=CertificateOrder.OPEN).update(**fields):
        order.refresh_from_db(fields=["status"])
        _refuse_unless_open(order)
    for field, value in fields.items():
        setattr(order, field, value)
    return order


def _check_kind(entry: RegisterEntry, kind: str, copies: int) -> None:
    if kind not in KINDS_FOR_EVENT.get(entry.event, []):
        raise OrderRefused("wrong_kind")
    if not 1 <= copies <= settings.CERTIFICATE_MAX_COPIES:
        raise OrderRefused("copies_out_of_range")


def start_order(*, person: User, entry: RegisterEntry, kind: str, copies: int) -> CertificateOrder:
    """A re-registered birth's copies are of its new entry; only registrar staff of the entry's
    district (who see both entries) may order the original itself. Copies of a still-birth entry
    go only to the parents and the register office (`may_have_copy`)."""
    if not (person.is_staff and selectors.works_in_district_of(person, entry)):
        entry = selectors.current_entry(entry)
    if not may_have_copy(person=person, entry=entry):
        raise OrderRefused("stillbirth_parents_only")
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
    _refuse_unless_open(order)
    _check_kind(order.entry, kind, copies)
    return _change_open_order(order, kind=kind, copies=copies, fee_pence_each=settings.CERTIFICATE_FEES_PENCE[kind])


def confirm_birth_details(
    *, order: CertificateOrder, date_of_birth: date, place_of_birth: str, mother_name: str, father_name: str
) -> CertificateOrder:
    """Births in the last 50 years. A limited number of tries, so the details cannot be
    guessed: the last wrong one locks the order. Details once matched stay matched, so a
    payment started with them is never left on a locked order."""
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        _refuse_unless_open(order)
        if order.details_confirmed_at is not None:
            return order
        matched = False
        if order.details_attempts < settings.CERTIFICATE_DETAIL_ATTEMPTS:
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
        locked = not matched and order.details_attempts >= settings.CERTIFICATE_DETAIL_ATTEMPTS
        if locked:
            transition(order, "lock")
    if locked:
        raise OrderRefused("too_many_attempts")
    if not matched:
        raise OrderRefused("details_do_not_match")
    return order


def save_applicant(*, order: CertificateOrder, name: str, email: str, address: str, postcode: str) -> CertificateOrder:
    _refuse_unless_open(order)
    return _change_open_order(
        order,
        applicant_name=name.strip(),
        applicant_email=email.strip(),
        applicant_address=address.strip(),
        applicant_postcode=postcode.strip(),
    )


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


def payment_language() -> str:
    """The language of the provider's payment pages: Welsh for a person using the service in
    Welsh as they pay (the language of the request), English otherwise."""
    return "cy" if (translation.get_language() or "").startswith("cy") else "en"


def start_payment(*, order: CertificateOrder, return_url: Callable[[str], str]) -> Payment:
    """The payment to send the person to. Pressing "Pay" twice gives the same payment while it
    is open; a finished one (declined, cancelled) is replaced by a new attempt. A provider that
    does not answer, or is too busy, is refused as `payment_unavailable` (try again later: the
    same attempt then reuses its idempotency key, so it still makes one payment); one that
    refuses what was sent is `payment_failed` (or `payment_check_failed` for an open payment it
    will not tell us about), and the operators are alerted. Nothing was charged."""
    if missing_step(order):
        raise OrderRefused("order_incomplete")
    try:
        with transaction.atomic():
            order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
            _refuse_unless_open(order)
            open_payment = order.payments.filter(status=Payment.Status.CREATED).first()
            if open_payment is not None:
                try:
                    open_payment = _record_provider_state(open_payment)
                except ProviderRejected as error:
                    _alert("reading a payment's status", error, payment=open_payment.pk, order=order.pk)
                    raise OrderRefused("payment_check_failed", reference=order.reference) from error
                if open_payment.status == Payment.Status.CREATED:
                    return open_payment
            if open_payment is None or open_payment.status != Payment.Status.SUCCESS:
                return _new_payment(order, return_url)
    except ProviderUnavailable as error:
        logger.warning("Order %s: the payment provider is unavailable (%s)", order.pk, error)
        raise OrderRefused("payment_unavailable") from error
    # The open payment had gone through: that is now recorded (and committed) and the
    # certificates are being made.
    raise OrderRefused("already_paid")


def _payment_attempt_key(order: CertificateOrder, description: str, language: str) -> str:
    """GOV.UK Pay's Idempotency-Key for this attempt to pay for the order as it stands. The
    attempt is counted from the order's stored payments (the order is locked), so it is the
    same on every try until a payment is recorded: a create tried again after a timeout, or
    after the person pressed "Pay" again, gets the payment the first try made. A new attempt
    (after a declined or cancelled payment) or a changed order (copies, language) gets a new
    key: the same key with a different request would not be a retry of the first."""
    attempt = order.payments.count() + 1
    fingerprint = hashlib.sha256(f"{order.amount_pence}|{description}|{language}".encode()).hexdigest()[:12]
    return f"{order.reference}-{attempt}-{fingerprint}"


def _new_payment(order: CertificateOrder, return_url: Callable[[str], str]) -> Payment:
    language = payment_language()
    description = f"{order.get_kind_display()} x{order.copies}"
    key = _payment_attempt_key(order, description, language)
    # Derived from the key (and the server's secret), so every try of one attempt sends the
    # same return URL: a replayed create is the same request, and the payment it returns
    # comes back to a token this row holds.
    token = salted_hmac("certificates.payment-return", key, algorithm="sha256").hexdigest()
    provider = get_provider()
    try:
        remote = provider.create_payment(
            amount_pence=order.amount_pence,
            reference=order.reference,
            description=description,
            return_url=return_url(token),
            language=language,
            idempotency_key=key,
        )
    except ProviderRejected as error:
        _alert("creating a payment", error, order=order.pk, idempotency_key=key)
        raise OrderRefused("payment_failed", reference=order.reference) from error
    return Payment.objects.create(
        order=order,
        provider=provider.name,
        provider_payment_id=remote.payment_id,
        amount_pence=order.amount_pence,
        return_token=token,
        next_url=remote.next_url,
        provider_status=remote.status,
    )


def _alert(action: str, error: ProviderError, **ids: object) -> None:
    """Tell the operators about a provider error that trying again will not fix (a wrong API
    key, a request it refuses): ids and the provider's error code only, no personal data."""
    alerts.error(
        "Payment provider refused %s: HTTP %s, code %s, field %s; %s",
        action,
        error.status or "-",
        error.code or "-",
        error.field or "-",
        ", ".join(f"{name} {value}" for name, value in ids.items()),
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
            # Money was taken that does not match the order: someone must reconcile or refund it.
            alerts.error(
                "Payment %s: the provider took %s, not %s", payment.pk, remote.amount_pence, payment.amount_pence
            )
            payment.status = Payment.Status.ERROR
        payment.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    payment.save(update_fields=fields)
    if payment.status == Payment.Status.SUCCESS:
        if transition(payment.order, "pay", paid_at=timezone.now()):
            enqueue_on_commit("certificates.tasks.issue_order_task", payment.order_id)
        else:
            alerts.error("Payment %s succeeded, but order %s is %s", payment.pk, payment.order_id, payment.order.status)
    return payment


def confirm_payment(*, payment: Payment, check_later: bool = True) -> Payment:
    """After the person returns from the provider (or the sweeper finds an open payment).
    A second return changes nothing. Raises ProviderUnavailable when the provider does not
    answer (with `check_later`, a task then asks again with backoff, so the payment is
    confirmed soon after the provider is back), ProviderRejected when it refuses to say
    (the operators are alerted; the payment stays open)."""
    try:
        with transaction.atomic():
            CertificateOrder.objects.select_for_update().filter(pk=payment.order_id).first()
            payment = Payment.objects.select_related("order").get(pk=payment.pk)
            if payment.status != Payment.Status.CREATED:
                return payment
            return _record_provider_state(payment)
    except ProviderUnavailable:
        # One task per payment at a time, however often the person presses "Check again".
        if check_later and cache.add(f"certificates:payment-check:{payment.pk}", 1, timeout=300):
            enqueue_or_leave_for_sweeper("certificates.tasks.confirm_payment_task", payment.pk)
        raise
    except ProviderRejected as error:
        _alert("reading a payment's status", error, payment=payment.pk, order=payment.order_id)
        raise


def confirm_open_payments(*, older_than_minutes: int = 5) -> int:
    """Beat: people who paid but never came back still get their certificates. The sweep stops
    at the first payment the provider does not answer for: the rest wait for the next run
    rather than each waiting out the timeout against a provider that is down."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    confirmed = 0
    for payment in Payment.objects.filter(status=Payment.Status.CREATED, created_at__lt=cutoff)[:200]:
        try:
            if confirm_payment(payment=payment, check_later=False).status != Payment.Status.CREATED:
                confirmed += 1
        except ProviderUnavailable:
            logger.warning("Payment %s: the provider did not answer; the sweep stops until its next run", payment.pk)
            break
        except ProviderRejected:
            continue
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
        entry_number=entry.number,
        sub_district=entry.district.town,
        administrative_area=entry.district.region,
        registrar_name=entry.registered_by.full_name if entry.registered_by else "",
    )
    signed = sign_pdf(
        render_certificate(content),
        reason=f"Certified copy, serial {certificate.serial}",
        location=str(settings.SERVICE_NAME),
    )
    certificate.issued_at = issued_at
    certificate.corrections_at_issue = len(corrections)
    certificate.pdf_sha256 = hashlib.sha256(signed).hexdigest()
    # Removed again if the transaction rolls back; a process killed before the commit leaves it
    # to the orphan sweep (core.storage): a PDF in storage always has its certificate row.
    save_file(certificate.pdf, f"{certificate.serial}.pdf", ContentFile(signed))
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
        order = (
            CertificateOrder.objects.select_for_update().select_related("entry__district").filter(pk=order_id).first()
        )
        if order is None or order.status != CertificateOrder.Status.PAID:
            return
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


@written_for
def certificate_reissued_message(
    recipient: User, order: CertificateOrder, old: Certificate, new: Certificate
) -> tuple[str, str]:
    link = settings.SITE_URL + reverse("certificates:order", args=[order.reference])
    values = {"reference": order.reference, "old": old.serial, "new": new.serial, "link": link}
    return _("Your certificate has been reissued: order %(reference)s") % values, _(
        "A registrar has reissued certificate %(old)s as %(new)s.\n\n"
        "The old one is no longer valid. Download the new one from %(link)s"
    ) % values


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


def orders_needing_attention(orders):
    """Of `orders` (a staff member's), those whose issuing or a copy's rendering has stopped."""
    return (
        orders.filter(
            Q(status=CertificateOrder.Status.ISSUE_FAILED)
            | Q(status=CertificateOrder.Status.ISSUED, certificates__render_failed_at__isnull=False)
        )
        .distinct()
        .order_by("paid_at")
    )


def retry_issuing(*, order: CertificateOrder, actor: User, client_address: str | None = None) -> CertificateOrder:
    """Staff, once the fault is fixed: the order (or its set-aside copies) gets a fresh count of
    tries and is queued again. Audited; the same permission and office rule as reissuing."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(STAFF_ACTIONS["reissue"])):
        raise CertificateRefused("not_allowed")
    if not selectors.works_in_district_of(actor, order.entry):
        raise CertificateRefused("other_office")
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=order.pk)
        stuck = list(
            order.certificates.select_for_update().filter(render_failed_at__isnull=False).values_list("pk", flat=True)
        )
        if transition(order, "retry_issuing", issue_attempts=0, last_issue_attempt_at=None):
            enqueue_on_commit("certificates.tasks.issue_order_task", order.pk)
        elif stuck:
            Certificate.objects.filter(pk__in=stuck).update(
                render_failed_at=None, render_attempts=0, last_render_attempt_at=None
            )
            for certificate_id in stuck:
                enqueue_on_commit("certificates.tasks.render_certificate_task", certificate_id)
        else:
            raise CertificateRefused("nothing_to_retry")
        record_audit(
            actor=actor,
            action="certificates.issue_retried",
            object_type="certificate_order",
            object_id=order.reference,
            subject=order.person,
            detail={"copies": len(stuck)} if stuck else {},
            client_address=client_address,
        )
    return order


# --- Staff: revoke and reissue ---------------------------------------------------------------------------

STAFF_ACTIONS = {
    "revoke": "certificates.revoke_certificate",
    "reissue": "certificates.reissue_certificate",
}


def _staff_refusal(actor: User, certificate: Certificate, action: str) -> str | None:
    """Why `actor` may not `action` this certificate now, or None if they may."""
    if not (actor.is_active and actor.is_staff and actor.has_perm(STAFF_ACTIONS[action])):
        return "not_allowed"
    if not selectors.works_in_district_of(actor, certificate.entry):
        return "other_office"
    if certificate.revoked_at is not None:
        return "already_revoked"
    if action == "reissue" and Certificate.objects.filter(reissue_of=certificate).exists():
        return "already_reissued"
    return None


def staff_actions(*, actor: User, certificate: Certificate) -> set[str]:
    """What the staff member may do with the certificate now: the same checks the services make."""
    return {action for action in STAFF_ACTIONS if _staff_refusal(actor, certificate, action) is None}


def _refuse_staff(actor: User, certificate: Certificate, action: str, reason: str) -> None:
    refusal = _staff_refusal(actor, certificate, action)
    if refusal in ("not_allowed", "other_office"):
        raise CertificateRefused(refusal)
    if not reason.strip():
        raise CertificateRefused("reason_needed")
    if refusal is not None:
        raise CertificateRefused(refusal)


def revoke_certificate(
    *, certificate: Certificate, actor: User, reason: str, client_address: str | None = None
) -> Certificate:
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        _refuse_staff(actor, certificate, "revoke", reason)
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
    with transaction.atomic():
        order = CertificateOrder.objects.select_for_update().get(pk=certificate.order_id)
        certificate = Certificate.objects.select_related("entry__district").get(pk=certificate.pk)
        _refuse_staff(actor, certificate, "reissue", reason)
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
            raise CertificateRefused("already_reissued") from error
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
        subject, body = certificate_reissued_message(order.person, order, certificate, replacement)
        send_message(
            key=f"certificates:{replacement.serial}:reissued",
            channel=CodeChannel.EMAIL,
            to=order.applicant_email,
            subject=subject,
            body=body,
        )
    return replacement
