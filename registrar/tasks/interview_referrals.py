"""Home Office referral tasks: send one proposal's referral, retrying with backoff; the sweeper
that sends referrals whose message was lost; and the poll for decisions not yet told back."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from core.queue import enqueue_or_leave_for_sweeper

from ..marriage import interview_referral


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_referral(self, proposal_id: int) -> str:
    # The attempts are counted on the proposal (HOME_OFFICE_REFERRAL_MAX_ATTEMPTS), not here, so
    # a sweeper's re-enqueue and a retry share one count.
    try:
        proposal = interview_referral.send(proposal_id=proposal_id)
    except interview_referral.ReferralFailed as failure:
        if failure.retry_in > settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS:
            return "waiting"
        raise self.retry(countdown=failure.retry_in) from failure
    return proposal.home_office if proposal else "nothing to send"


@shared_task(acks_late=True)
def resend_pending_referrals() -> int:
    """Beat: referrals whose enqueue or retry was lost are sent again."""
    sent = 0
    for proposal_id in interview_referral.due_referral_ids():
        if not enqueue_or_leave_for_sweeper(send_referral, proposal_id):
            break
        sent += 1
    return sent


@shared_task(acks_late=True)
def poll_home_office_decisions() -> int:
    """Beat: ask the Home Office for the decisions on referrals still waiting."""
    return interview_referral.poll_decisions()
