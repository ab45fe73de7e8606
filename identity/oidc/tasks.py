"""Housekeeping of the provider: expired codes and tokens are deleted, and old records of what was
shared are forgotten after the retention period."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone
from oauth2_provider.models import clear_expired

from .models import ClaimRelease


@shared_task(acks_late=True)
def clear_expired_tokens() -> int:
    """Safe to run twice: each run deletes only what has expired by then."""
    clear_expired()
    cutoff = timezone.now() - timedelta(days=settings.OIDC_CLAIM_RELEASE_RETENTION_DAYS)
    deleted, _by_model = ClaimRelease.objects.filter(released_at__lt=cutoff).delete()
    return deleted
