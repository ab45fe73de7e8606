"""Phone support through the API, with the console's rules: staff tokens need both factors;
people search shows the minimum; a session needs the person's consent code; `On-Behalf-Of`
acts for that person only while the session is open; everything is audited."""

from __future__ import annotations

from datetime import date, timedelta

import pyotp
import pytest
import time_machine
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from booking.models import Booking
from identity import assisted, cases, roles
from identity.models import AuditEntry, IdentityCase, StaffAuthenticator
from tests.factories import (
    STAFF_PASSWORD,
    StaffFactory,
    UserFactory,
    api_client,
    first_api_slot,
    hold_by_api,
    make_bookable_office,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def support():
    """A phone-support member, not signed in to the pages: these tests use the API."""
    return StaffFactory(roles=[roles.PHONE_SUPPORT])


@pytest.fixture
def person():
    return UserFactory(full_name="Sarah Morgan")


def _staff_token(staff, code=None):
    secret = StaffAuthenticator.objects.get(user=staff).secret
    return APIClient().post(
        "/api/v1/auth/staff-token",
        {"email": staff.email, "password": STAFF_PASSWORD, "code": code or pyotp.TOTP(secret).now()},
        format="json",
    )


def test_staff_get_a_token_with_password_and_authenticator_code(support):
    response = _staff_token(support)
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    assert client.get("/api/v1/auth/me").json()["email"] == support.email


def test_a_wrong_code_or_password_gives_one_answer(support):
    wrong_code = _staff_token(support, code="000000")
    assert wrong_code.status_code == 401 and wrong_code.json()["error"]["code"] == "invalid_credentials"
    wrong_password = APIClient().post(
        "/api/v1/auth/staff-token", {"email": support.email, "password": "nope", "code": "123456"}, format="json"
    )
    assert wrong_password.json() == wrong_code.json()
    citizen = APIClient().post(
        "/api/v1/auth/staff-token", {"email": "x@example.com", "password": "nope", "code": "123456"}, format="json"
    )
    assert citizen.status_code == 401


def test_staff_token_bad_input_is_a_clear_400():
    response = APIClient().post("/api/v1/auth/staff-token", {"email": "not-an-email", "code": "12"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"email", "password", "code"}


def test_a_citizen_gets_a_consent_code_and_staff_do_not(person, support):
    response = api_client(person).post("/api/v1/auth/me/consent-code")
    assert response.status_code == 201 and len(response.json()["consent_code"]) == 9
    assert api_client(support).post("/api/v1/auth/me/consent-code").status_code == 403


def test_people_search_shows_the_minimum(support, person):
    case = cases.open_case(person=person)
    response = api_client(support).post("/api/v1/support/people", {"reference": case.reference}, format="json")
    assert response.json() == [
        {"person_id": person.pk, "name": "Sarah Morgan", "reference": case.reference, "stage": "In progress"}
    ]
    assert AuditEntry.objects.filter(action="assisted.search", actor=support).exists()


@pytest.mark.parametrize(
    "query", [{}, {"full_name": "Sarah Morgan"}, {"postcode": "nonsense"}, {"birth_date": "1990-02-31"}]
)
def test_people_search_bad_input_is_a_clear_400(support, query):
    response = api_client(support).post("/api/v1/support/people", query, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.SERVICE_ADMIN])
def test_only_phone_support_uses_the_support_api(person, role):
    client = api_client(StaffFactory(roles=[role]))
    assert client.post("/api/v1/support/people", {"reference": "ID-AAAA-AAAA"}, format="json").status_code == 403
    assert client.post("/api/v1/support/sessions", {"person_id": person.pk, "consent_code": "x"}).status_code == 403
    assert api_client(person).post("/api/v1/support/people", {"reference": "x"}, format="json").status_code == 403
    assert APIClient().get("/api/v1/support/people").status_code == 401


def test_phone_support_books_for_a_person_through_the_api(support, person):
    make_bookable_office()
    client = api_client(support)
    code = assisted.issue_consent_code(person=person)
    opened = client.post("/api/v1/support/sessions", {"person_id": person.pk, "consent_code": code}, format="json")
    assert opened.status_code == 201 and opened.json()["on_behalf_of_header"] == f"On-Behalf-Of: {person.pk}"
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    response = hold_by_api(client, first_api_slot())
    assert response.status_code == 201, response.json()
    assert Booking.objects.get(reference=response.json()["reference"]).person == person
    assert client.get("/api/v1/auth/me").json()["email"] == person.email
    action = AuditEntry.objects.filter(action="assisted.action").get()
    assert (
        action.actor == support and action.on_behalf_of == person and action.detail["path"] == "/api/v1/booking/holds"
    )


def test_on_behalf_of_needs_an_open_session_for_that_person(support, person):
    client = api_client(support)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    refused = client.get("/api/v1/auth/me")
    assert refused.status_code == 403 and "no open assisted session" in refused.json()["error"]["message"]
    session = assisted.open_assisted_session(
        staff=support, person=person, code=assisted.issue_consent_code(person=person)
    )
    assert client.get("/api/v1/auth/me").status_code == 200
    other = UserFactory()
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(other.pk))
    assert client.get("/api/v1/auth/me").status_code == 403
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF="nonsense")
    assert client.get("/api/v1/auth/me").status_code == 403
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    with time_machine.travel(session.expires_at + timedelta(seconds=1)):
        assert client.get("/api/v1/auth/me").status_code == 403


