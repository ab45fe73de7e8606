"""Writes of the performance app: recording an answer to the survey."""

from __future__ import annotations

import hashlib

from django.conf import settings

from core.windows import over_any_limit

from .models import FeedbackResponse, Journey
from .refusals import PerformanceRefused


def record_feedback(*, journey: str, rating: int, comment: str, client_address: str | None) -> FeedbackResponse:
    """Keeps one answer, and nothing about who gave it. The address is counted (hashed, in the
    cache, for a day at most) so that one client cannot flood the figures; it is never stored."""
    if journey not in Journey.values:
        raise ValueError(f"unknown journey {journey!r}")
    counted_as = hashlib.sha256((client_address or "unknown").encode()).hexdigest()[:32]
    if over_any_limit(f"performance:feedback:{counted_as}", settings.PERFORMANCE_FEEDBACK_LIMITS):
        raise PerformanceRefused("feedback_throttled")
    return FeedbackResponse.objects.create(journey=journey, rating=rating, comment=comment.strip())
