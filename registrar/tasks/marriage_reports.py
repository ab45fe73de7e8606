"""Reports of a suspected sham or forced marriage, sent to the Home Office: one task per report,
retried with backoff while the Home Office is away, and the sweeper that sends again the reports
whose message or retry was lost. The attempts are counted on the report, so a retry and a
sweep share one count and the report is sent once."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.queue import enqueue_or_leave_for_sweeper

from ..marriage import objection_services


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_suspicion_report(self, report_id: int) -> str:
    sending = objection_services.send_suspicion_report(report_id=report_id)
    if sending.retry_in is not None:
        if sending.retry_in > settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS:
            # A countdown past the visibility timeout would be handed out twice: the sweeper
            # sends it when its next attempt is due.
            return "waiting"
        raise self.retry(countdown=sending.retry_in)
    return sending.status


@shared_task(acks_late=True)
def resend_unsent_suspicion_reports() -> int:
    """Beat: reports not yet sent whose next attempt is due."""
    sent = 0
    for report_id in objection_services.due_suspicion_report_ids():
        if not enqueue_or_leave_for_sweeper(send_suspicion_report, report_id):
            break
        sent += 1
    return sent
