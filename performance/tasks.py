"""The performance app's periodic work: the summary of closed days the performance page reads."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS,  # inside the visibility timeout
    max_retries=3,
)
def summarise_closed_days(*, full: bool = False) -> int:
    """Counts the closed days of the page's window that need it, or every one with `full` (the
    nightly recount); safe to run twice."""
    return services.summarise_closed_days(full=full)
