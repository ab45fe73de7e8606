"""Celery tasks of the registration domain, by topic: reminders before a registration's deadline,
and webhook deliveries with their sweeper. Autodiscovery imports this package, which imports
every task module."""

from .reminders import due_reminders, remind_registration, send_registration_reminders
from .webhooks import deliver_webhook, redeliver_pending_webhooks

__all__ = [
    "deliver_webhook",
    "due_reminders",
    "redeliver_pending_webhooks",
    "remind_registration",
    "send_registration_reminders",
]
