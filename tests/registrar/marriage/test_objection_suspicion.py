"""Reports of a suspected sham or forced marriage: a registrar at the proposal's offices records
one (audited; the couple are not told), a task sends it to the Home Office once, retrying while
the Home Office is away, a sweeper sends those whose message was lost, and staff are alerted when
the attempts run out."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse

from identity import roles
from identity.models import AuditEntry, OutboundMessage
from registrar.marriage import objection_services
from registrar.marriage.home_office.sandbox import SandboxHomeOffice
from registrar.models import Notice, SuspicionReport
from registrar.tasks import marriage_reports
from tests.factories.identity import RegisterOfficeFactory, staff_session
from tests.factories.marriage import make_proposal, notice_answers
from tests.factories.marriage_objections import staff_at

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2027, 3, 10, 12, tzinfo=datetime.UTC)
GOOD = {"kind": "sham", "grounds": "They did not know each other's names at the interview."}


@pytest.fixture
def proposal(db):
    with time_machine.travel(NOW, tick=False):
        return make_proposal(notices="sent")


@pytest.fixture
def registrar(proposal):
    return staff_at(proposal.district, roles.REGISTRAR)


@pytest.fixture
def calls(monkeypatch):
    """Every report the Home Office sandbox was sent."""
    sent = []
    original = SandboxHomeOffice.report_suspicion

    def counting(self, suspicion):
        sent.append(suspicion)
        return original(self, suspicion)

    monkeypatch.setattr(SandboxHomeOffice, "report_suspicion", counting)
    return sent


def _page(proposal):
    return reverse("marriage-staff:suspicion", args=[proposal.reference])


def _unreachable(proposal):
    notice = proposal.notices.get(position=2)
    notice.answers = notice_answers(forenames="Rhys", surname="Homeofficedown")
    notice.save(update_fields=["answers"])


def _reachable(proposal):
    notice = proposal.notices.get(position=2)
    notice.answers = notice_answers(forenames="Rhys", surname="Pritchard")
    notice.save(update_fields=["answers"])


@time_machine.travel(NOW, tick=False)
def test_a_registrar_reports_a_suspicion_and_it_is_sent_once(
    client, proposal, registrar, calls, django_capture_on_commit_callbacks
):
    staff_session(client, registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_page(proposal), GOOD)
    assert response.status_code == 302
    report = SuspicionReport.objects.get()
    assert report.reference.startswith("SR-") and report.kind == "sham" and report.reported_by == registrar
    assert report.sent_at is not None and report.home_office_reference.startswith("HOS-")
    assert report.send_attempts == 1
    assert len(calls) == 1
    assert {person.surname for person in calls[0].people} == {"Morgan", "Pritchard"}
    assert AuditEntry.objects.filter(action="suspicion_report.recorded", object_id=report.reference).exists()
    html = client.get(response["Location"]).content.decode()
    assert report.reference in html and "Sent" in html and report.home_office_reference in html


@time_machine.travel(NOW, tick=False)
def test_the_couple_are_not_told(client, proposal, registrar, django_capture_on_commit_callbacks):
    staff_session(client, registrar)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_page(proposal), GOOD)
    couple = [notice.person.email for notice in proposal.notices.all()]
    assert not OutboundMessage.objects.filter(to__in=couple).exclude(key__startswith="booking:").exists()


@time_machine.travel(NOW, tick=False)
def test_sending_again_sends_nothing_more(proposal, registrar, calls, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = objection_services.report_suspicion(proposal=proposal, actor=registrar, **GOOD)
    assert marriage_reports.send_suspicion_report.delay(report.pk).get() == "already_sent"
    assert marriage_reports.resend_unsent_suspicion_reports() == 0
    report.refresh_from_db()
    assert len(calls) == 1 and report.send_attempts == 1


def test_a_report_survives_a_home_office_outage(proposal, registrar, calls, django_capture_on_commit_callbacks):
    _unreachable(proposal)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report = objection_services.report_suspicion(proposal=proposal, actor=registrar, **GOOD)
        report.refresh_from_db()
        assert report.sent_at is None and report.send_attempts == 1
        # The retry came straight back (eager tasks do not wait): not due yet, so not counted.
        assert len(calls) == 1
        assert marriage_reports.resend_unsent_suspicion_reports() == 0
    _reachable(proposal)
    with time_machine.travel(NOW + datetime.timedelta(seconds=31), tick=False):
        assert marriage_reports.resend_unsent_suspicion_reports() == 1
    report.refresh_from_db()
    assert report.sent_at is not None and report.send_attempts == 2
    assert len(calls) == 2


def test_after_the_last_attempt_staff_are_alerted_once(
    client, proposal, registrar, calls, settings, django_capture_on_commit_callbacks
):
    settings.SUSPICION_REPORT_MAX_ATTEMPTS = 3
    _unreachable(proposal)
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            report = objection_services.report_suspicion(proposal=proposal, actor=registrar, **GOOD)
    for seconds in (31, 91, 211, 451, 931):
        with time_machine.travel(NOW + datetime.timedelta(seconds=seconds), tick=False):
            marriage_reports.resend_unsent_suspicion_reports()
    report.refresh_from_db()
    assert report.sent_at is None and report.send_attempts == 3
    assert len(calls) == 3
    alert = OutboundMessage.objects.get(key=f"suspicion:{report.reference}:not_sent")
    assert alert.to == registrar.email and report.reference in alert.body
    staff_session(client, registrar)
    html = client.get(_page(proposal)).content.decode()
    assert "Could not be sent after 3 attempts" in html


@time_machine.travel(NOW, tick=False)
def test_a_report_whose_message_was_lost_is_sent_by_the_sweeper(proposal, registrar, calls):
    report = objection_services.report_suspicion(proposal=proposal, actor=registrar, **GOOD)  # never committed
    assert report.sent_at is None
    assert marriage_reports.resend_unsent_suspicion_reports() == 0  # too young: its message may be on its way
    with time_machine.travel(NOW + datetime.timedelta(seconds=25), tick=False):
        assert marriage_reports.resend_unsent_suspicion_reports() == 1
    report.refresh_from_db()
    assert report.sent_at is not None and len(calls) == 1


@time_machine.travel(NOW, tick=False)
def test_a_registrar_of_another_office_cannot_report_and_the_role_is_needed(client, proposal):
    stranger = staff_at(RegisterOfficeFactory(), roles.REGISTRAR)
    staff_session(client, stranger)
    assert client.get(_page(proposal)).status_code == 404
    assert client.post(_page(proposal), GOOD).status_code == 404
    support = staff_at(proposal.district, roles.PHONE_SUPPORT)
    staff_session(client, support)
    assert client.post(_page(proposal), GOOD).status_code == 403
    assert not SuspicionReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_registrar_where_a_notice_was_given_may_report(client, proposal):
    elsewhere = RegisterOfficeFactory()
    Notice.objects.filter(proposal=proposal, position=1).update(office=elsewhere)
    staff_session(client, staff_at(elsewhere, roles.REGISTRAR))
    assert client.post(_page(proposal), GOOD).status_code == 302
    assert SuspicionReport.objects.count() == 1


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select what you suspect"),
        ({"kind": "odd", "grounds": "x"}, "Select one of the options"),
        ({"kind": "forced"}, "Enter your grounds"),
        ({"kind": "forced", "grounds": "  "}, "Enter your grounds"),
        ({"kind": "forced", "grounds": "x" * 4001}, "4000 characters"),
        ({"kind": "forced", "grounds": "a\x00b"}, "Null characters are not allowed"),
    ],
)
def test_bad_input_is_a_clear_400_and_nothing_is_saved(client, proposal, registrar, data, message):
    staff_session(client, registrar)
    response = client.post(_page(proposal), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SuspicionReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_unknown_proposal_is_a_404(client, registrar):
    staff_session(client, registrar)
    assert client.get(reverse("marriage-staff:suspicion", args=["MP-NOPE-NOPE"])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_case_panel_shows_each_report_and_whether_it_was_sent(proposal, registrar):
    sent = SuspicionReport.objects.create(
        reference="SR-SENT-0001",
        proposal=proposal,
        kind="forced",
        grounds="x",
        reported_by=registrar,
        sent_at=NOW,
        home_office_reference="HOS-1",
        send_attempts=1,
    )
    waiting = SuspicionReport.objects.create(
        reference="SR-WAIT-0001", proposal=proposal, kind="sham", grounds="y", reported_by=registrar, send_attempts=2
    )
    html = render_to_string(
        "registrar/marriage/staff/_case_suspicion.html", {"proposal": proposal, "notices": proposal.notices.all()}
    )
    assert sent.reference in html and "HOS-1" in html and "Forced marriage or civil partnership" in html
    assert waiting.reference in html and "Not sent yet" in html and "2 attempts so far" in html
    assert reverse("marriage-staff:suspicion", args=[proposal.reference]) in html
