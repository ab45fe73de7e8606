"""The shared rules at their edges: 28 and 70 days after the later notice, the 12 months, the 28
days on display, exemption from immigration control, and why an authority waits."""

from __future__ import annotations

import datetime

import pytest

from registrar.marriage import rules
from registrar.models import Notice, Proposal
from tests.factories.marriage import make_objection, make_proposal

GIVEN = datetime.date(2027, 3, 1)


def test_exempt_from_immigration_control():
    assert rules.is_exempt(nationality="british", immigration_status="")
    assert rules.is_exempt(nationality="irish", immigration_status="")
    assert rules.is_exempt(nationality="other", immigration_status="settled")
    assert rules.is_exempt(nationality="other", immigration_status="pre_settled")
    assert rules.is_exempt(nationality="other", immigration_status="marriage_visa")
    assert not rules.is_exempt(nationality="other", immigration_status="other")


def test_a_notice_is_displayed_for_28_days_from_the_day_it_is_given():
    assert rules.display_until(GIVEN) == datetime.date(2027, 3, 28)


@pytest.mark.parametrize(
    ("today", "problem"),
    [
        (datetime.date(2027, 3, 29), "still_waiting"),  # 28 days after: not yet full days
        (datetime.date(2027, 3, 30), None),  # 29th day: 28 full days have passed
        (datetime.date(2028, 3, 1), None),  # 12 months on: the last day
        (datetime.date(2028, 3, 2), "notices_expired"),
    ],
)
def test_the_authority_waits_28_full_days_and_lasts_12_months(db, today, problem):
    proposal = make_proposal(notices="given", given_on=GIVEN)
    assert rules.authority_problem(proposal, today=today) == problem


@pytest.mark.parametrize(
    ("today", "problem"),
    [(datetime.date(2027, 5, 10), "still_waiting"), (datetime.date(2027, 5, 11), None)],
)
def test_an_investigation_makes_it_70_full_days(db, today, problem):
    proposal = make_proposal(notices="given", given_on=GIVEN, exempt=False, home_office="investigating")
    assert rules.authority_problem(proposal, today=today) == problem


def test_a_referral_waits_for_the_home_office_and_then_for_28_days_when_not_investigating(db):
    proposal = make_proposal(notices="given", given_on=GIVEN, exempt=False, home_office="pending")
    assert rules.authority_problem(proposal, today=datetime.date(2027, 6, 1)) == "home_office_pending"
    Proposal.objects.filter(pk=proposal.pk).update(home_office="not_investigating")
    proposal.refresh_from_db()
    assert rules.waiting_ends(proposal) == datetime.date(2027, 3, 30)


def test_the_later_notice_starts_the_wait_and_the_earlier_ends_the_12_months(db):
    proposal = make_proposal(notices="given", given_on=GIVEN)
    Notice.objects.filter(proposal=proposal, position=2).update(given_on=datetime.date(2027, 3, 10))
    assert rules.waiting_ends(proposal) == datetime.date(2027, 4, 8)
    assert rules.notices_expire(proposal) == datetime.date(2028, 3, 1)


def test_an_open_or_upheld_objection_stops_the_authority(db):
    proposal = make_proposal(notices="given", given_on=GIVEN)
    objection = make_objection(proposal.notices.first())
    assert rules.authority_problem(proposal, today=datetime.date(2027, 4, 1)) == "objection_open"
    objection.move("uphold")
    assert rules.authority_problem(proposal, today=datetime.date(2027, 4, 1)) == "objection_upheld"


def test_a_dismissed_objection_does_not(db):
    proposal = make_proposal(notices="given", given_on=GIVEN)
    make_objection(proposal.notices.first(), status="dismissed")
    assert rules.authority_problem(proposal, today=datetime.date(2027, 4, 1)) is None


def test_18_on_the_day_of_the_ceremony_is_old_enough():
    born = datetime.date(2009, 6, 15)
    assert not rules.old_enough_to_marry(born, datetime.date(2027, 6, 14))
    assert rules.old_enough_to_marry(born, datetime.date(2027, 6, 15))
    assert rules.age_on(datetime.date(2008, 2, 29), datetime.date(2026, 2, 28)) == 18
