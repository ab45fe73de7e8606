"""The interview's API: staff list their offices' interviews and record outcomes with the staff
page's own form (same words as the page), and the Home Office's client tells its decision. Each
role and office sees only what it may; bad input is a clear 400 in the one error shape."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from identity import roles
from registrar.marriage import interview_referral, interview_services
from registrar.models import Notice, Proposal
from tests.factories.booking import diary_staff
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, UserFactory, api_client, staff_session
from tests.factories.marriage_interview import interviewed_proposal, registrar_of

pytestmark = pytest.mark.django_db

INTERVIEWS = "/api/v1/marriage/interviews"


def outcome_url(notice):
    return f"/api/v1/marriage/interview/notices/{notice.reference}/outcome"


def decision_url(proposal):
    return f"/api/v1/marriage/interview/referrals/{proposal.reference}/decision"


@pytest.fixture
def proposal():
    return interviewed_proposal()


def test_staff_list_their_offices_interviews(proposal):
    elsewhere = interviewed_proposal()
    Notice.objects.filter(proposal=elsewhere).update(office=RegisterOfficeFactory())
    response = api_client(registrar_of(proposal.district)).get(INTERVIEWS)
    assert response.status_code == 200
    references = {row["notice"] for row in response.json()}
    assert {notice.reference for notice in proposal.notices.all()} <= references
    row = next(row for row in response.json() if row["notice"] == proposal.notices.get(position=1).reference)
    assert row["interview_mode"] == "in_person" and row["status"] == "sent"


@pytest.mark.parametrize("role", [roles.PHONE_SUPPORT, roles.SERVICE_ADMIN, roles.AUTHORISED_PERSON, roles.HOME_OFFICE])
def test_other_roles_are_forbidden(proposal, role):
    client = api_client(diary_staff(proposal.district, role=role))
    assert client.get(INTERVIEWS).status_code == 403
    assert client.post(outcome_url(proposal.notices.first()), {"outcome": "given"}, format="json").status_code == 403


def test_a_citizen_is_forbidden(proposal):
    client = api_client(proposal.notices.first().person)
    assert client.get(INTERVIEWS).status_code == 403


def test_not_signed_in_is_401(proposal):
    assert api_client().get(INTERVIEWS).status_code == 401


def test_recording_given_through_the_api(proposal):
    client = api_client(registrar_of(proposal.district))
    notice = proposal.notices.get(position=1)
    response = client.post(outcome_url(notice), {"outcome": "given"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "given" and response.json()["proposal_status"] == "giving_notice"
    response = client.post(outcome_url(proposal.notices.get(position=2)), {"outcome": "given"}, format="json")
    assert response.json()["proposal_status"] == "waiting" and response.json()["home_office"] == "not_needed"


def test_another_offices_notice_is_404(proposal):
    client = api_client(registrar_of(RegisterOfficeFactory()))
    assert client.post(outcome_url(proposal.notices.first()), {"outcome": "given"}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "outcome", "Select the outcome of the interview"),
        ({"outcome": "maybe"}, "outcome", "Select one of the outcomes listed"),
        ({"outcome": "not_accepted"}, "reason", "Enter why the notice was not accepted"),
        ({"outcome": "not_accepted", "reason": "x" * 2001}, "reason", "The reason must be 2000 characters or fewer"),
        ({"outcome": 7}, "outcome", "Select one of the outcomes listed"),
    ],
)
def test_bad_input_is_a_400_with_the_pages_words(proposal, body, field, message):
    client = api_client(registrar_of(proposal.district))
    notice = proposal.notices.get(position=1)
    response = client.post(outcome_url(notice), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"][field] == [message]
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_a_body_that_is_not_an_object_is_a_400(proposal):
    client = api_client(registrar_of(proposal.district))
    assert client.post(outcome_url(proposal.notices.first()), ["given"], format="json").status_code == 400


def test_a_second_outcome_is_refused_with_the_same_words_as_the_page(proposal, client):
    registrar = registrar_of(proposal.district)
    notice = proposal.notices.get(position=1)
    api = api_client(registrar)
    api.post(outcome_url(notice), {"outcome": "given"}, format="json")
    response = api.post(outcome_url(notice), {"outcome": "given"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "interview_already_decided"
    staff_session(client, registrar)
    page = client.post(
        reverse("marriage-staff:interview-outcome", args=[notice.reference]), {"notice1-outcome": "given"}
    )
    assert page.status_code == 409
    assert response.json()["error"]["message"] in page.content.decode()


# --- The Home Office's client ----------------------------------------------------------------------


def _home_office_client():
    client_user = StaffFactory(is_staff=False)
    client_user.groups.add(Group.objects.get(name=roles.HOME_OFFICE))
    return api_client(client_user)


@pytest.fixture
def pending(settings):
    """Both notices given, one person not exempt, the referral sent and waiting for a decision."""
    settings.HOME_OFFICE_ADAPTER = "tests.factories.marriage_interview.LaterHomeOffice"
    proposal = interviewed_proposal(exempt=False)
    registrar = registrar_of(proposal.district)
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.PENDING
    return proposal


def test_the_home_office_tells_its_decision_once(pending):
    client = _home_office_client()
    body = {"decision": "investigating", "reference": pending.home_office_reference}
    response = client.post(decision_url(pending), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["home_office"] == "investigating"
    pending.refresh_from_db()
    assert pending.home_office == Proposal.HomeOffice.INVESTIGATING
    again = client.post(decision_url(pending), body, format="json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "referral_not_pending"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "decision"),
        ({"decision": "perhaps", "reference": "HO-LATER-1"}, "decision"),
        ({"decision": "investigating"}, "reference"),
    ],
)
def test_a_bad_decision_is_a_400(pending, body, field):
    response = _home_office_client().post(decision_url(pending), body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_a_wrong_reference_or_proposal_is_404(pending):
    client = _home_office_client()
    assert (
        client.post(
            decision_url(pending), {"decision": "investigating", "reference": "HO-OTHER"}, format="json"
        ).status_code
        == 404
    )
    other = interviewed_proposal()
    assert (
        client.post(decision_url(other), {"decision": "investigating", "reference": "x"}, format="json").status_code
        == 404
    )


def test_only_the_home_office_tells_decisions(pending):
    body = {"decision": "investigating", "reference": pending.home_office_reference}
    assert (
        api_client(registrar_of(pending.district)).post(decision_url(pending), body, format="json").status_code == 403
    )
    assert api_client(UserFactory()).post(decision_url(pending), body, format="json").status_code == 403
    assert api_client().post(decision_url(pending), body, format="json").status_code == 401
