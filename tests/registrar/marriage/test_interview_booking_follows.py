"""The ceremony booking follows the notices through booking's hook: booking reads the days given
and the 28 or 70 days from the marriage journey, so its sweeper keeps a ceremony whose notices are
given, and an investigation that makes the date too soon shows on the couple's page."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from booking import services as booking_services
from booking.selectors import UK
from registrar.marriage import interview_referral, interview_services, selectors
from registrar.models import Proposal
from tests.factories.marriage_interview import interviewed_proposal, registrar_of

pytestmark = pytest.mark.django_db


def _give_both(proposal):
    registrar = registrar_of(proposal.district)
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    proposal.refresh_from_db()
    return proposal


def test_booking_reads_nothing_given_before_the_interviews(proposal):
    notices = booking_services.ceremony_notices(proposal.ceremony)
    assert notices.given == {} and notices.case_reference == proposal.reference
    assert booking_services.ceremony_notice_problem(proposal.ceremony) == "notices_missing"


def test_booking_reads_the_days_given_and_the_28_days(waiting_proposal):
    ceremony = waiting_proposal.ceremony
    notices = booking_services.ceremony_notices(ceremony)
    today = timezone.localdate()
    assert notices.given == {1: today, 2: today}
    assert notices.earliest == today + datetime.timedelta(days=29)
    # The ceremony is booked 60 days ahead: the notices allow it.
    assert booking_services.ceremony_notice_problem(ceremony) is None


def test_a_ceremony_whose_notices_are_given_is_not_released(waiting_proposal):
    ceremony = waiting_proposal.ceremony
    day = ceremony.starts_at.astimezone(UK).date()
    assert booking_services.release_lapsed_provisional_bookings(today=day) == 0
    ceremony.refresh_from_db()
    assert ceremony.status == "provisional"


def test_an_investigation_makes_the_booked_date_too_soon_and_the_couple_see_it():
    proposal = _give_both(interviewed_proposal(exempt=False, surnames=("Morgan", "Investigate")))
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.INVESTIGATING
    assert booking_services.ceremony_notice_problem(proposal.ceremony) == "too_soon_after_notice"
    move_to = selectors.must_move_to(proposal)

    request = RequestFactory().get("/")
    request.user = proposal.notices.get(position=1).person
    panel = render_to_string(
        "registrar/marriage/citizen/_status_interview.html",
        {"proposal": proposal, "notices": list(proposal.notices.all()), "request": request},
    )
    assert f"Your ceremony must move to {move_to.strftime('%-d %B %Y')} or later" in panel


def test_the_couples_panel_shows_the_interview_and_says_why_a_notice_came_back():
    proposal = interviewed_proposal()
    notice = proposal.notices.get(position=1)
    request = RequestFactory().get("/")
    request.user = notice.person
    context = {"proposal": proposal, "notices": list(proposal.notices.all()), "request": request}
    panel = render_to_string("registrar/marriage/citizen/_status_interview.html", context)
    assert "Your interview:" in panel and "Move or cancel it" in panel
    notice.status, notice.decision_note = "draft", "The address is not where you live."
    context["notices"] = [notice]
    panel = render_to_string("registrar/marriage/citizen/_status_interview.html", context)
    assert "The registrar could not accept your notice: The address is not where you live." in panel
