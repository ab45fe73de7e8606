"""Reads for the authority, the schedule and the ceremony: when and where the ceremony is, who may
act on a schedule, and the schedules not returned in time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from identity.models import User
from identity.roles import is_national

from ..models import Proposal, Schedule
from ..models.marriages import RETURN_SCHEDULES, WORK_NOTICES
from . import rules

CONDUCT_CEREMONIES = "identity.conduct_ceremonies"


def ceremony_date(proposal: Proposal) -> date | None:
    """The day of the ceremony: the booked one (civil), or the date the couple intend (religious)."""
    if proposal.ceremony_id:
        return timezone.localtime(proposal.ceremony.starts_at).date()
    return proposal.intended_date


def ceremony_place(proposal: Proposal) -> str:
    """Where the ceremony is, in words: the venue and its address, or the religious building."""
    if proposal.form == Proposal.Form.RELIGIOUS:
        return proposal.religious_building
    venue = proposal.venue or (proposal.ceremony.room.venue if proposal.ceremony_id else None)
    if venue is None:
        return ""
    return ", ".join(part for part in (venue.name, venue.address) if part)


def works_in(user: User, proposal: Proposal) -> bool:
    return is_national(user) or user.offices.filter(pk=proposal.district_id).exists()


def may_issue_authority(user: User, proposal: Proposal) -> bool:
    """A superintendent registrar of the ceremony's district."""
    return (
        user.is_staff and user.has_perm(WORK_NOTICES) and user.has_perm(CONDUCT_CEREMONIES) and works_in(user, proposal)
    )


def may_officiate(user: User, proposal: Proposal) -> bool:
    """A registrar of the ceremony's office, or one of the officers booked for the ceremony."""
    if not (user.is_staff and user.has_perm(WORK_NOTICES)):
        return False
    booking = proposal.ceremony
    if booking is not None and user.pk in (booking.superintendent_id, booking.registrar_id):
        return True
    return works_in(user, proposal)


def may_return(user: User, proposal: Proposal) -> bool:
    """An authorised person (their API token) for a religious building in one of their offices."""
    return user.has_perm(RETURN_SCHEDULES) and user.offices.filter(pk=proposal.district_id).exists()


def proposal_for_staff(user: User, reference: str) -> Proposal | None:
    """A proposal of the user's offices (or booked to them), by reference; None otherwise."""
    proposal = (
        Proposal.objects.select_related("ceremony__room__venue", "venue", "district")
        .filter(reference=str(reference).strip().upper())
        .first()
    )
    if proposal is None or not may_officiate(user, proposal):
        return None
    return proposal


def schedule_of(proposal: Proposal) -> Schedule | None:
    return Schedule.objects.filter(proposal=proposal).select_related("entry").first()


def couple_of(proposal: Proposal) -> list[User]:
    return [notice.person for notice in proposal.notices.select_related("person") if notice.person_id]


def is_one_of_the_couple(user: User, proposal: Proposal) -> bool:
    return user.is_authenticated and proposal.notices.filter(person=user).exists()


def overdue_filter(today: date) -> Q:
    """Schedules whose ceremony (intended) day is more than SCHEDULE_RETURN_DAYS before today,
    the same rule as `rules.schedule_overdue`, as a query."""
    last_ceremony_day = today - timedelta(days=settings.SCHEDULE_RETURN_DAYS + 1)
    next_day_starts = timezone.make_aware(datetime.combine(last_ceremony_day + timedelta(days=1), time.min))
    return Q(proposal__ceremony__isnull=False, proposal__ceremony__starts_at__lt=next_day_starts) | Q(
        proposal__ceremony__isnull=True, proposal__intended_date__lte=last_ceremony_day
    )


def unreturned_schedules(*, today: date, offices=None) -> QuerySet[Schedule]:
    """Schedules still waiting to be registered more than SCHEDULE_RETURN_DAYS after the
    ceremony, oldest first; in `offices` when given."""
    schedules = (
        Schedule.objects.filter(
            status__in=[Schedule.Status.ISSUED, Schedule.Status.RETURNED],
            proposal__status=Proposal.Status.AUTHORISED,
        )
        .filter(overdue_filter(today))
        .select_related("proposal__district", "proposal__ceremony", "proposal__venue")
        .order_by("proposal__intended_date", "proposal__ceremony__starts_at", "pk")
    )
    if offices is not None:
        schedules = schedules.filter(proposal__district__in=offices)
    return schedules


def unreturned_rows(schedules) -> list[dict]:
    """What the staff lists show of each unreturned schedule."""
    rows = []
    for schedule in schedules:
        day = ceremony_date(schedule.proposal)
        rows.append(
            {
                "schedule": schedule,
                "proposal": schedule.proposal,
                "ceremony_date": day,
                "return_by": rules.schedule_return_by(day) if day else None,
            }
        )
    return rows
