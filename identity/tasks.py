"""Celery tasks for accounts and notifications. Tasks take ids and call services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.queue import enqueue_or_leave_for_sweeper

from . import audit, cases, knowledge, notifications
from .models import CodeFailure, OneTimeCode, OutboundMessage


def retry_in(attempts: int) -> int:
    """Seconds before a message's next attempt after `attempts` failed ones: 10 s, 20 s, 40 s…
    capped below the broker's visibility timeout. The sweeper uses the same figures to tell a
    message waiting for its retry from one whose retry was lost."""
    return min(settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS, 5 * 2**attempts)


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_message(self, message_id: int) -> str:
    # The attempts are counted on the row (notifications.MESSAGE_MAX_ATTEMPTS), so a sweeper's
    # re-enqueue and a retry share one count.
    try:
        message = notifications.deliver(message_id=message_id)
    except notifications.DeliveryError as failure:
        attempts = OutboundMessage.objects.filter(pk=message_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=retry_in(attempts)) from failure
    return message.status if message else "missing"


@shared_task(acks_late=True)
def redeliver_pending_messages() -> int:
    """Beat: messages whose enqueue or retry was lost (broker outage, worker crash) are sent
    again. A broker still down stops the sweep; the rows wait for the next one."""
    sent = 0
    for message_id in notifications.pending_message_ids(retry_in=retry_in):
        if not enqueue_or_leave_for_sweeper(deliver_message, message_id):
            break
        sent += 1
    return sent


@shared_task(acks_late=True)
def purge_expired_codes() -> int:
    """Old codes and failure records are kept only as long as the throttles look back."""
    cutoff = timezone.now() - timedelta(days=2)
    deleted_codes, _ = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()
    deleted_failures, _ = CodeFailure.objects.filter(at__lt=cutoff).delete()
    return deleted_codes + deleted_failures


@shared_task(acks_late=True)
def delete_expired_evidence() -> int:
    """Beat: evidence photos go EVIDENCE_RETENTION_DAYS after the decision (IDENTITY-RULES.md)."""
    return cases.delete_expired_evidence()


@shared_task(acks_late=True)
def forget_expired_knowledge_questions() -> int:
    """Beat: security questions nobody answered in time are facts about a person; forget them."""
    return knowledge.forget_expired_questions()


@shared_task(acks_late=True)
def checkpoint_audit_log() -> int | None:
    """Sign and export the audit log's head; a second run with no new entry writes nothing."""
    result = audit.write_checkpoint()
    return result.checkpoint.sequence if result.checkpoint else None
