"""On PostgreSQL: starting from one ceremony booking twice at once makes one proposal, and one
invitation accepted by two people at once gives the notice to one of them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from registrar.marriage import notice_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Proposal
from tests.factories.marriage import civil_ceremony, verified_person
from tests.factories.marriage_notices import started_proposal

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(action, count: int) -> list[str]:
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            action(index)
            return "done"
        except MarriageRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_one_booking_started_four_times_at_once_makes_one_proposal_on_postgres():
    person = verified_person()
    ceremony = civil_ceremony(person=person)
    outcomes = _race(
        lambda index: notice_services.start_from_booking(
            person=person, booking_reference=ceremony.reference, kind="marriage"
        ),
        4,
    )
    assert outcomes.count("done") == 1 and outcomes.count("booking_has_proposal") == 3
    assert Proposal.objects.filter(ceremony=ceremony).count() == 1


def test_one_invitation_accepted_by_four_people_at_once_joins_one_on_postgres():
    person = verified_person()
    proposal = started_proposal(person=person)
    second = notice_services.invite_other_person(proposal=proposal, person=person, email="rhys@example.com")
    token = notice_services.invitation_token(second)
    people = [verified_person() for _ in range(4)]
    outcomes = _race(lambda index: notice_services.accept_invitation(token=token, person=people[index]), 4)
    assert outcomes.count("done") == 1
    assert set(outcomes) - {"done"} <= {"invitation_taken", "notice_invitation_invalid"}
    second.refresh_from_db()
    assert second.person in people