def test_only_phone_support_may_send_on_behalf_of(person):
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    client = api_client(registrar)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    assert client.get("/api/v1/auth/me").status_code == 403
    citizen = api_client(UserFactory())
    citizen.credentials(HTTP_AUTHORIZATION=citizen._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    assert citizen.get("/api/v1/auth/me").status_code == 403


def test_consent_refusals_and_ending_the_session(support, person):
    client = api_client(support)
    assisted.issue_consent_code(person=person)
    wrong = client.post(
        "/api/v1/support/sessions", {"person_id": person.pk, "consent_code": "AAAA-AAAA"}, format="json"
    )
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "consent_incorrect"
    unknown = client.post("/api/v1/support/sessions", {"person_id": 999999, "consent_code": "AAAA-AAAA"}, format="json")
    assert unknown.status_code == 404
    assert client.delete("/api/v1/support/sessions/current").status_code == 404
    assisted.open_assisted_session(staff=support, person=person, code=assisted.issue_consent_code(person=person))
    assert client.delete("/api/v1/support/sessions/current").status_code == 204
    assert assisted.current_session(staff=support) is None


def test_people_search_by_post_keeps_the_name_out_of_the_address(support, person):
    """The same search as GET, with the name, date of birth and postcode in the body."""
    case = cases.open_case(person=person)
    IdentityCase.objects.filter(pk=case.pk).update(
        given_names="Sarah", surname="Morgan", birth_date=date(1990, 5, 1), postcode="LS1 3AD"
    )
    body = {"full_name": "Sarah Morgan", "birth_date": "1990-05-01", "postcode": "ls1 3ad"}
    response = api_client(support).post("/api/v1/support/people", body, format="json")
    assert response.status_code == 200 and [match["person_id"] for match in response.json()] == [person.pk]
    for bad in ({}, {"full_name": "Sarah Morgan"}, {"postcode": "nonsense"}, {"birth_date": "1990-02-31"}):
        response = api_client(support).post("/api/v1/support/people", bad, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    "query",
    [
        {"reference": "ID-AAAA-AAAA"},
        {"full_name": "Sarah Morgan", "birth_date": "1990-05-01", "postcode": "LS1 3AD"},
        {},
    ],
)
def test_a_people_search_in_the_address_is_refused_and_says_to_post(support, person, query):
    case = cases.open_case(person=person)
    query = {"reference": case.reference} if query.get("reference") else query
    response = api_client(support).get("/api/v1/support/people", query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "personal_data_in_address" and "POST" in error["message"]
    assert sorted(error.get("fields", {})) == sorted(query)
    # The personal values are named, never echoed, and nothing was searched or audited.
    assert not any(str(value) in response.content.decode() for value in query.values())
    assert not AuditEntry.objects.filter(action="assisted.search").exists()


def test_the_schema_documents_the_refused_people_search():
    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"]["/api/v1/support/people"]["get"]
    assert (
        operation["deprecated"] is True and "personal_data_in_address" in operation["responses"]["400"]["description"]
    )
    assert "200" not in operation["responses"] and not operation.get("parameters")
