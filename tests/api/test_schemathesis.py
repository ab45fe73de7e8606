"""Schemathesis over every operation of the OpenAPI schema, as nobody, as a signed-in citizen and
as a registrar, through the WSGI application: no request may get a server error, and every
answer must be a status the operation documents with a body that matches it."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application

pytestmark = pytest.mark.django_db

SCHEMA = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# A few cases per operation, actor and mode keep the whole run to about a minute on one core;
# API_FUZZ_EXAMPLES=50 digs deeper by hand.
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))


@pytest.fixture
def wsgi():
    """Requests through the WSGI application inside the test's transaction: Django's own test
    client likewise keeps connections open between requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield application
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _fuzz(operation, actor, mode, wsgi, seen, failures) -> int:
    calls = 0
    headers = actor.headers()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), real=st.booleans())
    def run(case, real):
        nonlocal calls
        if real and case.path_parameters:
            for name in case.path_parameters:
                if name in actor.known:
                    case.path_parameters[name] = actor.known[name]
        response = case.call(app=wsgi, base_url="http://testserver", headers=headers)
        calls += 1
        seen[(operation.method.upper(), operation.path)].add(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                where = f"{operation.method.upper()} {operation.path} as {actor.name}"
                key = f"{where}: {failure.title} ({response.status_code})"
                failures.setdefault(key, f"{failure.message}\n{response.text[:300]}")

    try:
        run()
    except Unsatisfiable:
        # No invalid request exists for an operation without inputs.
        assert mode == GenerationMode.NEGATIVE, operation.path
    return calls


def test_every_operation_answers_every_actor_within_its_schema(actors, wsgi):
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    failures: dict[str, str] = {}
    calls = 0
    for actor in actors:
        for operation in OPERATIONS:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                calls += _fuzz(operation, actor, mode, wsgi, seen, failures)
    print(f"schemathesis: {len(OPERATIONS)} operations x {len(actors)} actors, {calls} cases, {len(failures)} failures")
    assert not failures, "\n".join(f"{key}\n    {detail}" for key, detail in failures.items())
    unreached = {
        (operation.method.upper(), operation.path): sorted(
            set(map(int, operation.definition.raw["responses"])) - seen[(operation.method.upper(), operation.path)]
        )
        for operation in OPERATIONS
    }
    for where, statuses in unreached.items():
        if statuses:
            print(*where, statuses)
