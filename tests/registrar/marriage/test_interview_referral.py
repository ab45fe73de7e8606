"""The Home Office referral: sent once both notices are given and either person is not exempt,
idempotent, retried with backoff through an outage, FAILED after the limit (staff send it again),
re-sent by the sweeper when its message was lost; the decision sets 28 or 70 days, and a ceremony
booked before the 70 days end is to move."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from identity.models import OutboundMessage
from registrar.marriage import interview_referral, interview_services, selectors
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Proposal
from registrar.tasks import interview_referrals as tasks
from tests.factories.marriage_interview import CountingHomeOffice, interviewed_proposal, registrar_of

pytestmark = pytest.mark.django_db


def _given(*surnames):
    """Both notices given (the referral's task not yet run)."""
    proposal = interviewed_proposal(exempt=False, surnames=surnames or ("Morgan", "Pritchard"))
    registrar = registrar_of(proposal.district)
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    proposal.refresh_from_db()
    return proposal


@pytest.fixture
def counting(settings):
    CountingHomeOffice.calls = []
    settings.HOME_OFFICE_ADAPTER = "tests.factories.marriage_interview.CountingHomeOffice"
    return CountingHomeOffice.calls


def test_a_referral_is_due_once_both_notices_are_given():
    proposal = _given()
    assert proposal.status == Proposal.Status.WAITING
    assert proposal.home_office == Proposal.HomeOffice.NOT_YET
    assert interview_referral.due_referral_ids() == [proposal.pk]


def test_the_referral_is_sent_once_however_often_the_task_runs(counting):
    proposal = _given()
    tasks.send_referral.delay(proposal.pk)
    tasks.send_referral.delay(proposal.pk)
    proposal.refresh_from_db()
    assert counting == [proposal.reference]
    assert proposal.home_office == Proposal.HomeOffice.NOT_INVESTIGATING
    assert proposal.home_office_reference.startswith("HO-")
    assert proposal.referral_attempts == 1
    assert interview_referral.due_referral_ids() == []


def test_what_the_home_office_is_told_is_the_two_peoples_particulars():
    proposal = _given()
    referral = interview_referral.referral_for(proposal)
    assert referral.proposal_reference == proposal.reference
    assert [person.surname for person in referral.people] == ["Morgan", "Pritchard"]
    assert referral.people[1].nationality == "Brazilian"
    assert referral.given_on == timezone.localdate()


def test_an_outage_is_retried_with_backoff_then_fails_with_an_alert(settings):
    settings.HOME_OFFICE_REFERRAL_MAX_ATTEMPTS = 3
    proposal = _given("Morgan", "Homeofficedown")
    for attempt in (1, 2):
        with pytest.raises(interview_referral.ReferralFailed) as failed:
            interview_referral.send(proposal_id=proposal.pk)
        assert failed.value.retry_in == interview_referral.backoff_seconds(attempt)
        proposal.refresh_from_db()
        assert proposal.home_office == Proposal.HomeOffice.NOT_YET
        assert proposal.referral_error == "provider_unreachable"
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.FAILED
    registrar = registrar_of(proposal.district)
    assert list(selectors.referral_alerts(user=registrar)) == [proposal]


def test_a_failed_referral_is_sent_again_by_a_registrar(settings, django_capture_on_commit_callbacks):
    settings.HOME_OFFICE_REFERRAL_MAX_ATTEMPTS = 1
    proposal = _given("Morgan", "Homeofficedown")
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.FAILED
    # The Home Office is back: the surname no longer makes the sandbox unreachable.
    for notice in proposal.notices.all():
        notice.answers["names"]["surname"] = "Pritchard"
        notice.save(update_fields=["answers"])
    with django_capture_on_commit_callbacks(execute=True):
        interview_referral.send_again(actor=registrar_of(proposal.district), proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.NOT_INVESTIGATING
    with pytest.raises(MarriageRefused) as refused:
        interview_referral.send_again(actor=registrar_of(proposal.district), proposal=proposal)
    assert refused.value.code == "referral_not_failed"


def test_the_sweeper_sends_a_referral_whose_message_was_lost(counting):
    proposal = _given()
    assert tasks.resend_pending_referrals() == 1
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.NOT_INVESTIGATING
    assert tasks.resend_pending_referrals() == 0
    assert counting == [proposal.reference]


def test_a_decision_told_later_is_taken_once(settings):
    settings.HOME_OFFICE_ADAPTER = "tests.factories.marriage_interview.LaterHomeOffice"
    proposal = _given()
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.PENDING
    assert tasks.poll_home_office_decisions() == 1
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.INVESTIGATING
    assert proposal.home_office_decided_at is not None
    with pytest.raises(MarriageRefused) as refused:
        interview_referral.apply_decision(proposal=proposal, decision="not_investigating", actor=None)
    assert refused.value.code == "referral_not_pending"


def test_investigating_with_the_ceremony_too_soon_tells_the_couple_to_move_it():
    # The ceremony is booked 60 days ahead: before the 70 days end.
    proposal = _given("Morgan", "Investigate")
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.INVESTIGATING
    move_to = selectors.must_move_to(proposal)
    assert move_to == timezone.localdate() + datetime.timedelta(days=71)
    told = OutboundMessage.objects.filter(subject="Your ceremony date must change")
    assert told.count() == 2
    assert all(move_to.strftime("%-d %B %Y") in message.body for message in told)


def test_not_investigating_leaves_the_ceremony_where_it_is():
    proposal = _given()
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert selectors.must_move_to(proposal) is None
    assert not OutboundMessage.objects.filter(subject="Your ceremony date must change").exists()
