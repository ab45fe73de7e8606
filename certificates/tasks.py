"""Celery tasks for certificates. Each takes an id, re-reads the row and is safe to run twice:
a copy that already has its signed PDF is not made again, and never gets a second serial."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.queue import enqueue_or_leave_for_sweeper

from . import services
from .models import Payment
from .payments import ProviderRejected, ProviderUnavailable


# No Celery retries: a failure is tried again by the sweeper, spaced by the row's count of
# tries (services.issue_retry_seconds), so the count is the one limit whatever the fault.
@shared_task(acks_late=True)
def issue_order_task(order_id: int) -> bool:
    order = services.issue_order(order_id=order_id)
    return order is not None and order.status == order.Status.ISSUED


@shared_task(acks_late=True)
def render_certificate_task(certificate_id: int) -> bool:
    certificate = services.make_certificate(certificate_id=certificate_id)
    return certificate is not None and certificate.is_ready


@shared_task(acks_late=True)
def issue_waiting_certificates() -> int:
    """Beat: paid orders and reissued copies whose task was lost (a broker outage, a worker
    killed) or failed are queued again, later after each failed try. A broker still down stops
    the sweep; the rows wait for the next."""
    age = settings.SIDE_EFFECT_SWEEP_AGE_SECONDS
    queued = 0
    for task, ids in (
        (issue_order_task, services.paid_orders_waiting(older_than_seconds=age)),
        (render_certificate_task, services.certificates_waiting(older_than_seconds=age)),
    ):
        for item_id in ids:
            if not enqueue_or_leave_for_sweeper(task, item_id):
                return queued
            queued += 1
    return queued


@shared_task(acks_late=True)
def confirm_open_payments() -> int:
    """Beat: ask the provider about payments nobody came back from."""
    return services.confirm_open_payments()


@shared_task(
    acks_late=True,
    autoretry_for=(ProviderUnavailable,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS,
    max_retries=settings.CERTIFICATE_PAYMENT_CHECK_RETRIES,
)
def confirm_payment_task(payment_id: int) -> bool:
    """Ask the provider again, with backoff, about a payment it did not answer for when the
    person came back; only a provider that is down or busy is asked again."""
    payment = Payment.objects.filter(pk=payment_id).first()
    if payment is None:
        return False
    try:
        return services.confirm_payment(payment=payment, check_later=False).status != Payment.Status.CREATED
    except ProviderRejected:
        return False
