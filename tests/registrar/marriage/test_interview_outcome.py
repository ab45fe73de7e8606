"""Recording the interview's outcome: notice given today (displayed 28 days), or not accepted with
a reason (back to the person as a draft); both given starts the waiting period, and the Home
Office referral follows when either person is not exempt. Only a registrar of the interview's
office may record it, once, on or after the interview day."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from identity.models import AuditEntry, OutboundMessage
from registrar.marriage import interview_services, rules
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Notice, Proposal
from tests.factories.booking import diary_staff
from tests.factories.identity import RegisterOfficeFactory, StaffFactory
from tests.factories.marriage_interview import book_interview, interviewed_proposal, registrar_of

pytestmark = pytest.mark.django_db


def _give(proposal, registrar):
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    proposal.refresh_from_db()
    return proposal


def test_given_notice_is_dated_today_displayed_28_days_and_audited():
    proposal = interviewed_proposal()
    registrar = registrar_of(proposal.district)
    notice = proposal.notices.get(position=1)

    notice = interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")

    today = timezone.localdate()
    assert notice.status == Notice.Status.GIVEN
    assert notice.given_on == today
    assert notice.display_until == rules.display_until(today) == today + datetime.timedelta(days=27)
    assert notice.office == proposal.district
    assert notice.decided_by == registrar
    assert AuditEntry.objects.filter(action="marriage.notice_given", object_id=notice.reference).exists()
    assert OutboundMessage.objects.filter(to=notice.person.email, subject="Your notice has been given").exists()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.GIVING_NOTICE


def test_both_given_and_both_exempt_starts_28_days_without_a_referral():
    proposal = interviewed_proposal()
    proposal = _give(proposal, registrar_of(proposal.district))

    assert proposal.status == Proposal.Status.WAITING
    assert proposal.home_office == Proposal.HomeOffice.NOT_NEEDED
    assert proposal.referral_attempts == 0
    assert rules.waiting_ends(proposal) == timezone.localdate() + datetime.timedelta(days=29)


def test_not_accepted_goes_back_to_the_person_with_the_reason():
    proposal = interviewed_proposal()
    registrar = registrar_of(proposal.district)
    notice = proposal.notices.get(position=2)

    notice = interview_services.record_outcome(
        actor=registrar, notice=notice, outcome="not_accepted", reason="The address is not where you live."
    )

    assert notice.status == Notice.Status.DRAFT
    assert notice.decision_note == "The address is not where you live."
    message = OutboundMessage.objects.get(to=notice.person.email, subject="Your notice was not accepted")
    assert "The address is not where you live." in message.body
    assert AuditEntry.objects.filter(action="marriage.notice_not_accepted", object_id=notice.reference).exists()


def test_an_outcome_is_recorded_once():
    proposal = interviewed_proposal()
    registrar = registrar_of(proposal.district)
    notice = proposal.notices.get(position=1)
    interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")

    with pytest.raises(MarriageRefused) as refused:
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="not_accepted", reason="x")
    assert refused.value.code == "interview_already_decided"


def test_an_interview_still_to_come_cannot_be_decided():
    proposal = interviewed_proposal()
    notice = proposal.notices.get(position=1)
    book_interview(notice, on=timezone.localdate() + datetime.timedelta(days=3))

    with pytest.raises(MarriageRefused) as refused:
        interview_services.record_outcome(actor=registrar_of(proposal.district), notice=notice, outcome="given")
    assert refused.value.code == "interview_not_yet"


def test_only_a_registrar_of_the_interviews_office_records_it():
    proposal = interviewed_proposal()
    notice = proposal.notices.get(position=1)
    elsewhere = registrar_of(RegisterOfficeFactory())
    phone_support = diary_staff(proposal.district, role="Phone support")

    with pytest.raises(MarriageRefused) as refused:
        interview_services.record_outcome(actor=elsewhere, notice=notice, outcome="given")
    assert refused.value.code == "wrong_office"
    with pytest.raises(MarriageRefused) as refused:
        interview_services.record_outcome(actor=phone_support, notice=notice, outcome="given")
    assert refused.value.code == "not_permitted"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_a_superintendent_registrar_records_it_too():
    proposal = interviewed_proposal()
    superintendent = registrar_of(proposal.district, role="Superintendent registrar")
    notice = interview_services.record_outcome(
        actor=superintendent, notice=proposal.notices.get(position=1), outcome="given"
    )
    assert notice.status == Notice.Status.GIVEN


def test_a_registrar_does_not_record_a_notice_that_is_theirs():
    proposal = interviewed_proposal()
    notice = proposal.notices.get(position=1)
    staff = StaffFactory(roles=["Registrar"])
    staff.offices.add(proposal.district)
    Notice.objects.filter(pk=proposal.notices.get(position=2).pk).update(person=staff)

    with pytest.raises(MarriageRefused) as refused:
        interview_services.record_outcome(actor=staff, notice=notice, outcome="given")
    assert refused.value.code == "interview_own_notice"


# --- The waiting period's edges, from the later notice (rules.waiting_ends) -------------------------


@pytest.fixture
def waiting(django_capture_on_commit_callbacks):
    def make(*, investigating: bool):
        surnames = ("Morgan", "Investigate") if investigating else ("Morgan", "Pritchard")
        proposal = interviewed_proposal(exempt=False, surnames=surnames)
        with django_capture_on_commit_callbacks(execute=True):
            _give(proposal, registrar_of(proposal.district))
        proposal.refresh_from_db()
        return proposal

    return make


@pytest.mark.parametrize(("days", "allowed"), [(27, False), (28, False), (29, True)])
def test_not_investigating_the_ceremony_may_be_28_full_days_after_notice(waiting, days, allowed):
    proposal = waiting(investigating=False)
    assert proposal.home_office == Proposal.HomeOffice.NOT_INVESTIGATING
    given = timezone.localdate()
    with time_machine.travel(given + datetime.timedelta(days=days), tick=False):
        assert (timezone.localdate() >= rules.waiting_ends(proposal)) is allowed


@pytest.mark.parametrize(("days", "allowed"), [(69, False), (70, False), (71, True)])
def test_investigating_the_ceremony_may_be_70_full_days_after_notice(waiting, days, allowed):
    proposal = waiting(investigating=True)
    assert proposal.home_office == Proposal.HomeOffice.INVESTIGATING
    given = timezone.localdate()
    with time_machine.travel(given + datetime.timedelta(days=days), tick=False):
        assert (timezone.localdate() >= rules.waiting_ends(proposal)) is allowed


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_both_outcomes_recorded_at_once_start_the_waiting_period_once_on_postgres():
    """Two registrars record the two notices at the same moment: the proposal lock makes the second
    see the first, so the waiting period begins once and the referral is asked for once."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    proposal = interviewed_proposal(exempt=False)
    notices = list(proposal.notices.all())
    registrars = [registrar_of(proposal.district) for _notice in notices]

    def give(index):
        try:
            return interview_services.record_outcome(
                actor=registrars[index], notice=notices[index], outcome="given"
            ).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(give, range(2))) == ["given", "given"]
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING
    assert proposal.home_office in {Proposal.HomeOffice.NOT_YET, Proposal.HomeOffice.NOT_INVESTIGATING}
