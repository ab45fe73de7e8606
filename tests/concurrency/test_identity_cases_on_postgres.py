"""Parallel starts of an identity check make exactly one open case (partial unique constraint)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from identity import cases
from identity.models import IdentityCase
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_parallel_starts_make_one_open_case_on_postgres():
    person = UserFactory()
    barrier = threading.Barrier(8)

    def start(_index):
        barrier.wait()
        try:
            return cases.open_case(person=person).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        ids = set(pool.map(start, range(8)))
    assert len(ids) == 1
    assert IdentityCase.objects.filter(person=person).count() == 1
