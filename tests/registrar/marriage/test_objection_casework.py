"""Objections as casework: open ones are cases in the registrar queue and on the objections page;
a superintendent registrar at the notice's office or the ceremony's district dismisses or upholds
one with a reason; upheld, no authority can be issued and the ceremony booking is released."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from booking.models import Booking
from identity import roles
from identity.models import AuditEntry, OutboundMessage
from registrar.marriage import rules
from registrar.models import Objection, Proposal
from tests.factories.identity import RegisterOfficeFactory, api_client, staff_session
from tests.factories.marriage import make_objection
from tests.factories.marriage_objections import displayed_proposal, staff_at

pytestmark = pytest.mark.django_db

GIVEN = datetime.date(2027, 3, 1)
NOW = datetime.datetime(2027, 3, 10, 12)


@pytest.fixture
def objection(db):
    with time_machine.travel(NOW, tick=False):
        proposal = displayed_proposal(given_on=GIVEN)
        return make_objection(proposal.notices.get(position=2), grounds="He is already married to someone else.")


@pytest.fixture
def superintendent(objection):
    return staff_at(objection.notice.office, roles.SUPERINTENDENT_REGISTRAR)


@pytest.fixture
def registrar(objection):
    return staff_at(objection.notice.office, roles.REGISTRAR)


def _page(objection):
    return reverse("marriage-staff:objection", args=[objection.reference])


def _decide(client, objection, decision="dismiss", reason="The earlier marriage ended in divorce in 2021."):
    return client.post(_page(objection), {"decision": decision, "reason": reason})


@time_machine.travel(NOW, tick=False)
def test_an_open_objection_is_a_case_in_the_registrar_queue_in_words(client, objection, registrar):
    staff_session(client, registrar)
    html = client.get(reverse("registrar-staff:queue")).content.decode()
    assert objection.reference in html
    assert "Objection to a notice" in html and "Waiting for a decision" in html
    assert f"Notice {objection.notice.reference}" in html
    assert _page(objection) in html


@time_machine.travel(NOW, tick=False)
def test_the_queue_filters_objections_by_kind_and_office(client, objection, registrar):
    staff_session(client, registrar)
    queue = reverse("registrar-staff:queue")
    assert objection.reference in client.get(queue, {"kind": "objection"}).content.decode()
    assert objection.reference not in client.get(queue, {"kind": "birth"}).content.decode()
    office = objection.notice.office.code
    assert objection.reference in client.get(queue, {"kind": "objection", "office": office}).content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_decided_objection_leaves_the_queue(client, objection, registrar):
    Objection.objects.filter(pk=objection.pk).update(status="dismissed")
    staff_session(client, registrar)
    assert objection.reference not in client.get(reverse("registrar-staff:queue")).content.decode()
    assert objection.reference not in client.get(reverse("marriage-staff:objections")).content.decode()


@time_machine.travel(NOW, tick=False)
def test_another_offices_staff_do_not_see_it(client, objection):
    stranger = staff_at(RegisterOfficeFactory(), roles.SUPERINTENDENT_REGISTRAR)
    staff_session(client, stranger)
    assert objection.reference not in client.get(reverse("registrar-staff:queue")).content.decode()
    assert objection.reference not in client.get(reverse("marriage-staff:objections")).content.decode()
    assert client.get(_page(objection)).status_code == 404
    assert _decide(client, objection).status_code == 404
    assert api_client(stranger).get(f"/api/v1/marriage/objections/{objection.reference}").status_code == 404
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


@time_machine.travel(NOW, tick=False)
def test_the_registrar_queue_api_lists_registrations_only(objection, registrar):
    response = api_client(registrar).get("/api/v1/registrar/cases")
    assert response.status_code == 200
    assert objection.reference not in str(response.json())


@time_machine.travel(NOW, tick=False)
def test_the_objection_page_shows_the_grounds_the_notice_and_the_proposal(client, objection, registrar):
    staff_session(client, registrar)
    html = client.get(reverse("marriage-staff:objections")).content.decode()
    assert objection.reference in html
    page = client.get(_page(objection))
    html = page.content.decode()
    assert page.status_code == 200
    assert "He is already married to someone else." in html
    assert objection.notice.reference in html and "Rhys Pritchard" in html
    assert objection.notice.proposal.reference in html and "Waiting period" in html
    assert "Pat Objector" in html
    assert AuditEntry.objects.filter(action="objection.viewed", object_id=objection.reference).exists()


@time_machine.travel(NOW, tick=False)
def test_a_registrar_who_is_not_a_superintendent_cannot_decide(client, objection, registrar):
    staff_session(client, registrar)
    html = client.get(_page(objection)).content.decode()
    assert 'name="decision"' not in html
    assert "Only a superintendent registrar can decide an objection." in html
    refused = _decide(client, objection, "uphold")
    assert refused.status_code == 403
    api = api_client(registrar).post(
        f"/api/v1/marriage/objections/{objection.reference}/decision",
        {"decision": "uphold", "reason": "x"},
        format="json",
    )
    assert api.status_code == 403 and api.json()["error"]["code"] == "not_superintendent"
    assert api.json()["error"]["message"] in refused.content.decode()
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


@time_machine.travel(NOW, tick=False)
def test_people_without_the_role_cannot_open_objections(client, objection):
    support = staff_at(objection.notice.office, roles.PHONE_SUPPORT)
    staff_session(client, support)
    assert client.get(reverse("marriage-staff:objections")).status_code == 403
    assert client.get(_page(objection)).status_code == 403
    assert api_client(support).get("/api/v1/marriage/objections").status_code == 403
    citizen = objection.notice.person
    assert api_client(citizen).get("/api/v1/marriage/objections").status_code == 403
    assert client.logout() is None
    assert client.get(_page(objection)).status_code == 302  # to the staff sign-in


@time_machine.travel(NOW, tick=False)
def test_dismissing_lets_the_marriage_go_ahead_and_is_audited(client, objection, superintendent):
    staff_session(client, superintendent)
    response = _decide(client, objection)
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    assert objection.decided_by == superintendent
    assert objection.decision_reason == "The earlier marriage ended in divorce in 2021."
    proposal = objection.notice.proposal
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING
    assert rules.authority_problem(proposal, today=datetime.date(2027, 4, 1)) is None
    entry = AuditEntry.objects.get(action="objection.dismissed")
    assert entry.object_id == objection.reference and entry.subject == objection.notice.person
    assert OutboundMessage.objects.filter(key__startswith=f"objection:{objection.reference}:decided").count() == 3
    assert "Decision recorded: Dismissed" in client.get(response["Location"]).content.decode()


@time_machine.travel(NOW, tick=False)
def test_an_upheld_objection_bars_the_authority_and_releases_the_booking(client, objection, superintendent):
    proposal = objection.notice.proposal
    ceremony = proposal.ceremony
    assert ceremony.status == Booking.Status.PROVISIONAL
    staff_session(client, superintendent)
    assert _decide(client, objection, "uphold", "He is married: we found the entry.").status_code == 302
    objection.refresh_from_db()
    proposal.refresh_from_db()
    ceremony.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD
    assert proposal.status == Proposal.Status.BARRED
    assert rules.authority_problem(proposal, today=datetime.date(2027, 4, 1)) == "objection_upheld"
    assert ceremony.status == Booking.Status.CANCELLED
    assert not ceremony.occupancies.filter(active=True).exists()
    couple = {notice.person.email for notice in proposal.notices.all()}
    upheld = OutboundMessage.objects.filter(to__in=couple, key__contains=":decided:")
    assert upheld.count() == 2 and all("upheld" in message.body for message in upheld)
    assert AuditEntry.objects.filter(action="objection.upheld", object_id=objection.reference).exists()


@time_machine.travel(NOW, tick=False)
def test_the_superintendent_of_the_ceremonys_district_may_decide_too(client):
    proposal = displayed_proposal(given_on=GIVEN)
    notice = proposal.notices.get(position=1)
    notice.office = RegisterOfficeFactory()
    notice.save(update_fields=["office"])
    objection = make_objection(notice)
    at_ceremony = staff_at(proposal.district, roles.SUPERINTENDENT_REGISTRAR)
    staff_session(client, at_ceremony)
    assert _decide(client, objection).status_code == 302
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED


@time_machine.travel(NOW, tick=False)
def test_an_objection_is_decided_once(client, objection, superintendent):
    staff_session(client, superintendent)
    assert _decide(client, objection).status_code == 302
    again = _decide(client, objection, "uphold")
    assert again.status_code == 409
    assert "already been decided" in again.content.decode()
    api = api_client(superintendent).post(
        f"/api/v1/marriage/objections/{objection.reference}/decision",
        {"decision": "uphold", "reason": "again"},
        format="json",
    )
    assert api.status_code == 409 and api.json()["error"]["code"] == "objection_decided"
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select a decision"),
        ({"decision": "maybe", "reason": "x"}, "Select one of the decisions listed"),
        ({"decision": "uphold"}, "Enter the reason for your decision"),
        ({"decision": "uphold", "reason": "   "}, "Enter the reason for your decision"),
        ({"decision": "uphold", "reason": "x" * 2001}, "2000 characters"),
    ],
)
def test_a_bad_decision_is_a_clear_400_and_changes_nothing(client, objection, superintendent, data, message):
    staff_session(client, superintendent)
    page = client.post(_page(objection), data)
    assert page.status_code == 400 and message in page.content.decode()
    api = api_client(superintendent).post(
        f"/api/v1/marriage/objections/{objection.reference}/decision", data, format="json"
    )
    assert api.status_code == 400 and api.json()["error"]["code"] == "invalid"
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OPEN


@time_machine.travel(NOW, tick=False)
def test_an_unknown_objection_is_a_404(client, superintendent):
    staff_session(client, superintendent)
    for reference in ("OB-NOPE-NOPE", "x" * 300):
        assert client.get(reverse("marriage-staff:objection", args=[reference])).status_code == 404
    assert api_client(superintendent).get("/api/v1/marriage/objections/OB-NOPE-NOPE").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_staff_api_lists_reads_and_decides_with_the_same_rules(objection, superintendent):
    client = api_client(superintendent)
    listed = client.get("/api/v1/marriage/objections").json()
    assert [row["reference"] for row in listed] == [objection.reference]
    assert listed[0]["status_label"] == "Waiting for a decision"
    detail = client.get(f"/api/v1/marriage/objections/{objection.reference}").json()
    assert detail["grounds"] == objection.grounds and detail["may_decide"] is True
    decided = client.post(
        f"/api/v1/marriage/objections/{objection.reference}/decision",
        {"decision": "uphold", "reason": "Proven."},
        format="json",
    )
    assert decided.status_code == 200
    assert decided.json()["status"] == "upheld" and decided.json()["proposal_status"] == "barred"
    assert client.get("/api/v1/marriage/objections").json() == []


@time_machine.travel(NOW, tick=False)
def test_the_case_panel_lists_the_objections(rf, objection):
    from django.template.loader import render_to_string

    proposal = objection.notice.proposal
    html = render_to_string(
        "registrar/marriage/staff/_case_objections.html", {"proposal": proposal, "notices": proposal.notices.all()}
    )
    assert objection.reference in html and "Waiting for a decision" in html
