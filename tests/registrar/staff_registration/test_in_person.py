"""A registrar at the office takes a birth or death for someone in person: the same questions,
forms and rules as online, the informant's identity established by documents the registrar
saw, the declaration read to and signed by the informant, and the entry names the registrar."""

from __future__ import annotations

import pytest
from django.utils import timezone

from identity import roles
from identity.models import AuditEntry
from registrar.models import RegisterEntry, Registration
from registrar.rules import add_months
from tests.factories import StaffFactory, birth_pages, staff_session

from .conftest import BASE, answer_birth, answer_death, days_ago, step, take_in_person

pytestmark = pytest.mark.django_db


def declare_in_person(client, registration, expect=302):
    response = client.post(
        f"{BASE}{registration.reference}/declaration/", {"action": "in_person", "read_and_signed": "on"}
    )
    assert response.status_code == expect, response.content.decode()[:3000]
    registration.refresh_from_db()
    return response


def test_a_registrar_registers_a_birth_in_person_and_the_entry_says_how_it_was_declared(client, at_desk):
    registration = take_in_person(client)
    assert registration.made_by == at_desk and registration.informant_documents == "Passport 123456789"
    assert not registration.informant.is_staff and registration.informant.email.endswith("@no-email.invalid")
    answer_birth(client, registration, days_ago(9))
    check = client.get(f"{BASE}{registration.reference}/check/")
    assert check.status_code == 200 and "Olivia Rose" in check.content.decode()
    assert "Taken in person by Ann Registrar" in check.content.decode()

    declare_in_person(client, registration)

    assert registration.status == Registration.Status.REGISTERED
    assert registration.declaration_method == Registration.DeclarationMethod.IN_PERSON
    assert registration.declaration_witnessed_by == at_desk and registration.declared_at is not None
    entry = RegisterEntry.objects.get(registration=registration)
    assert entry.registered_by == at_desk and not entry.registered_automatically
    assert entry.particulars["informant_name"] == "Emma Hartley"
    page = client.get(f"/staff/registrar/entries/{entry.district.code}/B/{entry.year}/{entry.number}/").content.decode()
    assert "Taken in person by Ann Registrar" in page and "Documents seen: Passport 123456789" in page
    assert "Declaration read to and signed by the informant before Ann Registrar" in page
    declared = AuditEntry.objects.get(action="staff_registration.declared", actor=at_desk)
    assert declared.object_id == registration.reference and declared.detail["method"] == "in_person"
    assert AuditEntry.objects.filter(action="staff_registration.viewed", actor=at_desk).exists()


def test_a_registrar_registers_a_death_in_person(client, at_desk, mccd):
    registration = take_in_person(client, event="death", full_name="Susan Pendleton", email="susan@example.com")
    assert registration.informant.email == "susan@example.com"
    answer_death(client, registration, mccd)

    declare_in_person(client, registration)

    assert registration.status == Registration.Status.REGISTERED
    assert registration.answers["_after_death"]["tell_us_once"].startswith("TU")
    entry = registration.entry
    assert entry.event == "death" and entry.registered_by == at_desk
    assert entry.particulars["cause_of_death"] == mccd.cause_of_death


def test_an_existing_account_is_found_by_its_email_and_not_changed(client, at_desk, caller):
    registration = take_in_person(client, email="EMMA@example.com", full_name="Someone Else", mobile="07700900982")
    caller.refresh_from_db()
    assert registration.informant == caller
    assert caller.full_name == "Emma Hartley" and caller.mobile_number == ""


def test_a_two_month_late_birth_taken_in_person_needs_the_reason(client, at_desk):
    born = add_months(timezone.localdate(), -2)
    registration = take_in_person(client)
    registration = answer_birth(client, registration, born)
    # Without the reason the declaration page sends the registrar back to the question.
    response = client.get(f"{BASE}{registration.reference}/declaration/")
    assert response.status_code == 302 and response["Location"].endswith("/late_reason/")
    refused = client.post(
        f"{BASE}{registration.reference}/declaration/", {"action": "in_person", "read_and_signed": "on"}
    )
    assert refused.status_code == 302 and refused["Location"].endswith("/late_reason/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT

    step(client, registration, "late_reason", {"reason": "The mother was in hospital"})
    declare_in_person(client, registration)
    assert registration.status == Registration.Status.REGISTERED
    assert not registration.entry.late_authority


def test_a_five_month_late_birth_taken_in_person_goes_to_the_special_procedure(client, at_desk):
    registration = answer_birth(client, take_in_person(client), add_months(timezone.localdate(), -5), late_reason="x")
    declare_in_person(client, registration)
    assert registration.status == Registration.Status.WITH_REGISTRAR
    assert registration.reasons == ["late_special_procedure"]


def test_a_fourteen_month_late_birth_taken_in_person_needs_the_registrar_generals_authority(client, at_desk):
    registration = take_in_person(client)
    registration = answer_birth(client, registration, add_months(timezone.localdate(), -14), late_reason="Abroad")

    declare_in_person(client, registration)

    assert registration.status == Registration.Status.AWAITING_AUTHORITY
    assert "late_needs_authority" in registration.reasons
    assert not RegisterEntry.objects.filter(registration=registration).exists()
    queue = client.get("/staff/registrar/").content.decode()
    assert registration.reference in queue and "Taken in person by Ann Registrar" in queue
    case = client.get(f"/staff/registrar/cases/{registration.reference}/").content.decode()
    assert "Taken in person by Ann Registrar" in case and "Documents seen: Passport 123456789" in case
    assert "Declaration read to and signed by the informant before Ann Registrar" in case


def test_a_registrar_of_another_office_is_refused(client, garforth_registrar):
    staff_session(client, garforth_registrar)
    registration = take_in_person(client)
    pages_before = dict(registration.answers)
    step(client, registration, "informant", {"qualification": "mother"})
    step(client, registration, "child", birth_pages(days_ago(3))["child"])
    # The place of birth is in Leeds, which the Garforth registrar does not cover.
    refused = step(client, registration, "place", birth_pages(days_ago(3))["place"], expect=403)
    assert "registrar of that district must take" in refused.content.decode()
    registration.refresh_from_db()
    assert "place" not in registration.answers and registration.district is None
    assert pages_before.keys() <= registration.answers.keys()


def test_a_registrar_cannot_open_another_offices_registration(client, at_desk, garforth_registrar):
    registration = answer_birth(client, take_in_person(client), days_ago(4))
    staff_session(client, garforth_registrar)
    for path in ("", "check/", "declaration/", "child/"):
        assert client.get(f"{BASE}{registration.reference}/{path}").status_code == 404
    response = client.post(
        f"{BASE}{registration.reference}/declaration/", {"action": "in_person", "read_and_signed": "on"}
    )
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_nothing_registers_without_the_declaration(client, at_desk):
    registration = answer_birth(client, take_in_person(client), days_ago(4))
    response = client.post(f"{BASE}{registration.reference}/declaration/", {"action": "in_person"})
    assert response.status_code == 400
    assert "Confirm that you read the declaration to the informant" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT and not registration.declared_at
    assert client.get(f"{BASE}{registration.reference}/declaration/").status_code == 200


def test_phone_support_cannot_take_a_registration_in_person(client, leeds_offices):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    staff_session(client, staff)
    response = client.post(f"{BASE}informant/?event=birth", {"full_name": "X", "documents": "Passport"})
    assert response.status_code == 403
    assert client.get(BASE).status_code == 403
    assert not Registration.objects.exists()
