"""Webhook tasks: deliver one event to one subscription, retrying with backoff,
and the sweeper that re-enqueues deliveries whose message was lost."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.queue import enqueue_or_leave_for_sweeper

from .. import webhooks


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    # The number of attempts is kept on the delivery row (WEBHOOK_MAX_ATTEMPTS), not here, so a
    # sweeper's re-enqueue and a retry share one count.
    try:
        delivery = webhooks.deliver(delivery_id=delivery_id)
    except webhooks.WebhookFailed as failure:
        if failure.retry_in > settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS:
            # A countdown past the visibility timeout would be handed out twice: the row keeps
            # its next attempt and the sweeper sends it when due.
            return "waiting"
        raise self.retry(countdown=failure.retry_in) from failure
    return delivery.status if delivery else "missing"


@shared_task(acks_late=True)
def redeliver_pending_webhooks() -> int:
    """Beat: deliveries whose enqueue or retry was lost are sent again."""
    sent = 0
    for delivery_id in webhooks.due_delivery_ids():
        if not enqueue_or_leave_for_sweeper(deliver_webhook, delivery_id):
            break
        sent += 1
    return sent
