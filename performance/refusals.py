"""Why the performance pages refuse: too many survey answers from one place, or figures asked
for in a way they are not kept (an unknown period, district or year)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.refusals import Reason, Refusal


class PerformanceRefused(Refusal):
    reasons = {
        "feedback_throttled": Reason(
            429, _("We have had a lot of feedback from you in a short time. Try again tomorrow."), retry_after=3600
        ),
    }
