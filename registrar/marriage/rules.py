"""The marriage and civil partnership rules every part of the journey reads, each written once:
who is exempt from immigration control, how long a notice is displayed, when the waiting period
ends, when the notices run out, and why the authority cannot be issued yet. The date arithmetic
itself is `booking.rules` (7 days' residence, 28 or 70 days, 12 months, 18 on the day)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings

from booking import rules as booking_rules

from ..models import Notice, Objection, Proposal

age_on = booking_rules.age_on
old_enough_to_marry = booking_rules.old_enough_to_marry

# Answers to "nationality and immigration status" that make a person exempt from immigration
# control, so that their notice need not be referred to the Home Office.
EXEMPT_NATIONALITIES = frozenset({"british", "irish"})
EXEMPT_STATUSES = frozenset({"settled", "pre_settled", "marriage_visa"})


def is_exempt(*, nationality: str, immigration_status: str) -> bool:
    """British or Irish, or settled or pre-settled status, or a marriage visa."""
    return nationality in EXEMPT_NATIONALITIES or immigration_status in EXEMPT_STATUSES


def needs_referral(proposal: Proposal) -> bool:
    """Referred to the Home Office when either person is not exempt."""
    return any(notice.exempt is False for notice in proposal.notices.all())


def display_until(given_on: date) -> date:
    """The last day a notice given on `given_on` is on the public notices page: 28 days."""
    return given_on + timedelta(days=settings.NOTICE_DISPLAY_DAYS - 1)


def given_dates(proposal: Proposal) -> list[date]:
    return [notice.given_on for notice in proposal.notices.all() if notice.status == Notice.Status.GIVEN]


def investigating(proposal: Proposal) -> bool:
    """The 70-day period applies while the Home Office is investigating, and is assumed while a
    referral is outstanding (the authority waits for the decision either way)."""
    return proposal.home_office in {
        Proposal.HomeOffice.INVESTIGATING,
        Proposal.HomeOffice.PENDING,
        Proposal.HomeOffice.NOT_YET,
        Proposal.HomeOffice.FAILED,
    } and needs_referral(proposal)


def waiting_ends(proposal: Proposal) -> date | None:
    """The first day the ceremony may take place and the authority be issued: 28 full days after
    the later notice, or 70 when the Home Office investigates. None until both are given."""
    dates = given_dates(proposal)
    if len(dates) != 2:
        return None
    return booking_rules.earliest_ceremony_date(max(dates), referred=investigating(proposal))


def notices_expire(proposal: Proposal) -> date | None:
    """The last day of the notices' 12 months, counted from the earlier notice."""
    dates = given_dates(proposal)
    return booking_rules.latest_ceremony_date(min(dates)) if dates else None


def authority_problem(proposal: Proposal, *, today: date) -> str | None:
    """Why the superintendent registrar's authority cannot be issued today (a refusal code of
    `refusals.AUTHORITY`), or None when it can."""
    objections = Objection.objects.filter(notice__proposal=proposal)
    # An upheld objection bars the proposal (status "barred"): say that, not that notice is missing.
    if objections.filter(status=Objection.Status.UPHELD).exists():
        return "objection_upheld"
    if proposal.status != Proposal.Status.WAITING or len(given_dates(proposal)) != 2:
        return "notices_not_given"
    if needs_referral(proposal) and not proposal.wait_days_decided:
        return "home_office_pending"
    if objections.filter(status=Objection.Status.OPEN).exists():
        return "objection_open"
    if today < waiting_ends(proposal):
        return "still_waiting"
    if today > notices_expire(proposal):
        return "notices_expired"
    return None


def schedule_return_by(ceremony_date: date) -> date:
    """The last day a signed schedule may be returned: SCHEDULE_RETURN_DAYS after the ceremony."""
    return ceremony_date + timedelta(days=settings.SCHEDULE_RETURN_DAYS)


def schedule_overdue(ceremony_date: date | None, *, today: date) -> bool:
    """Not returned in time: the day after the last day to return it has come."""
    return ceremony_date is not None and today > schedule_return_by(ceremony_date)
