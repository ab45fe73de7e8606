"""API sign-in: POST /api/v1/auth/code always answers 202, /auth/token swaps a code for a
bearer token, errors are one JSON shape, tokens expire and can be revoked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from identity.models import ApiToken
from tests.conftest import latest_code_for
from tests.factories import STAFF_PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api():
    return APIClient()


def _token(api, email="ada@example.com"):
    api.post("/api/v1/auth/code", {"email": email}, format="json")
    response = api.post("/api/v1/auth/token", {"email": email, "code": latest_code_for(email)}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def test_code_request_is_202_whether_or_not_the_account_exists(api):
    UserFactory(email="known@example.com")
    known = api.post("/api/v1/auth/code", {"email": "known@example.com"}, format="json")
    unknown = api.post("/api/v1/auth/code", {"email": "unknown@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()


def test_code_swaps_for_a_token_that_works(api):
    token = _token(api)
    me = api.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200 and me.json()["email"] == "ada@example.com"
    assert ApiToken.objects.get().key_hash != token  # only the hash is stored


def test_token_expires(api, settings):
    token = _token(api)
    with time_machine.travel(timezone.now() + timedelta(hours=settings.API_TOKEN_LIFETIME_HOURS, minutes=1)):
        response = api.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_signing_out_revokes_the_token(api):
    token = _token(api)
    assert api.delete("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 204
    assert api.get("/api/v1/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_no_token_is_401_with_json_error(api):
    response = api.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header", ["Bearer", "Token abc", "Bearer a b", "Bearer not-a-real-token", "Basic Zm9vOmJhcg=="]
)
def test_bad_authorization_headers_are_401(api, header):
    response = api.get("/api/v1/auth/me", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "error" in response.json()


@pytest.mark.parametrize(
    "body",
    [{}, {"email": ""}, {"email": "not-an-email"}, {"email": ["a@b.com"]}, {"email": 42}, {"email": "a@b.com" * 100}],
)
def test_bad_code_requests_are_400_with_field_errors(api, body):
    response = api.post("/api/v1/auth/code", body, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "email" in error["fields"]


def test_malformed_json_is_400(api):
    response = api.post("/api/v1/auth/code", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_wrong_content_type_is_415(api):
    response = api.post("/api/v1/auth/code", data="email=a@b.com", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "error" in response.json()


@pytest.mark.parametrize("code", ["", "12345", "abcdef", None, 123456, "١٢٣٤٥٦"])
def test_malformed_codes_are_400(api, code):
    api.post("/api/v1/auth/code", {"email": "ada@example.com"}, format="json")
    response = api.post("/api/v1/auth/token", {"email": "ada@example.com", "code": code}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()["error"].get("fields", {}) or response.json()["error"]["code"] == "code_incorrect"


def test_wrong_code_is_400_and_five_lock_with_429(api):
    api.post("/api/v1/auth/code", {"email": "ada@example.com"}, format="json")
    code = latest_code_for("ada@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(5):
        response = api.post("/api/v1/auth/token", {"email": "ada@example.com", "code": wrong}, format="json")
        assert response.status_code == 400 and response.json()["error"]["code"] == "code_incorrect"
    response = api.post("/api/v1/auth/token", {"email": "ada@example.com", "code": code}, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "code_locked"


def test_code_request_throttle_is_429_with_retry_after(api):
    api.post("/api/v1/auth/code", {"email": "ada@example.com"}, format="json")
    response = api.post("/api/v1/auth/code", {"email": "ada@example.com"}, format="json")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "throttled"


def test_a_locked_staff_sign_in_is_429_telling_clients_to_wait_the_hour_it_says(api, settings):
    settings.STAFF_PASSWORD_MAX_FAILURES_PER_HOUR = 2
    staff = StaffFactory(email="registrar@registrar.example")
    wrong = {"email": staff.email, "password": "not the password", "code": "000000"}
    for _attempt in range(2):
        assert api.post("/api/v1/auth/staff-token", wrong, format="json").status_code == 401
    right_password = {**wrong, "password": STAFF_PASSWORD}
    response = api.post("/api/v1/auth/staff-token", right_password, format="json")
    assert response.status_code == 429 and response.json()["error"]["code"] == "locked"
    assert "Wait an hour" in response.json()["error"]["message"]
    assert response["Retry-After"] == "3600"


def test_staff_cannot_get_a_token_by_email_code(api):
    StaffFactory(email="registrar@registrar.example")
    api.post("/api/v1/auth/code", {"email": "registrar@registrar.example"}, format="json")
    response = api.post(
        "/api/v1/auth/token",
        {"email": "registrar@registrar.example", "code": latest_code_for("registrar@registrar.example")},
        format="json",
    )
    assert response.status_code == 403


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_schema_is_served_and_validates(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert "/api/v1/auth/token" in response.json()["paths"]
    validate_schema(SchemaGenerator().get_schema(request=None, public=True))


def test_api_docs_page_loads_without_a_cdn(client):
    response = client.get("/api/docs/swagger/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "cdn.jsdelivr" not in html and "/static/drf_spectacular_sidecar/" in html
