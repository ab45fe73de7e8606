"""Writes of the interview: the person holds a time for it on the national calendar (in person at
any register office they choose) and books it, and a registrar of the interview's office records
the outcome: notice given today, or not accepted with a reason (the notice goes back to the
person to correct and send again). When both notices are given the proposal's waiting period
begins and, when either person is not exempt, the Home Office referral is sent after commit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from booking import services as booking_services
from booking.models import Booking, Room
from booking.refusals import BookingRefused
from booking.selectors import UK
from core.queue import enqueue_on_commit
from identity.audit import record_audit
from identity.models import User
from identity.notifications import send_message, written_for
from identity.roles import is_national
from identity.selectors import has_medium_confidence

from ..models import WORK_NOTICES, Notice, Proposal
from . import rules, selectors
from .refusals import MarriageRefused

GIVEN = "given"
NOT_ACCEPTED = "not_accepted"
OUTCOMES = (GIVEN, NOT_ACCEPTED)


# --- The person books their interview -------------------------------------------------------------


def live_interview(notice: Notice) -> Booking | None:
    """The notice's interview booking while it is booked and still to come (or today)."""
    if not notice.interview_id:
        return None
    interview = Booking.objects.select_related("room__venue__office").get(pk=notice.interview_id)
    if interview.status not in Booking.BOOKED:
        return None
    if interview.starts_at.astimezone(UK).date() < timezone.localdate():
        return None
    return interview


def check_may_book(*, person: User, notice: Notice) -> None:
    """The person's own sent notice, with their identity checked, for a proposal still going ahead,
    and no interview already booked for it (they move or cancel that one)."""
    if notice.person_id != person.pk:
        raise MarriageRefused("not_found")
    if not has_medium_confidence(person):
        raise MarriageRefused("interview_identity_needed")
    if notice.proposal.status not in Proposal.OPEN:
        raise MarriageRefused("interview_proposal_closed")
    if notice.status != Notice.Status.SENT:
        raise MarriageRefused("interview_notice_not_sent")
    if live_interview(notice) is not None:
        raise MarriageRefused("interview_already_booked")


# How the interview is held -> the kind of booking: in person takes a room and an officer, by
# video an officer's time only (booking's video appointments).
KIND_OF_MODE = {
    Notice.InterviewMode.IN_PERSON: Booking.Kind.NOTICE,
    Notice.InterviewMode.VIDEO: Booking.Kind.NOTICE_VIDEO,
}
MODE_OF_KIND = {kind: mode for mode, kind in KIND_OF_MODE.items()}


def hold_interview(
    *, person: User, notice: Notice, room: Room, starts_at: datetime, mode: str = Notice.InterviewMode.IN_PERSON
) -> Booking:
    """Hold an interview time: in person at the register office of `room` (any office: their own
    district's or another), or by video with a registrar of that office. Booking's refusals (the
    time has gone, …) pass through."""
    check_may_book(person=person, notice=notice)
    return booking_services.hold_published_slot(person=person, room=room, starts_at=starts_at, kind=KIND_OF_MODE[mode])


def held_interview(*, person: User, reference: str) -> Booking | None:
    return (
        Booking.objects.filter(reference=reference, person=person, kind__in=MODE_OF_KIND, ceremony__isnull=True)
        .select_related("room__venue__office")
        .first()
    )


def confirm_interview(*, person: User, notice: Notice, booking: Booking) -> Notice:
    """Book the held time and make it the notice's interview: the notice is given in the district
    of the office the interview is at. Booking's rules confirm the hold (a hold that ran out is
    refused and nothing changes)."""
    check_may_book(person=person, notice=notice)
    if booking.person_id != person.pk or booking.kind not in MODE_OF_KIND or booking.ceremony_id:
        raise MarriageRefused("interview_not_held")
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != Notice.Status.SENT:
            raise MarriageRefused("interview_notice_not_sent")
        if live_interview(locked) is not None:
            raise MarriageRefused("interview_already_booked")
        try:
            booking = booking_services.book_held_slot(booking=booking, actor=person)
        except BookingRefused as refused:
            if refused.code in ("hold_expired", "not_held"):
                raise MarriageRefused("interview_not_held") from refused
            raise
        office = booking.room.venue.office
        Notice.objects.filter(pk=locked.pk).update(
            interview=booking, interview_mode=MODE_OF_KIND[booking.kind], office=office, updated_at=timezone.now()
        )
    notice.refresh_from_db()
    return notice


# --- A registrar records the outcome --------------------------------------------------------------


def _works_in(actor: User, office_id: int | None) -> bool:
    return bool(is_national(actor) or (office_id and actor.offices.filter(pk=office_id).exists()))


