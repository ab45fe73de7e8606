"""Celery tasks of the registration domain, by topic: reminders before a registration's deadline,
and webhook deliveries with their sweeper. Autodiscovery imports this package, which imports
every task module."""

from .interview_referrals import poll_home_office_decisions, resend_pending_referrals, send_referral
from .reminders import due_reminders, remind_registration, send_registration_reminders
from .webhooks import deliver_webhook, redeliver_pending_webhooks

__all__ = [
    "deliver_webhook",
    "poll_home_office_decisions",
    "due_reminders",
    "redeliver_pending_webhooks",
    "remind_registration",
    "resend_pending_referrals",
    "send_referral",
    "send_registration_reminders",
]
