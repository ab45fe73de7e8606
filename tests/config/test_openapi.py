"""The API's OpenAPI schema is valid by drf-spectacular and by an independent validator, and
documents every error each operation can give in the one error shape; every error answer
under /api/, Django's own included, is that shape."""

from __future__ import annotations

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import OpenAPIV30SpecValidator
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIClient

from booking.forms import LATITUDE_RANGE, MAX_RESULTS
from core.api_errors import exception_handler
from core.openapi import POSTCODE_PATTERN
from core.places import normalise_postcode
from identity.models import AddressDocumentType, DocumentType
from tests.factories import StaffFactory, api_client

ERROR_REF = "#/components/schemas/Error"
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method.upper(), path, operation


def test_schema_is_valid_for_drf_spectacular_and_for_openapi_spec_validator(schema):
    validate_schema(schema)
    validator = OpenAPIV30SpecValidator(schema)
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors()]
    assert errors == []


def _json_schema(response) -> dict | None:
    return response.get("content", {}).get("application/json", {}).get("schema")


def test_every_error_answer_of_every_operation_is_the_error_shape(schema):
    wrong = [
        (method, path, code)
        for method, path, operation in _operations(schema)
        for code, response in operation["responses"].items()
        if code[0] in "45" and _json_schema(response) != {"$ref": ERROR_REF}
    ]
    assert wrong == []


def test_401_and_403_are_documented_wherever_a_token_is_read_and_401_only_there_or_at_sign_in(schema):
    for method, path, operation in _operations(schema):
        authenticated = {"bearerAuth": []} in operation.get("security", [])
        if authenticated:
            assert {"401", "403"} <= set(operation["responses"]), (method, path)
        elif "401" in operation["responses"]:
            assert path == "/api/v1/auth/staff-token", (method, path)


def test_404_is_documented_wherever_the_path_names_something(schema):
    for method, path, operation in _operations(schema):
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_a_party_email_is_optional_without_a_default_that_is_not_an_email(schema):
    email = schema["components"]["schemas"]["PartyRequest"]["properties"]["email"]
    assert "default" not in email
    assert {"type": "string", "format": "email", "maxLength": 254} in email["oneOf"]
    assert "email" not in schema["components"]["schemas"]["PartyRequest"]["required"]


def test_a_registration_without_a_district_is_documented_as_null(schema):
    assert schema["components"]["schemas"]["Registration"]["properties"]["district"]["nullable"] is True


def _is_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json", response.content[:200]
    assert response.json()["error"]["code"] == code


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/registrar/entries/E-LEEDS/corrections",
        "/api/v1/registrar/entries/E-LEEDS/B/twenty/1/corrections",
        "/api/v1/no-such-thing",
        # A NUL character, which no reference holds and PostgreSQL cannot compare.
        "/api/v1/registrar/cases/RG-%00",
        "/api/v1/registrar/entries/E-LEEDS%00/B/2026/1",
        "/api/v2/",
        "/api/",
    ],
)
def test_an_address_under_api_that_matches_no_operation_is_a_json_404(settings, debug, path):
    settings.DEBUG = debug
    client = api_client(StaffFactory(roles=["Registrar"]))
    _is_error(client.get(path), 404, "not_found")
    _is_error(client.post(path, {"field": "x"}, format="json"), 404, "not_found")


@pytest.mark.django_db
def test_the_schema_and_docs_still_redirect_to_their_address_with_a_slash(client):
    assert client.get("/api/schema").status_code == 301
    assert client.get("/api/schema/").status_code == 200


@pytest.mark.django_db
def test_a_method_an_operation_does_not_have_is_a_json_405():
    _is_error(APIClient().delete("/api/v1/booking/availability"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_a_body_that_does_not_parse_is_a_json_400():
    response = APIClient().post("/api/v1/auth/code", "{not json", content_type="application/json")
    _is_error(response, 400, "parse_error")


@pytest.mark.django_db
def test_a_body_of_another_media_type_is_a_json_415():
    response = APIClient().post("/api/v1/auth/code", "email=a@example.com", content_type="text/plain")
    _is_error(response, 415, "unsupported_media_type")


def test_errors_inside_a_nested_field_are_its_messages_saying_where_as_the_shape_documents():
    error = ValidationError(
        {
            "parties": [{}, {"postcode": ["Enter a real postcode."], "date_of_birth": ["Wrong format."]}],
            "witnesses": {"names": {1: ["This field may not be blank."]}, "non_field_errors": ["Both."]},
            "guests": ["Too many."],
        }
    )
    response = exception_handler(error, {})
    assert response.status_code == 400
    assert response.data["error"]["fields"] == {
        "parties": ["1.postcode: Enter a real postcode.", "1.date_of_birth: Wrong format."],
        "witnesses": ["names.1: This field may not be blank.", "non_field_errors: Both."],
        "guests": ["Too many."],
    }


def _parameter(schema, path: str, name: str) -> dict:
    operation = next(op for item_path, item in schema["paths"].items() if item_path == path for op in item.values())
    return next(parameter for parameter in operation["parameters"] if parameter["name"] == name)["schema"]


def test_request_schemas_are_as_strict_as_the_forms_behind_them(schema):
    availability = "/api/v1/booking/availability"
    assert _parameter(schema, availability, "guests") == {"type": "integer", "minimum": 0, "maximum": 500}
    assert _parameter(schema, availability, "limit")["maximum"] == MAX_RESULTS
    assert _parameter(schema, availability, "lat")["minimum"] == LATITUDE_RANGE[0]
    assert _parameter(schema, availability, "place")["maxLength"] == 100
    key = _parameter(schema, "/api/v1/booking/holds", "Idempotency-Key")
    assert key["minLength"] == 1 and key["maxLength"] == 100
    components = schema["components"]["schemas"]
    assert set(components["AddressDocumentTypeEnum"]["enum"]) == set(AddressDocumentType.values)
    assert set(components["IdentityDocumentDocumentTypeEnum"]["enum"]) == set(DocumentType.values)
    assert components["PartyRequest"]["properties"]["full_name"]["maxLength"] == 200
    for component, field in (("PartyRequest", "postcode"), ("AddressRequest", "document_postcode")):
        assert components[component]["properties"][field]["pattern"] == POSTCODE_PATTERN


POSTCODE_ALPHABET = st.sampled_from("ABDGHIJKLMNOPRSTUWXYZabgikmnrsuvwxyz0123456789 ")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(POSTCODE_ALPHABET, max_size=10), st.from_regex(POSTCODE_PATTERN, fullmatch=True)))
def test_the_documented_postcode_pattern_accepts_what_normalise_postcode_accepts(value):
    assert (re.match(POSTCODE_PATTERN, value) is not None) == (normalise_postcode(value) is not None), value
    for example in ("LS1 3AD", "sw1a1aa", " gir 0aa ", "W1A 0AX"):
        assert re.match(POSTCODE_PATTERN, example)


def test_the_schema_is_generated_without_warnings():
    """A warning means two components or choice sets share a name: clients would get one of them
    under the other's name."""
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
