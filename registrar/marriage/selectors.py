"""Reads of the interview and the Home Office referral: what a ceremony's notices allow (booking's
BOOKING_CEREMONY_NOTICES hook), the interviews an office holds, the notice cases a member of
staff may open, and whether a booked date falls before the end of the waiting period."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from booking.ceremony_notices import CeremonyNotices
from booking.models import Booking
from booking.selectors import UK
from identity.models import User
from identity.roles import is_national

from ..models import Notice, Proposal
from . import rules


def ceremony_notices(ceremony: Booking) -> CeremonyNotices:
    """What the notices of the proposal a ceremony is booked for allow (booking reads this through
    the BOOKING_CEREMONY_NOTICES setting): the days they were given, and from `rules` the first
    day the ceremony may be (28 or 70 days) and the last (12 months)."""
    proposal = Proposal.objects.filter(ceremony=ceremony, status__in=Proposal.OPEN).prefetch_related("notices").first()
    if proposal is None:
        return CeremonyNotices()
    return CeremonyNotices(
        given={
            notice.position: notice.given_on
            for notice in proposal.notices.all()
            if notice.status == Notice.Status.GIVEN
        },
        earliest=rules.waiting_ends(proposal),
        latest=rules.notices_expire(proposal),
        case_reference=proposal.reference,
    )


def office_ids_of(user: User) -> set[int] | None:
    """The offices a member of staff works in; None when they work every office."""
    if is_national(user):
        return None
    return set(user.offices.values_list("pk", flat=True))


def notice_offices(notice: Notice) -> set[int]:
    """The offices a notice concerns: where it is given, where its interview is, and the district
    of the ceremony."""
    ids = {notice.office_id, notice.proposal.district_id}
    if notice.interview_id:
        ids.add(notice.interview.room.venue.office_id)
    return {pk for pk in ids if pk is not None}


def interview_office_id(notice: Notice) -> int | None:
    """The office whose registrar records the outcome: the office of the interview (in person, the
    venue's; by video, the office of the registrar holding the call), else where it is given."""
    if notice.interview_id:
        return notice.interview.room.venue.office_id
    return notice.office_id


def office_interviews(*, user: User, on_or_after: date | None = None) -> QuerySet[Notice]:
    """The interviews booked at the offices the member of staff works in, soonest first: notices
    waiting for their interview, and those decided today."""
    notices = (
        Notice.objects.filter(interview__isnull=False, interview__status__in=Booking.BOOKED)
        .filter(Q(status=Notice.Status.SENT) | Q(given_on=timezone.localdate()))
        .select_related("proposal", "interview__room__venue__office", "office", "person")
        .order_by("interview__starts_at")
    )
    offices = office_ids_of(user)
    if offices is not None:
        notices = notices.filter(Q(office_id__in=offices) | Q(interview__room__venue__office_id__in=offices))
    if on_or_after is not None:
        notices = notices.filter(interview__starts_at__date__gte=on_or_after)
    return notices


def notice_case(*, user: User, reference: str) -> Proposal | None:
    """The proposal, when the member of staff works in an office one of its notices concerns or
    the ceremony's district; None otherwise (a reference reveals nothing)."""
    proposal = (
        Proposal.objects.filter(reference=reference)
        .select_related("district", "ceremony__room__venue", "venue", "created_by")
        .first()
    )
    if proposal is None:
        return None
    offices = office_ids_of(user)
    if offices is None:
        return proposal
    concerned = {proposal.district_id}
    for notice in proposal.notices.select_related("interview__room__venue", "proposal"):
        concerned |= notice_offices(notice)
    return proposal if concerned & offices else None


def ceremony_day(proposal: Proposal) -> date | None:
    if proposal.ceremony_id:
        return proposal.ceremony.starts_at.astimezone(UK).date()
    return proposal.intended_date


def must_move_to(proposal: Proposal) -> date | None:
    """When the Home Office investigates and the ceremony is booked before the end of the 70 days:
    the first day it may move to. None when the date is allowed (or nothing is booked yet)."""
    if proposal.home_office != Proposal.HomeOffice.INVESTIGATING:
        return None
    ends = rules.waiting_ends(proposal)
    day = ceremony_day(proposal)
    if ends is None or day is None or day >= ends:
        return None
    return ends


def referral_alerts(*, user: User) -> QuerySet[Proposal]:
    """Referrals that could not be sent, in the member of staff's offices: they must act."""
    proposals = Proposal.objects.filter(home_office=Proposal.HomeOffice.FAILED)
    offices = office_ids_of(user)
    if offices is not None:
        proposals = proposals.filter(Q(district_id__in=offices) | Q(notices__office_id__in=offices)).distinct()
    return proposals
