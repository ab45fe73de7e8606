"""/api/schema/ is built once per process for each language, not on every request: building it
walks every view and serializer."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from config import api_docs

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds():
    api_docs.schema_in.cache_clear()
    with mock.patch.object(SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema) as spy:
        yield spy
    api_docs.schema_in.cache_clear()


def test_the_schema_is_built_once_and_served_the_same_each_time(client, builds):
    first = client.get(reverse("api-schema"), {"format": "json"})
    second = client.get(reverse("api-schema"), {"format": "json"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.json()["info"]["title"] == "Registrar Online API"
    assert builds.call_count == 1


def test_each_language_has_its_own_schema(client, builds):
    english = client.get(reverse("api-schema"), {"format": "json"})
    welsh = client.get(reverse("api-schema"), {"format": "json", "lang": "cy"})
    assert english.status_code == welsh.status_code == 200
    assert builds.call_count == 2
    assert client.get(reverse("api-schema"), {"format": "json", "lang": "cy"}).content == welsh.content
    assert builds.call_count == 2
