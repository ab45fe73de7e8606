"""The superintendent registrar's authority: issued by the daily task when the wait is over, or
from the case panel by a superintendent registrar of the office; the booking is confirmed and
the schedule made from both notices with ages on the ceremony date; refused clearly otherwise."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from identity.models import AuditEntry, OutboundMessage
from registrar.marriage import schedule_selectors, schedule_services
from registrar.marriage.refusals import MarriageRefused
from registrar.models import Proposal, Schedule
from registrar.tasks import marriage_schedules
from tests.factories import RegisterOfficeFactory, UserFactory
from tests.factories.identity import staff_session
from tests.factories.marriage import civil_ceremony, make_objection, make_proposal, notice_answers
from tests.factories.marriage_schedules import authorised_proposal, due_proposal, registrar, superintendent

pytestmark = pytest.mark.django_db


def test_the_daily_task_issues_a_due_authority_once_and_confirms_the_ceremony():
    proposal = due_proposal()
    assert marriage_schedules.issue_due_authorities() == 1
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AUTHORISED
    assert proposal.ceremony.status == "confirmed"
    assert proposal.authority_issued_by is None
    schedule = proposal.schedule
    assert schedule.reference.startswith("SC")
    assert marriage_schedules.issue_due_authorities() == 0
    assert marriage_schedules.issue_authority(proposal.pk) is False
    assert Schedule.objects.filter(proposal=proposal).count() == 1
    assert OutboundMessage.objects.filter(key__startswith=f"marriage:{proposal.reference}:authority").count() == 2


def test_the_schedule_holds_both_notices_particulars_with_ages_on_the_ceremony_date():
    proposal = authorised_proposal()
    particulars = proposal.schedule.particulars
    day = schedule_selectors.ceremony_date(proposal)
    assert particulars["party1_surname"] == "Morgan"
    assert particulars["party2_forenames"] == "Rhys"
    assert particulars["party1_age"] == str(schedule_selectors.rules.age_on(datetime.date(1990, 3, 11), day))
    assert particulars["date_of_marriage"] == day.isoformat()
    assert particulars["party1_parents"][0]["forenames"] == "Ann"
    assert particulars["form"] == "civil" and particulars["schedule"] == proposal.schedule.reference


def test_a_civil_partnership_schedule_has_the_date_and_place_of_formation():
    proposal = authorised_proposal(kind="civil_partnership")
    assert "date_of_formation" in proposal.schedule.particulars
    assert proposal.schedule.particulars["place_of_formation"]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("still_waiting", "still_waiting"),
        ("objection", "objection_open"),
        ("under_age", "party_under_age"),
    ],
)
def test_an_authority_that_cannot_be_issued_is_refused_with_its_reason(setup, code):
    if setup == "still_waiting":
        proposal = make_proposal(notices="given")
    elif setup == "objection":
        proposal = due_proposal()
        make_objection(proposal.notices.first())
    else:
        ceremony = civil_ceremony()
        ceremony_day = timezone.localtime(ceremony.starts_at).date()
        young = ceremony_day.replace(year=ceremony_day.year - 18) + datetime.timedelta(days=1)
        proposal = due_proposal(
            ceremony=ceremony,
            answers=(notice_answers(born=young), notice_answers(forenames="Rhys", surname="Pritchard")),
        )
    with pytest.raises(MarriageRefused) as refused:
        schedule_services.issue_authority(proposal)
    assert refused.value.code == code
    assert refused.value.status in (409,)
    assert not Schedule.objects.filter(proposal=proposal).exists()
    assert schedule_services.due_authorities(today=timezone.localdate()) == []


def test_eighteen_on_the_ceremony_day_itself_is_old_enough():
    ceremony = civil_ceremony()
    day = timezone.localtime(ceremony.starts_at).date()
    eighteenth = day.replace(year=day.year - 18)
    proposal = due_proposal(
        ceremony=ceremony,
        answers=(notice_answers(born=eighteenth), notice_answers(forenames="Rhys", surname="Pritchard")),
    )
    schedule = schedule_services.issue_authority(proposal)
    assert schedule.particulars["party1_age"] == "18"


def test_a_superintendent_registrar_issues_it_from_the_case_panel_and_it_is_audited(client):
    proposal = due_proposal()
    staff = superintendent(proposal.district)
    staff_session(client, staff)
    response = client.post(reverse("marriage-staff:schedule-authority", args=[proposal.reference]))
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.AUTHORISED and proposal.authority_issued_by == staff
    assert AuditEntry.objects.filter(action="marriage.authority_issued", actor=staff).exists()
    again = client.post(reverse("marriage-staff:schedule-authority", args=[proposal.reference]))
    assert again.status_code == 409
    assert "already issued" in again.content.decode()


def test_a_registrar_cannot_issue_the_authority_and_another_office_sees_nothing(client):
    proposal = due_proposal()
    staff_session(client, registrar(proposal.district))
    response = client.post(reverse("marriage-staff:schedule-authority", args=[proposal.reference]))
    assert response.status_code == 403
    client.logout()
    staff_session(client, superintendent(RegisterOfficeFactory()))
    response = client.post(reverse("marriage-staff:schedule-authority", args=[proposal.reference]))
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WAITING


def test_the_case_panel_offers_the_authority_only_when_it_can_be_issued():
    from django.template.loader import render_to_string

    proposal = due_proposal()
    staff = superintendent(proposal.district)
    html = render_to_string("registrar/marriage/staff/_case_schedule.html", {"proposal": proposal, "user": staff})
    assert reverse("marriage-staff:schedule-authority", args=[proposal.reference]) in html
    waiting = make_proposal(notices="given")
    html = render_to_string("registrar/marriage/staff/_case_schedule.html", {"proposal": waiting, "user": staff})
    assert "waiting period after notice has not ended" in html


def test_the_couple_see_a_religious_schedule_and_print_it_and_nobody_else_can(client):
    proposal = authorised_proposal(form="religious")
    person = proposal.notices.first().person
    client.force_login(person)
    page = client.get(reverse("marriage:schedule", args=[proposal.reference]))
    assert page.status_code == 200
    assert proposal.schedule.reference in page.content.decode()
    assert reverse("marriage:schedule-pdf", args=[proposal.reference]) in page.content.decode()
    pdf = client.get(reverse("marriage:schedule-pdf", args=[proposal.reference]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    client.force_login(UserFactory())
    assert client.get(reverse("marriage:schedule", args=[proposal.reference])).status_code == 404
    assert client.get(reverse("marriage:schedule-pdf", args=[proposal.reference])).status_code == 404
    assert client.get(reverse("marriage:schedule", args=["MP-NOPE"])).status_code == 404
