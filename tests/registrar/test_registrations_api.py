"""A citizen's own registrations through the API: create a draft, save answers step by step
(the same checks as the pages), submit, read status; 404 for anyone else's; clear 4xx JSON
errors that lose nothing already saved."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from identity.services import issue_api_token
from registrar.models import Registration
from tests.factories import (
    MedicalCertificateFactory,
    StaffFactory,
    UserFactory,
    birth_answers,
    make_leeds_offices,
    make_registration,
    verify_identity,
)

pytestmark = pytest.mark.django_db

REGISTRATIONS = "/api/v1/registrar/registrations"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def person():
    make_leeds_offices()
    user = UserFactory()
    verify_identity(user)
    return user


BORN = (timezone.localdate() - timedelta(days=7)).isoformat()
BIRTH_STEPS = [
    ("informant", {"qualification": "mother"}),
    (
        "child",
        {"forenames": "Noah", "surname": "Begum", "sex": "male", "date_of_birth": BORN, "multiple_birth": False},
    ),
    ("place", {"place_type": "home", "address": "3 Elm Street, Leeds", "postcode": "LS1 4AP"}),
    (
        "mother",
        {
            "forenames": "Amina",
            "surname": "Begum",
            "date_of_birth": "1994-02-11",
            "place_of_birth": "Bradford",
            "address": "3 Elm Street, Leeds",
        },
    ),
    ("relationship", {"parents_married": False, "register_jointly": False}),
]


def test_a_citizen_registers_a_birth_through_the_api(person, django_capture_on_commit_callbacks):
    client = _client(person)
    response = client.post(REGISTRATIONS, {"event": "birth"}, format="json")
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert response.json()["next_step"] == "informant"
    for step, answers in BIRTH_STEPS:
        response = client.put(f"{REGISTRATIONS}/{reference}/answers/{step}", answers, format="json")
        assert response.status_code == 200, response.json()
    data = response.json()
    assert data["next_step"] == "declaration" and data["missing_steps"] == ["declaration"]
    assert data["district"] == "E-LEEDS" and data["event_date"] == BORN
    assert "father" not in data["steps"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{REGISTRATIONS}/{reference}/submit", {"declaration": True}, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "registered" and data["entry"].startswith("E-LEEDS/B/")
    listing = client.get(REGISTRATIONS).json()
    assert [item["reference"] for item in listing] == [reference]


def test_a_death_through_the_api_gives_the_tell_us_once_reference(person):
    certificate = MedicalCertificateFactory()
    client = _client(person)
    reference = client.post(REGISTRATIONS, {"event": "death"}, format="json").json()["reference"]
    steps = [
        ("informant", {"qualification": "relative_present", "relationship": "Son"}),
        (
            "deceased",
            {
                "forenames": certificate.deceased_given_names,
                "surname": certificate.deceased_surname,
                "sex": "male",
                "date_of_birth": certificate.deceased_date_of_birth.isoformat(),
                "address": "4 Oak Road",
            },
        ),
        (
            "death",
            {
                "date_of_death": certificate.date_of_death.isoformat(),
                "place_of_death": "Hospital",
                "postcode": "LS9 7TF",
            },
        ),
        ("certificate", {"reference": certificate.reference.lower()}),
        ("informant_details", {"full_name": "Tom Pendleton", "address": "4 Oak Road", "postcode": "LS6 1AA"}),
        ("funeral", {"arranger_name": "Tom", "arranger_email": "tom@example.com", "disposal": "burial"}),
    ]
    for step, answers in steps:
        response = client.put(f"{REGISTRATIONS}/{reference}/answers/{step}", answers, format="json")
        assert response.status_code == 200, response.json()
    data = client.post(f"{REGISTRATIONS}/{reference}/submit", {"declaration": True}, format="json").json()
    assert data["status"] == "registered"
    assert data["tell_us_once"]["reference"].startswith("TU-")
    assert "_after_death" not in data["answers"]


def test_another_persons_registration_is_404_everywhere(person):
    theirs = make_registration(informant=UserFactory())
    client = _client(person)
    assert client.get(f"{REGISTRATIONS}/{theirs.reference}").status_code == 404
    response = client.put(f"{REGISTRATIONS}/{theirs.reference}/answers/child", {"forenames": "X"}, format="json")
    assert response.status_code == 404
    assert (
        client.post(f"{REGISTRATIONS}/{theirs.reference}/submit", {"declaration": True}, format="json").status_code
        == 404
    )
    assert client.get(REGISTRATIONS).json() == []
    theirs.refresh_from_db()
    assert theirs.status == Registration.Status.DRAFT


def test_the_api_needs_a_signed_in_citizen(person):
    assert _client().get(REGISTRATIONS).status_code == 401
    assert _client().post(REGISTRATIONS, {"event": "birth"}, format="json").status_code == 401
    staff = _client(StaffFactory(roles=["Registrar"]))
    assert staff.get(REGISTRATIONS).status_code == 403
    assert staff.post(REGISTRATIONS, {"event": "birth"}, format="json").status_code == 403


@pytest.mark.parametrize("body", [{"event": "marriage"}, {}, {"event": None}])
def test_creating_needs_a_birth_or_death(person, body):
    response = _client(person).post(REGISTRATIONS, body, format="json")
    assert response.status_code == 400
    assert "event" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("child", {"forenames": "Noah"}, "surname"),
        ("child", {**BIRTH_STEPS[1][1], "date_of_birth": "2026-02-31"}, "date_of_birth"),
        ("child", {**BIRTH_STEPS[1][1], "date_of_birth": 20260101}, "date_of_birth"),
        ("child", {**BIRTH_STEPS[1][1], "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ("child", {**BIRTH_STEPS[1][1], "sex": ["male"]}, "sex"),
        ("child", {**BIRTH_STEPS[1][1], "multiple_birth": "maybe"}, "multiple_birth"),
        ("child", {**BIRTH_STEPS[1][1], "forenames": {"a": 1}}, "forenames"),
        ("place", {"place_type": "home", "address": "x", "postcode": "ZZZ"}, "postcode"),
        ("informant", {"qualification": "present_at_birth"}, "parents_unable"),
    ],
)
def test_bad_answers_are_a_clear_400_and_keep_what_was_saved(person, step, body, field):
    registration = make_registration(informant=person, answers=birth_answers(declaration=None))
    before = dict(registration.answers)
    response = _client(person).put(f"{REGISTRATIONS}/{registration.reference}/answers/{step}", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"]
    registration.refresh_from_db()
    assert registration.answers == before


@pytest.mark.parametrize("content", ["[1, 2]", '"text"', "not json"])
def test_answers_that_are_not_an_object_are_400(person, content):
    registration = make_registration(informant=person, answers=birth_answers(declaration=None))
    response = _client(person).put(
        f"{REGISTRATIONS}/{registration.reference}/answers/child", content, content_type="application/json"
    )
    assert response.status_code == 400
    assert "error" in response.json()


def test_an_unknown_step_is_404_and_the_declaration_goes_through_submit(person):
    registration = make_registration(informant=person)
    client = _client(person)
    assert client.put(f"{REGISTRATIONS}/{registration.reference}/answers/nope", {}, format="json").status_code == 404
    response = client.put(f"{REGISTRATIONS}/{registration.reference}/answers/declaration", {}, format="json")
    assert response.status_code == 404


def test_a_step_not_asked_is_refused(person):
    registration = make_registration(
        informant=person,
        answers=birth_answers(relationship={"parents_married": False, "register_jointly": False}, declaration=None),
    )
    response = _client(person).put(
        f"{REGISTRATIONS}/{registration.reference}/answers/father", {"forenames": "X"}, format="json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "step_not_asked"


def test_submitting_an_incomplete_registration_lists_the_missing_steps(person):
    registration = make_registration(informant=person, answers=birth_answers(mother=None, father=None))
    response = _client(person).post(
        f"{REGISTRATIONS}/{registration.reference}/submit", {"declaration": True}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "incomplete" and list(error["fields"]) == ["mother", "father"]


def test_submitting_without_the_declaration_is_400(person):
    registration = make_registration(informant=person)
    for body in ({}, {"declaration": False}, {"declaration": "yes please"}):
        response = _client(person).post(f"{REGISTRATIONS}/{registration.reference}/submit", body, format="json")
        assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_a_sent_registration_is_a_409_for_changes_and_resubmission(person):
    registration = make_registration(informant=person, status=Registration.Status.WITH_REGISTRAR)
    client = _client(person)
    response = client.put(f"{REGISTRATIONS}/{registration.reference}/answers/child", BIRTH_STEPS[1][1], format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_editable"
    response = client.post(f"{REGISTRATIONS}/{registration.reference}/submit", {"declaration": True}, format="json")
    assert response.status_code == 409


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    step=st.sampled_from(["informant", "child", "place", "mother", "relationship", "father"]),
    body=st.dictionaries(
        st.sampled_from(
            [
                "qualification",
                "forenames",
                "surname",
                "sex",
                "date_of_birth",
                "multiple_birth",
                "postcode",
                "parents_married",
            ]
        ),
        JSON_VALUES,
        max_size=6,
    ),
)
def test_any_json_answers_get_a_4xx_or_200_never_a_500(person, step, body):
    registration = make_registration(informant=person, answers=birth_answers(declaration=None))
    response = _client(person).put(f"{REGISTRATIONS}/{registration.reference}/answers/{step}", body, format="json")
    assert response.status_code in (200, 400)
