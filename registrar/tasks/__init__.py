"""Celery tasks of the registration domain, by topic: reminders before a registration's deadline,
webhook deliveries with their sweeper, and for marriages and civil partnerships the Home Office
referrals, the schedule's authority and chasing, and suspicion reports, each with its sweeper.
Autodiscovery imports this package, which imports every task module."""

from .citizenship import record_lapsed_invitations, report_attendance, resend_citizenship_reports
from .interview_referrals import poll_home_office_decisions, resend_pending_referrals, send_referral
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
    "record_lapsed_invitations",
    "report_attendance",
    "resend_citizenship_reports",
    "chase_schedule",
    "chase_unreturned_schedules",
    "issue_authority",
    "issue_due_authorities",
    "deliver_webhook",
    "poll_home_office_decisions",
    "due_reminders",
    "redeliver_pending_webhooks",
    "remind_registration",
    "resend_unsent_suspicion_reports",
    "resend_pending_referrals",
    "send_referral",
    "send_registration_reminders",
    "send_suspicion_report",
]
