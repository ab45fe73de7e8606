"""Celery tasks for accounts and notifications. Tasks take ids and call services."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import audit, cases, knowledge, notifications
from .models import CodeFailure, OneTimeCode


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(notifications.DeliveryError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def deliver_message(self, message_id: int) -> str:
    message = notifications.deliver(message_id=message_id)
    return message.status if message else "missing"


@shared_task(acks_late=True)
def redeliver_pending_messages() -> int:
    """Messages whose enqueue was lost (broker outage, worker crash) are sent again."""
    ids = notifications.pending_message_ids()
    for message_id in ids:
        deliver_message.delay(message_id)
    return len(ids)


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
