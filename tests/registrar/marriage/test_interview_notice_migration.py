"""Migration registrar 0008 moves the notices booking's retired staff page recorded into the
marriage journey before booking drops them: a proposal per ceremony with a given notice, a notice
per party keeping the day, the office, who recorded it and the appointment; a referred notice keeps
its 70 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from booking.models import Booking
from registrar.marriage import rules
from registrar.models import Notice, Proposal
from tests.factories.booking import book_ceremony, ceremony_slots, diary_staff, make_bookable_office

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("booking", "0006_officer_commitments"), ("registrar", "0007_interview_referral")]
AFTER = [("booking", "0007_retire_notice_of_marriage"), ("registrar", "0008_interview_notices_from_booking")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_recorded_notices_become_proposals_and_notices():
    office, *_rest = make_bookable_office()
    both = book_ceremony(ceremony_slots(office)[0])
    one = book_ceremony(ceremony_slots(office, days_ahead=80)[0])
    none = book_ceremony(ceremony_slots(office, days_ahead=100)[0])
    registrar = diary_staff(office)
    given = timezone.localdate() - timedelta(days=3)

    apps = _migrate(BEFORE)
    NoticeOfMarriage = apps.get_model("booking", "NoticeOfMarriage")
    for party in both.parties.all():
        NoticeOfMarriage.objects.create(
            party_id=party.pk,
            office_id=office.pk,
            given_on=given,
            referred=party.position == 2,
            recorded_by_id=registrar.pk,
        )
    NoticeOfMarriage.objects.create(party_id=one.parties.get(position=1).pk, office_id=office.pk, given_on=given)
    NoticeOfMarriage.objects.create(party_id=none.parties.get(position=1).pk, office_id=office.pk)
    _migrate(AFTER)
    # Every app's latest migration again, so later tests find the schema they expect.
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    proposal = Proposal.objects.get(ceremony=both)
    assert proposal.status == Proposal.Status.WAITING
    assert proposal.home_office == Proposal.HomeOffice.INVESTIGATING
    assert proposal.district == office and proposal.venue == both.room.venue
    notices = list(proposal.notices.order_by("position"))
    assert [notice.status for notice in notices] == [Notice.Status.GIVEN, Notice.Status.GIVEN]
    assert all(notice.given_on == given and notice.office == office for notice in notices)
    assert notices[0].decided_by == registrar and notices[0].display_until == rules.display_until(given)
    assert notices[0].party == both.parties.get(position=1)
    assert rules.waiting_ends(proposal) == given + timedelta(days=71)

    partly = Proposal.objects.get(ceremony=one)
    assert partly.status == Proposal.Status.GIVING_NOTICE
    assert [notice.status for notice in partly.notices.order_by("position")] == ["given", "draft"]
    assert not Proposal.objects.filter(ceremony=none).exists()
    assert Booking.objects.filter(pk=none.pk).exists()
