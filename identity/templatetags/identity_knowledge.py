"""What the identity check page says about the security questions, so that page offers them
only when a knowledge provider is configured and the person can still change their case."""

from __future__ import annotations

from django import template

from .. import knowledge

register = template.Library()


@register.simple_tag
def security_questions(case) -> dict:
    """{"offered": bool, "answered": bool} for the person's case (None before they start)."""
    offered = knowledge.offered_for(case)
    return {"offered": offered, "answered": offered and knowledge.latest_answered(case=case) is not None}
