"""Signed webhooks: `sign()` and `verify_signature()` (HMAC-SHA256 over `<timestamp>.<body>`,
sent as `Registrar-Signature: t=<unix seconds>,v1=<hex>`), and `deliver()`, which sends one
delivery once and records what happened. Receivers verify with the same rule and reject old
timestamps, so a captured request cannot be replayed later."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import WebhookDelivery

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Registrar-Signature"
EVENT_ID_HEADER = "Registrar-Event-Id"
EVENT_KIND_HEADER = "Registrar-Event-Kind"
ATTEMPT_HEADER = "Registrar-Delivery-Attempt"


class WebhookFailed(Exception):
    """The receiver did not take the event; the task tries again after `retry_in` seconds."""

    def __init__(self, message: str, *, retry_in: int) -> None:
        super().__init__(message)
        self.retry_in = retry_in


def _digest(secret: str, body: bytes, timestamp: int) -> str:
    return hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def sign(*, secret: str, body: bytes, timestamp: int) -> str:
    return f"t={timestamp},v1={_digest(secret, body, timestamp)}"


def verify_signature(
    *, secret: str, header: str, body: bytes, now: float | None = None, tolerance: int | None = None
) -> bool:
    """What a receiver does: the header parses, the timestamp is recent (either way), and one
    of the v1 signatures matches, compared in constant time."""
    tolerance = settings.WEBHOOK_SIGNATURE_TOLERANCE_SECONDS if tolerance is None else tolerance
    timestamp: int | None = None
    signatures: list[str] = []
    for part in (header or "").split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = _digest(secret, body, timestamp)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)


def backoff_seconds(attempts: int) -> int:
    """30 s, 1 min, 2 min, 4 min… capped; the same for the task's countdown and the sweeper."""
    return min(settings.WEBHOOK_BACKOFF_MAX_SECONDS, 15 * 2**attempts)


def _claim_attempt(delivery_id: int) -> WebhookDelivery | None:
    """Count one attempt, committed before the request is sent, so an attempt whose worker is
    killed mid-send counts too (the broker hands such a message back with no count of its own);
    the tries run out at WEBHOOK_MAX_ATTEMPTS whatever stopped them. None if there is nothing
    to send now: delivered or failed, or a duplicate of a message whose retry is booked."""
    with transaction.atomic():
        rows = WebhookDelivery.objects.select_for_update().select_related("subscription")
        delivery = rows.filter(pk=delivery_id).first()
        if delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return None
        now = timezone.now()
        if delivery.next_attempt_at > now + timedelta(seconds=1):
            # A duplicate of a message that already made its attempt: the retry is booked.
            return None
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = delivery.last_error or "The last attempt did not finish."
            delivery.save(update_fields=["status", "last_error"])
            logger.warning("Webhook delivery %s failed after %s attempts", delivery.pk, delivery.attempts)
            return None
        delivery.attempts += 1
        delivery.last_attempt_at = now
        fields = ["attempts", "last_attempt_at"]
        if not delivery.subscription.active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.last_error = "The subscription was switched off before delivery."
            fields += ["status", "last_error"]
        delivery.save(update_fields=fields)
    return delivery


def deliver(*, delivery_id: int) -> WebhookDelivery | None:
    """Send one pending delivery. Safe to run twice: the row lock, the status and the claimed
    attempt make a second run a no-op. A failure is recorded; it is raised for a retry until
    the attempts run out, then the delivery is marked failed."""
    failure: WebhookFailed | None = None
    claimed = _claim_attempt(delivery_id)
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("event", "subscription")
            .filter(pk=delivery_id)
            .first()
        )
        if claimed is None or delivery is None or delivery.status != WebhookDelivery.Status.PENDING:
            return delivery
        if delivery.attempts != claimed.attempts:
            # Another run claimed a later attempt after this one's claim: that run sends it.
            return delivery
        now = delivery.last_attempt_at
        subscription = delivery.subscription
        body = delivery.event.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "RegistrarOnline-Webhooks/1",
            EVENT_ID_HEADER: str(delivery.event.event_id),
            EVENT_KIND_HEADER: delivery.event.kind,
            ATTEMPT_HEADER: str(delivery.attempts),
            SIGNATURE_HEADER: sign(secret=subscription.secret, body=body, timestamp=int(time.time())),
        }
        error = ""
        try:
            response = requests.post(
                subscription.url,
                data=body,
                headers=headers,
                timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            delivery.last_status_code = None
            error = f"No answer within {settings.WEBHOOK_TIMEOUT_SECONDS:g} seconds."
        except requests.RequestException as exc:
            delivery.last_status_code = None
            error = f"Could not connect: {exc.__class__.__name__}."
        else:
            delivery.last_status_code = response.status_code
            if not 200 <= response.status_code < 300:
                error = f"The receiver answered {response.status_code}."
        if error:
            delivery.last_error = error[:500]
            if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
                delivery.status = WebhookDelivery.Status.FAILED
                logger.warning("Webhook delivery %s failed after %s attempts", delivery.pk, delivery.attempts)
            else:
                retry_in = backoff_seconds(delivery.attempts)
                delivery.next_attempt_at = now + timedelta(seconds=retry_in)
                failure = WebhookFailed(error, retry_in=retry_in)
        else:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        delivery.save(
            update_fields=[
                "last_status_code",
                "last_error",
                "status",
                "next_attempt_at",
                "delivered_at",
            ]
        )
    if failure is not None:
        raise failure
    return delivery


def due_delivery_ids(*, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is overdue by more than the grace period: their
    task message was lost (broker outage, worker crash)."""
    cutoff = timezone.now() - timedelta(seconds=settings.WEBHOOK_SWEEP_GRACE_SECONDS)
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lt=cutoff)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
