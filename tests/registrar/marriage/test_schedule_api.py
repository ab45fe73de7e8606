"""The schedule API: an authorised person returns a religious marriage's signed schedule, and a
registrar registers a schedule, with the pages' own form; only for their offices; wrong or
duplicate returns are clear 4xx in the one error shape, with the same words as the pages."""

from __future__ import annotations

import datetime
import html

import pytest
from django.urls import reverse

from identity.models import AuditEntry
from registrar.models import Proposal, RegisterEntry, Schedule
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory
from tests.factories.identity import api_client, staff_session
from tests.factories.marriage_schedules import authorised_proposal, day_form, day_json, registrar

pytestmark = pytest.mark.django_db


def _authorised_person(office):
    person = StaffFactory(roles=["Authorised person (API)"], authenticator=False, full_name="Revd Huw Jones")
    person.offices.add(office)
    return person


def _return(schedule):
    return f"/api/v1/schedules/{schedule.reference}/return"


def _register(schedule):
    return f"/api/v1/schedules/{schedule.reference}/register"


@pytest.fixture
def religious():
    return authorised_proposal(form="religious")


def test_an_authorised_person_returns_the_signed_schedule_and_it_is_registered(religious):
    person = _authorised_person(religious.district)
    response = api_client(person).post(_return(religious.schedule), day_json(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    entry = RegisterEntry.objects.get()
    assert body == {
        "schedule": religious.schedule.reference,
        "proposal": religious.reference,
        "status": "registered",
        "entry": entry.entry_reference,
    }
    assert entry.particulars["form"] == "religious" and entry.registered_by == person
    assert entry.particulars["officiants"] == [{"name": "Revd Huw Jones", "role": "Vicar"}]
    schedule = Schedule.objects.get(pk=religious.schedule.pk)
    assert schedule.returned_by == person and schedule.returned_at is not None
    assert AuditEntry.objects.filter(action="marriage.schedule_returned", actor=person).exists()
    duplicate = api_client(person).post(_return(religious.schedule), day_json(), format="json")
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["code"] == "already_registered"
    assert RegisterEntry.objects.count() == 1


def test_an_authorised_person_of_another_office_or_a_citizen_cannot_return_it(religious):
    other = _authorised_person(RegisterOfficeFactory())
    assert api_client(other).post(_return(religious.schedule), day_json(), format="json").status_code == 404
    citizen = api_client(UserFactory()).post(_return(religious.schedule), day_json(), format="json")
    assert citizen.status_code == 403
    assert citizen.json()["error"]["code"]
    assert api_client().post(_return(religious.schedule), day_json(), format="json").status_code == 401
    assert api_client(other).post("/api/v1/schedules/SC-NOPE/return", day_json(), format="json").status_code == 404
    assert not RegisterEntry.objects.exists()


def test_a_civil_schedule_is_not_returned_by_an_authorised_person():
    proposal = authorised_proposal()
    person = _authorised_person(proposal.district)
    response = api_client(person).post(_return(proposal.schedule), day_json(civil=True), format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_form"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"witness_1_date_of_birth": "2020-01-01"}, "witness_1_date_of_birth"),
        ({"ceremony_date": "2026-02-31"}, "ceremony_date"),
        ({"ceremony_date": "tomorrow"}, "ceremony_date"),
        ({"signed": False}, "signed"),
        ({"witness_2_name": ["a", "list"]}, "witness_2_name"),
        ({"correction_1_field": "party1_surname"}, "correction_1_value"),
        ({"correction_1_field": "registrar_secret", "correction_1_value": "x"}, "correction_1_field"),
    ],
)
def test_bad_returns_are_400_with_the_field_and_nothing_is_written(religious, changes, field):
    person = _authorised_person(religious.district)
    response = api_client(person).post(_return(religious.schedule), day_json(**changes), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not RegisterEntry.objects.exists()
    assert Schedule.objects.get(pk=religious.schedule.pk).status == Schedule.Status.ISSUED


def test_a_body_that_is_not_an_object_is_a_400(religious):
    person = _authorised_person(religious.district)
    response = api_client(person).post(_return(religious.schedule), ["not", "an", "object"], format="json")
    assert response.status_code == 400


def test_a_registrar_registers_through_the_staff_api_with_the_same_words_as_the_page(client):
    proposal = authorised_proposal()
    staff = registrar(proposal.district)
    api = api_client(staff)
    under_age = api.post(
        _register(proposal.schedule), day_json(civil=True, witness_2_date_of_birth="2015-05-05"), format="json"
    )
    staff_session(client, staff)
    page = client.post(
        reverse("marriage-staff:ceremony", args=[proposal.reference]),
        day_form(witness_2_date_of_birth_2="2015", witness_2_date_of_birth_1="5", witness_2_date_of_birth_0="5"),
    )
    assert under_age.status_code == 400 and page.status_code == 400
    message = under_age.json()["error"]["fields"]["witness_2_date_of_birth"][0]
    assert message in html.unescape(page.content.decode())
    missing = api.post(_register(proposal.schedule), day_json(), format="json")  # no second officiant
    assert "officiant_2_name" in missing.json()["error"]["fields"]
    done = api.post(_register(proposal.schedule), day_json(civil=True), format="json")
    assert done.status_code == 201
    again_api = api.post(_register(proposal.schedule), day_json(civil=True), format="json")
    again_page = client.post(reverse("marriage-staff:ceremony", args=[proposal.reference]), day_form())
    assert again_api.status_code == 409
    assert again_page.status_code == 409
    assert again_api.json()["error"]["message"] in html.unescape(again_page.content.decode())
    assert RegisterEntry.objects.count() == 1


def test_the_staff_api_is_for_staff_of_the_office_only():
    proposal = authorised_proposal()
    other = registrar(RegisterOfficeFactory())
    assert api_client(other).post(_register(proposal.schedule), day_json(civil=True), format="json").status_code == 404
    person = _authorised_person(proposal.district)
    assert api_client(person).post(_register(proposal.schedule), day_json(civil=True), format="json").status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.AUTHORISED


def test_a_registrar_enters_a_paper_schedule_of_a_religious_marriage(client, religious):
    staff_session(client, registrar(religious.district))
    url = reverse("marriage-staff:paper-schedule", args=[religious.reference])
    page = client.get(url)
    assert page.status_code == 200 and "Register from the paper schedule" in page.content.decode()
    response = client.post(url, day_form(civil=False))
    assert response.status_code == 302
    schedule = Schedule.objects.get(pk=religious.schedule.pk)
    assert schedule.status == Schedule.Status.REGISTERED and schedule.returned_at is not None


def test_a_return_after_the_ceremony_did_not_take_place_or_before_the_wait_ended_is_refused(religious):
    person = _authorised_person(religious.district)
    api = api_client(person)
    too_early = (religious.notices.first().given_on + datetime.timedelta(days=5)).isoformat()
    early = api.post(_return(religious.schedule), day_json(ceremony_date=too_early), format="json")
    assert early.status_code == 409 and early.json()["error"]["code"] == "date_outside_notices"
    Schedule.objects.filter(pk=religious.schedule.pk).update(status=Schedule.Status.NOT_TAKEN_PLACE)
    Proposal.objects.filter(pk=religious.pk).update(status=Proposal.Status.NOT_TAKEN_PLACE)
    gone = api.post(_return(religious.schedule), day_json(), format="json")
    assert gone.status_code == 409 and gone.json()["error"]["code"] == "not_registrable"
    assert not RegisterEntry.objects.exists()
