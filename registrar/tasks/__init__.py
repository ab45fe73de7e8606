"""Celery tasks of the registration domain, by topic: reminders before a registration's deadline,
webhook deliveries with their sweeper, and suspicion reports to the Home Office with theirs.
Autodiscovery imports this package, which imports every task module."""

from .marriage_reports import resend_unsent_suspicion_reports, send_suspicion_report
from .reminders import due_reminders, remind_registration, send_registration_reminders
from .webhooks import deliver_webhook, redeliver_pending_webhooks

__all__ = [
    "deliver_webhook",
    "due_reminders",
    "redeliver_pending_webhooks",
    "remind_registration",
    "resend_unsent_suspicion_reports",
    "send_registration_reminders",
    "send_suspicion_report",
]
