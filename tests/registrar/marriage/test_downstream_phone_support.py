"""Phone support finds the person behind a notice, proposal or schedule reference (the notice's
own person; for a proposal or its schedule, the person who began it), with the stage in words."""

from __future__ import annotations

import pytest

from core.references import new_reference
from identity import roles
from identity.assisted import find_people
from registrar.marriage.phone_support import person_for_reference
from registrar.models import Schedule
from tests.factories import StaffFactory
from tests.factories.marriage import make_proposal

pytestmark = pytest.mark.django_db


def test_a_notice_reference_finds_its_own_person_with_the_stage_in_words(waiting_proposal):
    second = waiting_proposal.notices.get(position=2)
    person, stage = person_for_reference(second.reference.lower())
    assert person == second.person and person != waiting_proposal.created_by
    assert stage == "Marriage, notice: Notice given (the couple's stage: Waiting period)"


def test_a_proposal_reference_finds_the_person_who_began_it():
    proposal = make_proposal(kind="civil_partnership", notices="sent")
    person, stage = person_for_reference(proposal.reference)
    assert person == proposal.created_by and stage == "Civil partnership: Giving notice"


def test_a_schedule_reference_finds_the_person_who_began_the_proposal(waiting_proposal):
    schedule = Schedule.objects.create(reference=new_reference("SC"), proposal=waiting_proposal)
    person, stage = person_for_reference(schedule.reference)
    assert person == waiting_proposal.created_by and stage == "Marriage schedule: Issued"


def test_unknown_and_other_references_find_nobody(waiting_proposal):
    assert person_for_reference("NT-AAAA-BBBB") is None
    assert person_for_reference("RG-AAAA-BBBB") is None
    assert person_for_reference("") is None


def test_an_invited_notice_nobody_has_accepted_finds_nobody(proposal):
    second = proposal.notices.get(position=2)
    second.person = None
    second.save(update_fields=["person"])
    assert person_for_reference(second.reference) is None


def test_phone_support_finds_the_person_by_a_notice_reference(waiting_proposal):
    roles.sync_roles()
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    notice = waiting_proposal.notices.get(position=1)
    [match] = find_people(staff=support, reference=notice.reference)
    assert match.person_id == notice.person_id and "Notice given" in match.stage