def _is_about(actor: User, notice: Notice) -> bool:
    """The registrar gives one of the notices, or is named in them by email address."""
    email = (actor.email or "").strip().lower()
    for each in notice.proposal.notices.all():
        if each.person_id == actor.pk or (email and each.invited_email.strip().lower() == email):
            return True
    return False


def check_may_record(actor: User, notice: Notice) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(WORK_NOTICES)):
        raise MarriageRefused("not_permitted")
    if not _works_in(actor, selectors.interview_office_id(notice)):
        raise MarriageRefused("wrong_office")
    if _is_about(actor, notice):
        raise MarriageRefused("interview_own_notice")


def _tell(notice: Notice, event: str, message: Callable[[User], tuple[str, str]]) -> None:
    """The person who gave the notice gets `message(person)`, written in their own language."""
    if notice.person_id and notice.person.email:
        subject, body = message(notice.person)
        send_message(
            key=f"marriage:{notice.reference}:{event}:{notice.updated_at.timestamp()}",
            channel="email",
            to=notice.person.email,
            subject=subject,
            body=body,
        )


@written_for
def notice_given_message(recipient: User, notice: Notice, day: date) -> tuple[str, str]:
    return _("Your notice has been given"), _(
        "Your notice %(reference)s was given on %(day)s. It is displayed publicly until %(until)s."
    ) % {
        "reference": notice.reference,
        "day": date_format(day, "j F Y"),
        "until": date_format(notice.display_until, "j F Y"),
    }


@written_for
def notice_not_accepted_message(recipient: User, notice: Notice, reason: str) -> tuple[str, str]:
    return _("Your notice was not accepted"), _(
        "The registrar could not accept your notice %(reference)s: %(reason)s\n\n"
        "Sign in to correct your answers and send your notice again."
    ) % {"reference": notice.reference, "reason": reason}


def record_outcome(*, actor: User, notice: Notice, outcome: str, reason: str = "") -> Notice:
    """The registrar who interviewed the person records the outcome, on or after the interview day:
    notice given today, or not accepted with the reason the person is told (their notice goes back
    to them to correct and send again). Audited; a second recording is refused."""
    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    notice = Notice.objects.select_related("proposal", "interview__room__venue", "person").get(pk=notice.pk)
    check_may_record(actor, notice)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        # The proposal first, so that the second notice's outcome waits for the first's and sees it.
        proposal = Proposal.objects.select_for_update().get(pk=notice.proposal_id)
        notice = (
            Notice.objects.select_for_update(of=("self",))
            .select_related("interview__room__venue__office")
            .get(pk=notice.pk)
        )
        if notice.status != Notice.Status.SENT:
            raise MarriageRefused("interview_already_decided")
        if not notice.interview_id or notice.interview.status not in Booking.BOOKED:
            raise MarriageRefused("interview_not_booked")
        if notice.interview.starts_at.astimezone(UK).date() > today:
            raise MarriageRefused("interview_not_yet")
        office = notice.office or notice.interview.room.venue.office
        if outcome == GIVEN:
            moved = notice.move(
                "give",
                given_on=today,
                office=office,
                display_until=rules.display_until(today),
                decided_by=actor,
                decision_note="",
                updated_at=now,
            )
        else:
            moved = notice.move("reopen", decided_by=actor, decision_note=reason, updated_at=now)
        if not moved:
            raise MarriageRefused("interview_already_decided")
        record_audit(
            actor=actor,
            action="marriage.notice_given" if outcome == GIVEN else "marriage.notice_not_accepted",
            subject=notice.person,
            object_type="notice",
            object_id=notice.reference,
            detail={"proposal": proposal.reference, "office": office.code, "outcome": outcome},
        )
        if outcome == GIVEN:
            _tell(notice, "given", lambda person: notice_given_message(person, notice, today))
            both_notices_given(proposal)
        else:
            _tell(notice, "not-accepted", lambda person: notice_not_accepted_message(person, notice, reason))
    return notice


def both_notices_given(proposal: Proposal) -> bool:
    """Inside the outcome's transaction, on the locked proposal: once both notices are given the
    waiting period begins. The referral, when needed, is sent after commit (the row says it is
    due, so a lost message is sent by the sweeper); otherwise the Home Office is not needed."""
    if len(rules.given_dates(proposal)) != 2:
        return False
    now = timezone.now()
    if not proposal.move("both_notices_given", updated_at=now):
        return False
    if rules.needs_referral(proposal):
        Proposal.objects.filter(pk=proposal.pk).update(
            home_office=Proposal.HomeOffice.NOT_YET, referral_next_attempt_at=now, referral_attempts=0
        )
        enqueue_on_commit("registrar.tasks.interview_referrals.send_referral", proposal.pk)
    else:
        Proposal.objects.filter(pk=proposal.pk).update(home_office=Proposal.HomeOffice.NOT_NEEDED)
    proposal.refresh_from_db()
    return True
