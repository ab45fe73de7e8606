"""Payment through the provider: started once per attempt, confirmed only by asking the provider,
and the sweep that confirms payments nobody came back from."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from core.queue import enqueue_on_commit, enqueue_or_leave_for_sweeper

from ..models import CertificateOrder, Payment
from ..payments import ProviderError, ProviderRejected, ProviderUnavailable, get_provider
from ..refusals import OrderRefused
from .ordering import _refuse_unless_open, missing_step, transition

logger = logging.getLogger(__name__)
# Errors an operator must act on (trying again will not fix them); route this logger to paging.
alerts = logging.getLogger("registrar.alerts")


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
