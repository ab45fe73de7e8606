"""The marriage schedule's daily work (beat): the superintendent registrar's authority issued for
every proposal whose waiting period is over, and reminders for schedules not returned within
SCHEDULE_RETURN_DAYS of the ceremony. Each task takes an id and re-checks; a second run the same
day does nothing more (the status moves once; a reminder's message key names the day)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from ..marriage import schedule_selectors, schedule_services
from ..marriage.refusals import MarriageRefused
from ..models import Proposal

RETRIES = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS,
    "max_retries": 5,
}


@shared_task(acks_late=True)
def issue_due_authorities() -> int:
    """Beat, daily: one task per proposal whose authority can be issued today."""
    due = schedule_services.due_authorities(today=timezone.localdate())
    for proposal_id in due:
        issue_authority.delay(proposal_id)
    return len(due)


@shared_task(**RETRIES)
def issue_authority(proposal_id: int) -> bool:
    proposal = Proposal.objects.filter(pk=proposal_id, status=Proposal.Status.WAITING).first()
    if proposal is None:
        return False
    try:
        schedule_services.issue_authority(proposal, actor=None, today=timezone.localdate())
    except MarriageRefused:
        return False  # no longer due (an objection since, or issued by a person first)
    return True


@shared_task(acks_late=True)
def chase_unreturned_schedules() -> int:
    """Beat, daily: one reminder task per schedule not returned in time."""
    ids = list(schedule_selectors.unreturned_schedules(today=timezone.localdate()).values_list("pk", flat=True))
    for schedule_id in ids:
        chase_schedule.delay(schedule_id)
    return len(ids)


@shared_task(**RETRIES)
def chase_schedule(schedule_id: int) -> bool:
    return schedule_services.chase_schedule(schedule_id=schedule_id, today=timezone.localdate())
