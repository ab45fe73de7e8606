"""Fixtures of the staff-taken registration tests: Leeds and Garforth offices, a registrar of
Leeds and one of Garforth, phone support with an open assisted session, and helpers that walk
the staff pages as a registrar would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from identity import assisted, roles
from registrar.models import Registration
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    birth_pages,
    date_fields,
    make_leeds_offices,
    staff_session,
    verify_identity,
)

BASE = "/staff/registrar/taken/"


@pytest.fixture
def leeds_offices():
    return make_leeds_offices()


@pytest.fixture
def leeds_registrar(leeds_offices):
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Ann Registrar")
    staff.offices.add(leeds_offices[0])
    return staff


@pytest.fixture
def garforth_registrar(leeds_offices):
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Gary Other")
    staff.offices.add(leeds_offices[1])
    return staff


@pytest.fixture
def at_desk(client, leeds_registrar):
    """The Leeds registrar, signed in."""
    staff_session(client, leeds_registrar)
    return leeds_registrar


@pytest.fixture
def caller():
    person = UserFactory(email="emma@example.com", full_name="Emma Hartley")
    verify_identity(person)
    return person


@pytest.fixture
def phone_support(client, leeds_offices, caller):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT], full_name="Phil Support")
    staff_session(client, staff)
    assisted.open_assisted_session(staff=staff, person=caller, code=assisted.issue_consent_code(person=caller))
    return staff


def step(client, registration, name, data, expect=302):
    response = client.post(f"{BASE}{registration.reference}/{name}/", data)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def take_in_person(client, event="birth", **informant):
    """Start one at the desk: the event, then the informant and the documents seen."""
    assert client.post(BASE, {"event": event}).status_code == 302
    data = {"full_name": "Emma Hartley", "email": "", "mobile": "", "documents": "Passport 123456789", **informant}
    response = client.post(f"{BASE}informant/?event={event}", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return Registration.objects.order_by("-created_at").first()


def answer_birth(client, registration, born, *, late_reason=None):
    pages = birth_pages(born)
    step(client, registration, "informant", {"qualification": "mother"})
    step(client, registration, "child", pages["child"])
    step(client, registration, "place", pages["place"])
    step(client, registration, "mother", pages["mother"])
    step(client, registration, "relationship", {"parents_married": "yes"})
    step(client, registration, "father", pages["father"])
    if late_reason is not None:
        step(client, registration, "late_reason", {"reason": late_reason})
    registration.refresh_from_db()
    return registration


@pytest.fixture
def mccd(leeds_offices):
    return MedicalCertificateFactory(reference="MCCD-880001")


def answer_death(client, registration, certificate):
    step(client, registration, "informant", {"qualification": "relative_present", "relationship": "Daughter"})
    step(
        client,
        registration,
        "deceased",
        {
            "forenames": certificate.deceased_given_names,
            "surname": certificate.deceased_surname,
            "sex": "male",
            "address": "4 Oak Road, Leeds",
            "postcode": "LS6 1AA",
            **date_fields("date_of_birth", certificate.deceased_date_of_birth),
        },
    )
    step(
        client,
        registration,
        "death",
        {
            "place_of_death": "St James's Hospital",
            "postcode": "LS9 7TF",
            **date_fields("date_of_death", certificate.date_of_death),
        },
    )
    step(client, registration, "certificate", {"reference": certificate.reference})
    step(
        client,
        registration,
        "informant_details",
        {"full_name": "Susan Pendleton", "address": "4 Oak Road", "postcode": "LS6 1AA"},
    )
    step(
        client,
        registration,
        "funeral",
        {"arranger_name": "Susan Pendleton", "arranger_email": "funerals@example.com", "disposal": "cremation"},
    )
    registration.refresh_from_db()
    return registration


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)
