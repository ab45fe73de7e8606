"""Notices with their interview booked (written straight to the models), the registrars who
record the outcome, and a proposal whose two people are interviewed today."""

from __future__ import annotations

import datetime

from django.utils import timezone

from booking.models import Booking, Room
from core.references import new_reference
from registrar.marriage import home_office
from registrar.marriage.home_office.sandbox import SandboxHomeOffice
from registrar.models import Notice
from tests.factories.booking import diary_staff, make_bookable_office
from tests.factories.marriage import make_proposal, notice_answers


def book_interview(notice: Notice, *, office=None, on: datetime.date | None = None) -> Booking:
    """A confirmed in-person interview for `notice` at `office` (default the proposal's district)
    at 10:00 on `on` (default today)."""
    office = office or notice.proposal.district
    make_bookable_office(office)
    room = Room.objects.get(venue__office=office, venue__kind="register_office", name="Notice room")
    on = on or timezone.localdate()
    starts_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0)))
    interview = Booking.objects.create(
        reference=new_reference("BK"),
        kind=Booking.Kind.NOTICE,
        status=Booking.Status.CONFIRMED,
        person=notice.person,
        room=room,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=30),
        confirmed_at=timezone.now(),
    )
    Notice.objects.filter(pk=notice.pk).update(
        interview=interview, interview_mode=Notice.InterviewMode.IN_PERSON, office=office
    )
    notice.refresh_from_db()
    return interview


def interviewed_proposal(*, exempt: bool = True, surnames: tuple[str, str] = ("Morgan", "Pritchard"), **extra):
    """Both notices sent, both people interviewed today at the ceremony's district."""
    answers = tuple(
        notice_answers(
            surname=surname,
            **({} if exempt or index == 0 else {"nationality": "other", "immigration_status": "other"}),
        )
        for index, surname in enumerate(surnames)
    )
    proposal = make_proposal(notices="sent", exempt=exempt, answers=answers, **extra)
    for notice in proposal.notices.all():
        book_interview(notice)
    return proposal


def registrar_of(office, *, role: str = "Registrar"):
    return diary_staff(office, role=role)


# Home Offices for tests, named by dotted path in HOME_OFFICE_ADAPTER.
class CountingHomeOffice:
    """Counts the referrals it is sent; answers as the sandbox does."""

    calls: list = []

    def __init__(self):
        self._sandbox = SandboxHomeOffice()

    def refer(self, referral):
        CountingHomeOffice.calls.append(referral.proposal_reference)
        return self._sandbox.refer(referral)

    def decision(self, *, reference):
        return home_office.Answer(delivered=True, reference=reference, decision="investigating")


class LaterHomeOffice(CountingHomeOffice):
    """Takes the referral and decides later (investigating), as the real Home Office does."""

    def refer(self, referral):
        return home_office.Answer(delivered=True, reference="HO-LATER-1")
