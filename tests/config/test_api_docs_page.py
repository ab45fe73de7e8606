"""/api/docs/ is the OpenAPI schema as a server-rendered page of the service (readable without
JavaScript, one heading per call), every documented call on it; Swagger UI stays at
/api/docs/swagger/ for trying calls out."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from config import api_docs


@pytest.fixture(scope="module")
def html(django_db_blocker):
    """The contents page and every part's page, one after the other."""
    from django.test import Client

    client = Client()
    pages = []
    with django_db_blocker.unblock():
        contents = client.get(reverse("api-docs"))
        assert contents.status_code == 200
        pages.append(contents.content.decode())
        _info, sections = api_docs.sections()
        for section in sections:
            response = client.get(reverse("api-docs-section", args=[section.anchor]))
            assert response.status_code == 200
            assert reverse("api-docs-section", args=[section.anchor]) in pages[0]
            pages.append(response.content.decode())
    return "\n".join(pages)


def test_every_documented_call_is_on_the_page(html):
    schema = api_docs._schema()
    for path, methods in schema["paths"].items():
        for method in methods:
            if method in api_docs.METHODS:
                assert f"{method.upper()} {path}" in html, (method, path)


def test_the_page_is_a_page_of_the_service_without_scripts_of_its_own(html):
    assert '<html lang="en"' in html or "<html lang=" in html
    assert "swagger-ui" not in html and "redoc" not in html.lower()
    assert html.count("<h1") == len(api_docs.sections()[1]) + 1  # one per page
    assert re.search(r'<section aria-labelledby="[a-z-]+" lang="en">', html)


def test_request_fields_and_answers_are_described(html):
    assert "Request body (application/json)" in html
    assert "401" in html and "Not signed in" in html
    assert "Authorization: Bearer &lt;token&gt;" in html


def test_types_read_as_words():
    components = {"Kind": {"enum": ["birth", "death", ""]}, "Thing": {"type": "object"}}
    assert api_docs.type_of({"type": "string", "format": "date"}, components) == "string (date)"
    assert api_docs.type_of({"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}, components) == (
        "list of Thing"
    )
    assert api_docs.type_of({"$ref": "#/components/schemas/Kind"}, components) == "one of: birth, death"
    assert api_docs.type_of({"oneOf": [{"type": "string"}, {"type": "integer"}]}, components) == "string or integer"
    assert api_docs.type_of({}, components) == "any"


def test_swagger_ui_is_still_there_for_trying_calls_out(client):
    assert client.get("/api/docs/swagger/").status_code == 200


@pytest.mark.parametrize("part", ["nonsense", "swagger-ui", "x" * 300])
def test_an_unknown_part_is_a_404(client, part):
    assert client.get(f"/api/docs/{part}/").status_code == 404


def test_the_welsh_page_is_welsh_around_the_english_schema(client):
    client.get(reverse("switch-language", args=["cy"]))
    html = client.get(reverse("api-docs-section", args=["auth"])).content.decode()
    assert 'lang="cy"' in html and 'lang="en"' in html
