"""What the schedule panels of the staff case page and the couple's page show."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import timezone

from core.refusals import message_for

from ..marriage import rules, schedule_selectors
from ..marriage.refusals import MarriageRefused
from ..models import IndexName, Proposal

register = template.Library()


@register.simple_tag
def schedule_panel(proposal: Proposal, user) -> dict:
    today = timezone.localdate()
    schedule = schedule_selectors.schedule_of(proposal)
    day = schedule_selectors.ceremony_date(proposal)
    problem = None
    if schedule is None and proposal.status == Proposal.Status.WAITING:
        code = rules.authority_problem(proposal, today=today)
        problem = message_for(MarriageRefused, code) if code else None
    staff = bool(getattr(user, "is_staff", False))
    return {
        "schedule": schedule,
        "ceremony_date": day,
        "return_by": rules.schedule_return_by(day) if day else None,
        "overdue": bool(schedule and not schedule.entry_id and rules.schedule_overdue(day, today=today)),
        "problem": problem,
        "can_issue": staff
        and schedule is None
        and proposal.status == Proposal.Status.WAITING
        and problem is None
        and schedule_selectors.may_issue_authority(user, proposal),
        "can_officiate": staff and schedule is not None and schedule_selectors.may_officiate(user, proposal),
        "lines": list(IndexName.objects.filter(entry_id=schedule.entry_id).order_by("pk"))
        if schedule and schedule.entry_id
        else [],
        "return_days": settings.SCHEDULE_RETURN_DAYS,
    }
