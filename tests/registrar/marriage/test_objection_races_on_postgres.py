"""On PostgreSQL, at the same moment: two superintendent registrars deciding one objection
(one decision wins, and the proposal and booking follow that one), and two workers sending one
suspicion report (the Home Office is sent it once)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from booking.models import Booking
from identity import roles
from identity.models import AuditEntry
from registrar.marriage import objection_services
from registrar.marriage.home_office.sandbox import SandboxHomeOffice
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Objection, Proposal, SuspicionReport
from tests.factories.marriage import make_objection
from tests.factories.marriage_objections import displayed_proposal, staff_at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_decisions_at_once_one_wins_on_postgres():
    proposal = displayed_proposal()
    objection = make_objection(proposal.notices.get(position=1))
    deciders = [staff_at(proposal.district, roles.SUPERINTENDENT_REGISTRAR) for _ in range(2)]
    barrier = threading.Barrier(2)

    def decide(index):
        barrier.wait()
        try:
            objection_services.decide_objection(
                objection=Objection.objects.get(pk=objection.pk),
                actor=deciders[index],
                decision=("dismiss", "uphold")[index],
                reason="Decided.",
            )
            return "decided"
        except MarriageRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(decide, range(2)))
    assert outcomes == ["decided", "objection_decided"]
    objection.refresh_from_db()
    proposal.refresh_from_db()
    ceremony = Booking.objects.get(pk=proposal.ceremony_id)
    if objection.status == Objection.Status.UPHELD:
        assert proposal.status == Proposal.Status.BARRED and ceremony.status == Booking.Status.CANCELLED
    else:
        assert proposal.status == Proposal.Status.WAITING and ceremony.status == Booking.Status.PROVISIONAL
    assert AuditEntry.objects.filter(object_id=objection.reference, action__startswith="objection.").count() == 1


def test_two_workers_send_one_report_once_on_postgres(monkeypatch):
    proposal = displayed_proposal()
    registrar = staff_at(proposal.district, roles.REGISTRAR)
    report = SuspicionReport.objects.create(
        reference="SR-RACE-0001", proposal=proposal, kind="sham", grounds="x", reported_by=registrar
    )
    calls = []
    original = SandboxHomeOffice.report_suspicion

    def slow(self, suspicion):
        calls.append(suspicion.report_reference)
        return original(self, suspicion)

    monkeypatch.setattr(SandboxHomeOffice, "report_suspicion", slow)
    barrier = threading.Barrier(4)

    def send(_index):
        barrier.wait()
        try:
            return objection_services.send_suspicion_report(report_id=report.pk).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(send, range(4)))
    assert outcomes.count("sent") == 1
    assert calls == [report.reference]
    report.refresh_from_db()
    assert report.sent_at is not None
