"""Celery tasks of the registration domain, by topic: reminders before a registration's deadline,
webhook deliveries with their sweeper, the marriage schedule's authority and chasing, and
suspicion reports to the Home Office with their sweeper. Autodiscovery imports this package,
which imports every task module."""

from .marriage_reports import resend_unsent_suspicion_reports, send_suspicion_report
from .marriage_schedules import (
    chase_schedule,
    chase_unreturned_schedules,
    issue_authority,
    issue_due_authorities,
)
from .reminders import due_reminders, remind_registration, send_registration_reminders
from .webhooks import deliver_webhook, redeliver_pending_webhooks

__all__ = [
    "chase_schedule",
    "chase_unreturned_schedules",
    "issue_authority",
    "issue_due_authorities",
    "deliver_webhook",
    "due_reminders",
    "redeliver_pending_webhooks",
    "remind_registration",
    "resend_unsent_suspicion_reports",
    "send_registration_reminders",
    "send_suspicion_report",
]
