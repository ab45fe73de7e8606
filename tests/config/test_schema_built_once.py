"""/api/schema/ is built once per process for each language, not on every request: building it
walks every view and serializer."""

from __future__ import annotations

import threading
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


def test_threads_asking_at_once_build_it_once_and_never_together(builds):
    # A threaded web worker's first requests may all ask for the schema: drf-spectacular's
    # generator must not run twice at the same time (it failed with an AttributeError).
    inside, most_inside, lock = 0, 0, threading.Lock()

    def counted(generator, *args, **kwargs):
        nonlocal inside, most_inside
        with lock:
            inside += 1
            most_inside = max(most_inside, inside)
        try:
            return real_get_schema(generator, *args, **kwargs)
        finally:
            with lock:
                inside -= 1

    real_get_schema = builds.side_effect
    builds.side_effect = counted
    start = threading.Barrier(6)
    answers, failures = [], []

    def ask():
        start.wait()
        try:
            answers.append(api_docs.schema_in(None, "en"))
        except Exception as failure:  # noqa: BLE001 (the test reports any failure)
            failures.append(failure)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(answers) == 6 and all(answer is answers[0] for answer in answers)
    assert builds.call_count == 1
    assert most_inside == 1
