"""The staff API for casework (`/api/v1/registrar/…`): the queue with filters, a case with its
duplicates and history, decisions and assignment with the JSON error shape for bad input and
refusals, entries and corrections, documented in a schema that validates."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from identity import roles
from identity.models import AuditEntry
from identity.services import issue_api_token
from registrar.models import EntryCorrection, RegisterEvent
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, make_entry

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    token, _ = issue_api_token(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def api(registrar):
    return api_for(registrar)


def _error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


def test_cases_lists_my_offices_waiting_cases_with_filters(api, office, waiting):
    RegistrationFactory(district=RegisterOfficeFactory(code="W-CARDIFF"), reference="RG-ELSE-0001")
    death = RegistrationFactory(district=office, event="death", reference="RG-DEAT-0001", reasons=["coroner"])
    body = api.get("/api/v1/registrar/cases").json()
    assert {case["reference"] for case in body} == {waiting.reference, death.reference}
    assert [c["reference"] for c in api.get("/api/v1/registrar/cases", {"kind": "death"}).json()] == [death.reference]
    assert [c["reference"] for c in api.get("/api/v1/registrar/cases", {"reason": "coroner"}).json()] == [
        death.reference
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"kind": "marriage"}, "kind"),
        ({"older_than_days": "x"}, "older_than_days"),
        ({"deadline_within_days": "-3"}, "deadline_within_days"),
        ({"office": "W-CARDIFF"}, "office"),
        ({"assigned": "bob"}, "assigned"),
    ],
)
def test_bad_case_filters_answer_400_with_the_field(api, waiting, query, field):
    RegisterOfficeFactory(code="W-CARDIFF")
    error = _error(api.get("/api/v1/registrar/cases", query), 400, "invalid")
    assert field in error["fields"]


def test_case_detail_has_answers_duplicates_history_and_open_decisions(api, office, waiting):
    entry = make_entry(district=office, event_date=waiting.event_date)
    body = api.get(f"/api/v1/registrar/cases/{waiting.reference}").json()
    assert body["answers"]["mother"]["surname"] == "Milbanke"
    assert body["decisions"] == ["register", "request_information", "reject"]
    assert body["duplicates"] == [
        {
            "kind": "entry",
            "reference": entry.entry_reference,
            "district": "E-LEEDS",
            "event_date": str(entry.event_date),
        }
    ]
    assert AuditEntry.objects.filter(action="registration_case.viewed", subject=waiting.informant).exists()


def test_decide_then_a_second_decision_is_a_409(api, waiting):
    url = f"/api/v1/registrar/cases/{waiting.reference}/decision"
    response = api.post(url, {"decision": "reject", "reason": "Wrong district"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["actions"][0]["kind"] == "rejected"
    _error(api.post(url, {"decision": "reject", "reason": "Again"}, format="json"), 409, "already_decided")


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"decision": "approve"}, 400, "invalid"),
        ({"decision": "reject"}, 400, "reason_required"),
        ({"decision": "reject", "reason": "x" * 2001}, 400, "invalid"),
        ({"decision": "escalate", "reason": "why"}, 409, "not_late"),
        ({"decision": "authorise", "reason": "why"}, 403, "not_allowed"),
        ("not json at all", 400, "parse_error"),
    ],
)
def test_bad_decisions_answer_the_json_error_shape_and_change_nothing(api, waiting, data, status, code):
    url = f"/api/v1/registrar/cases/{waiting.reference}/decision"
    if isinstance(data, str):
        response = api.post(url, data, content_type="application/json")
    else:
        response = api.post(url, data, format="json")
    _error(response, status, code)
    waiting.refresh_from_db()
    assert waiting.status == "with_registrar"


def test_own_case_is_refused_with_403(office):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    own = RegistrationFactory(district=office, informant=staff)
    response = api_for(staff).post(
        f"/api/v1/registrar/cases/{own.reference}/decision", {"decision": "reject", "reason": "x"}, format="json"
    )
    _error(response, 403, "own_case")


def test_assign_to_me_and_by_email(api, office, registrar, waiting):
    colleague = StaffFactory(roles=[roles.REGISTRAR])
    colleague.offices.add(office)
    url = f"/api/v1/registrar/cases/{waiting.reference}/assignment"
    assert api.post(url, {"assignee": "me"}, format="json").json()["assigned_to"] == registrar.email
    assert api.post(url, {"assignee": colleague.email.upper()}, format="json").json()["assigned_to"] == colleague.email
    _error(api.post(url, {"assignee": "nobody@example.com"}, format="json"), 400, "assignee_not_in_office")
    _error(api.post(url, {}, format="json"), 400, "invalid")


def test_late_registration_escalated_and_authorised_over_the_api(api, office):
    born = timezone.localdate() - datetime.timedelta(days=400)
    late = RegistrationFactory(district=office, event_date=born, deadline=born + datetime.timedelta(days=42))
    url = f"/api/v1/registrar/cases/{late.reference}/decision"
    _error(api.post(url, {"decision": "register"}, format="json"), 409, "authority_needed")
    assert api.post(url, {"decision": "escalate", "reason": "13 months"}, format="json").json()["status"] == (
        "awaiting_authority"
    )
    general = api_for(StaffFactory(roles=[roles.REGISTRAR_GENERAL]))
    body = general.post(url, {"decision": "authorise", "reason": "Records seen"}, format="json").json()
    assert body["status"] == "with_registrar"


def test_find_an_entry_view_it_and_record_a_correction(api, office, waiting):
    entry = make_entry(district=office, registration=waiting)
    found = api.get("/api/v1/registrar/entries", {"reference": waiting.reference}).json()
    assert found["reference"] == entry.entry_reference
    url = f"/api/v1/registrar/entries/E-LEEDS/B/{entry.year}/{entry.number}"
    assert api.get(url).json()["particulars"]["place_of_birth"] == "Leeds"
    response = api.post(
        url + "/corrections",
        {"field": "place_of_birth", "new_value": "York", "reason": "Typo", "evidence": "Notification seen"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["old_value"] == "Leeds"
    body = api.get(url).json()
    assert body["particulars"]["place_of_birth"] == "Leeds" and body["current_particulars"]["place_of_birth"] == "York"
    assert [c["new_value"] for c in api.get(url + "/corrections").json()] == ["York"]
    assert RegisterEvent.objects.filter(kind="corrected").count() == 1


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"field": "place_of_birth", "new_value": "York", "reason": "r"}, 400, "invalid"),
        ({"field": "nope", "new_value": "York", "reason": "r", "evidence": "e"}, 400, "unknown_field"),
        ({"field": "place_of_birth", "new_value": "Leeds", "reason": "r", "evidence": "e"}, 400, "no_change"),
        ({"field": "place_of_birth", "new_value": "y" * 501, "reason": "r", "evidence": "e"}, 400, "invalid"),
    ],
)
def test_bad_corrections_answer_400_and_write_nothing(api, office, data, status, code):
    entry = make_entry(district=office)
    response = api.post(
        f"/api/v1/registrar/entries/E-LEEDS/B/{entry.year}/{entry.number}/corrections", data, format="json"
    )
    _error(response, status, code)
    assert not EntryCorrection.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/registrar/entries?reference=E-LEEDS/B/2026/999999",
        "/api/v1/registrar/entries?reference=",
        "/api/v1/registrar/entries/E-LEEDS/X/2026/1",
        "/api/v1/registrar/entries/E-LEEDS/B/2026/99999",
        "/api/v1/registrar/cases/RG-NONE-0000",
    ],
)
def test_unknown_things_are_a_clean_404_or_400(api, url):
    response = api.get(url)
    assert response.status_code in (400, 404) and response.json()["error"]["code"] in ("not_found", "invalid")


def test_the_registrar_endpoints_are_in_the_schema_and_it_validates(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    paths = schema["paths"]
    assert "/api/v1/registrar/cases/{reference}/decision" in paths
    assert "/api/v1/registrar/entries/{district}/{letter}/{year}/{number}/corrections" in paths
    decision = paths["/api/v1/registrar/cases/{reference}/decision"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(decision["responses"])
