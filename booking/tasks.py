"""Celery tasks for booking."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def release_expired_holds() -> int:
    """Beat, every minute: holds that ran out free their room and officers."""
    return services.release_expired_holds()
