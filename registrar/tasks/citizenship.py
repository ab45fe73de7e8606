"""Citizenship tasks: tell the Home Office one attendance (or non-attendance), retrying with
backoff; the sweeper that sends reports whose task was lost; and the daily record of invitations
whose last day passed with no ceremony booked."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.queue import enqueue_or_leave_for_sweeper

from ..citizenship import services


@shared_task(bind=True, acks_late=True, max_retries=None)
def report_attendance(self, attendance_id: int) -> str:
    # Attempts are counted on the attendance (CITIZENSHIP_REPORT_MAX_ATTEMPTS), so a sweeper's
    # re-enqueue and a retry share one count.
    try:
        attendance = services.report(attendance_id=attendance_id)
    except services.ReportFailed as failure:
        if failure.retry_in > settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS:
            return "waiting"
        raise self.retry(countdown=failure.retry_in) from failure
    return attendance.status if attendance else "nothing to send"


@shared_task(acks_late=True)
def resend_citizenship_reports() -> int:
    sent = 0
    for attendance_id in services.due_report_ids():
        if not enqueue_or_leave_for_sweeper(report_attendance, attendance_id):
            break
        sent += 1
    return sent


@shared_task(acks_late=True)
def record_lapsed_invitations() -> int:
    return services.record_lapsed()
