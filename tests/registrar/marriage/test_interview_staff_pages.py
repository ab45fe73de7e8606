"""The staff pages of the interview: the office's interviews and the notice case page, with the
outcome form. Registrars and superintendent registrars of the case's offices only; bad input is a
clear 400 and nothing is lost; every view is audited."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from identity.models import AuditEntry
from registrar.marriage import interview_referral, interview_services
from registrar.models import Notice, Proposal
from tests.factories.booking import diary_staff
from tests.factories.identity import RegisterOfficeFactory, UserFactory, staff_session
from tests.factories.marriage_interview import book_interview, interviewed_proposal, registrar_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal():
    return interviewed_proposal()


def _signed_in(client, office, role="Registrar"):
    staff = diary_staff(office, role=role)
    staff_session(client, staff)
    return staff


def _case_url(proposal):
    return reverse("marriage-staff:case", args=[proposal.reference])


def _outcome_url(notice):
    return reverse("marriage-staff:interview-outcome", args=[notice.reference])


@pytest.mark.parametrize("role", ["Registrar", "Superintendent registrar"])
def test_the_case_page_shows_both_notices_in_words(client, proposal, role):
    _signed_in(client, proposal.district, role)
    response = client.get(_case_url(proposal))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Notice case {proposal.reference}" in page
    for notice in proposal.notices.all():
        assert notice.reference in page
    assert "Never married or in a civil partnership" in page
    assert "British" in page
    assert "never" not in page.split("<main")[1].split("</main>")[0].replace("Never", "")
    assert "Outcome of the interview" in page
    assert AuditEntry.objects.filter(action="marriage_case.viewed", object_id=proposal.reference).exists()


@pytest.mark.parametrize("role", ["Phone support", "Service admin"])
def test_staff_without_the_permission_are_forbidden(client, proposal, role):
    _signed_in(client, proposal.district, role)
    assert client.get(_case_url(proposal)).status_code == 403
    assert client.get(reverse("marriage-staff:interviews")).status_code == 403
    notice = proposal.notices.get(position=1)
    assert client.post(_outcome_url(notice), {"notice1-outcome": "given"}).status_code == 403


def test_a_registrar_of_another_office_sees_no_such_case(client, proposal):
    _signed_in(client, RegisterOfficeFactory())
    assert client.get(_case_url(proposal)).status_code == 404
    notice = proposal.notices.get(position=1)
    assert client.post(_outcome_url(notice), {"notice1-outcome": "given"}).status_code == 404
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_a_citizen_is_sent_to_the_staff_sign_in(client, proposal):
    client.force_login(UserFactory())
    response = client.get(_case_url(proposal))
    assert response.status_code == 302
    assert "staff" in response["Location"]


def test_an_unknown_reference_is_404(client, proposal):
    _signed_in(client, proposal.district)
    assert client.get(reverse("marriage-staff:case", args=["MP-NOPE"])).status_code == 404
    assert client.post(reverse("marriage-staff:interview-outcome", args=["NT-NOPE"]), {}).status_code == 404


def test_recording_given_on_the_page(client, proposal):
    _signed_in(client, proposal.district)
    notice = proposal.notices.get(position=1)
    response = client.post(_outcome_url(notice), {"notice1-outcome": "given"})
    assert response.status_code == 302
    assert response["Location"] == _case_url(proposal) + "?recorded=1"
    notice.refresh_from_db()
    assert notice.status == Notice.Status.GIVEN
    page = client.get(response["Location"]).content.decode()
    assert "The outcome of the interview is recorded." in page


def test_both_given_on_the_page_starts_the_waiting_period(client, proposal):
    _signed_in(client, proposal.district)
    for notice in proposal.notices.all():
        client.post(_outcome_url(notice), {f"notice{notice.position}-outcome": "given"})
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING
    page = client.get(_case_url(proposal)).content.decode()
    day = (timezone.localdate() + datetime.timedelta(days=29)).strftime("%-d %B %Y")
    assert f"The ceremony may take place from {day}" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the outcome of the interview"),
        ({"notice1-outcome": "maybe"}, "Select one of the outcomes listed"),
        ({"notice1-outcome": "not_accepted", "notice1-reason": "   "}, "Enter why the notice was not accepted"),
        ({"notice1-outcome": "not_accepted", "notice1-reason": "x" * 2001}, "2000 characters or fewer"),
    ],
)
def test_bad_input_is_a_400_with_the_error_and_nothing_changes(client, proposal, data, message):
    _signed_in(client, proposal.district)
    notice = proposal.notices.get(position=1)
    response = client.post(_outcome_url(notice), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT


def test_not_accepted_keeps_the_reason_typed_when_refused(client, proposal):
    _signed_in(client, proposal.district)
    notice = proposal.notices.get(position=1)
    client.post(_outcome_url(notice), {"notice1-outcome": "given"})
    # A second submit from a stale page: refused in words, the reason typed still there.
    response = client.post(_outcome_url(notice), {"notice1-outcome": "not_accepted", "notice1-reason": "Wrong name"})
    assert response.status_code == 409
    assert "already been recorded" in response.content.decode()


def test_an_interview_to_come_offers_no_outcome_form_and_refuses_one(client, proposal):
    _signed_in(client, proposal.district)
    notice = proposal.notices.get(position=1)
    book_interview(notice, on=timezone.localdate() + datetime.timedelta(days=5))
    response = client.post(_outcome_url(notice), {"notice1-outcome": "given"})
    assert response.status_code == 409
    assert "has not taken place yet" in response.content.decode()


def test_the_interviews_list_shows_the_offices_interviews_only(client, proposal):
    _signed_in(client, proposal.district)
    other = interviewed_proposal()
    elsewhere = RegisterOfficeFactory()
    book_interview(other.notices.get(position=1), office=elsewhere)
    response = client.get(reverse("marriage-staff:interviews"))
    assert response.status_code == 200
    page = response.content.decode()
    for notice in proposal.notices.all():
        assert notice.reference in page
    assert other.notices.get(position=1).reference not in page


def test_the_evidence_photo_is_for_the_cases_staff_only_and_audited(client, proposal):
    notice = proposal.notices.get(position=1)
    notice.ending_evidence.save("x.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"), save=True)
    url = reverse("marriage-staff:interview-evidence", args=[notice.reference])
    _signed_in(client, RegisterOfficeFactory())
    assert client.get(url).status_code == 404
    _signed_in(client, proposal.district)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"
    assert AuditEntry.objects.filter(action="marriage_evidence.viewed", object_id=notice.reference).exists()
    assert "Open the photo of the final order" in client.get(_case_url(proposal)).content.decode()


def test_no_evidence_is_404(client, proposal):
    _signed_in(client, proposal.district)
    notice = proposal.notices.get(position=1)
    assert client.get(reverse("marriage-staff:interview-evidence", args=[notice.reference])).status_code == 404


@pytest.fixture
def failed_referral(settings):
    settings.HOME_OFFICE_REFERRAL_MAX_ATTEMPTS = 1
    proposal = interviewed_proposal(exempt=False, surnames=("Morgan", "Homeofficedown"))
    registrar = registrar_of(proposal.district)
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.FAILED
    return proposal


def test_a_failed_referral_is_an_alert_and_sent_again_from_the_case(client, failed_referral):
    _signed_in(client, failed_referral.district)
    interviews = client.get(reverse("marriage-staff:interviews")).content.decode()
    assert "These Home Office referrals could not be sent" in interviews and failed_referral.reference in interviews
    page = client.get(_case_url(failed_referral)).content.decode()
    assert "Referral could not be sent" in page and "Send the referral to the Home Office again" in page
    url = reverse("marriage-staff:interview-referral-again", args=[failed_referral.reference])
    assert client.post(url).status_code == 302
    failed_referral.refresh_from_db()
    # Due again with a fresh count (the task runs once the page's transaction commits).
    assert (failed_referral.home_office, failed_referral.referral_attempts) == (Proposal.HomeOffice.NOT_YET, 0)
    assert AuditEntry.objects.filter(
        action="marriage.referral_sent_again", object_id=failed_referral.reference
    ).exists()
    again = client.post(url)
    assert again.status_code == 409
    assert "That referral is not one that could not be sent." in again.content.decode()


def test_sending_a_referral_again_is_for_the_cases_registrars_only(client, failed_referral):
    url = reverse("marriage-staff:interview-referral-again", args=[failed_referral.reference])
    _signed_in(client, failed_referral.district, "Phone support")
    assert client.post(url).status_code == 403
    _signed_in(client, RegisterOfficeFactory())
    assert client.post(url).status_code == 404
    _signed_in(client, failed_referral.district)
    assert client.get(url).status_code == 405
    failed_referral.refresh_from_db()
    assert failed_referral.home_office == Proposal.HomeOffice.FAILED
