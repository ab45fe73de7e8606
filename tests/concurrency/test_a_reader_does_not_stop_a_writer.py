"""A request that is reading (a page refreshing itself every few seconds while a certificate is
made) must not make another request's write fail. PostgreSQL never refuses it; on SQLite the test
database is a file in WAL mode, as in the embedded default. Django's in-memory test database
shares one cache between threads, whose table locks refuse the write at once ("database table is
locked") instead of waiting, which made the browser journeys fail now and then."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from identity.models import RegisterOffice
from tests.factories import RegisterOfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_write_in_one_thread_commits_while_another_thread_is_reading_the_same_table():
    office = RegisterOfficeFactory(name="Leeds Register Office")
    RegisterOfficeFactory(name="York Register Office")
    reading, written = threading.Event(), threading.Event()
    outcome = {}

    def reader():
        # A query part-way through its rows, as while a page is being rendered from them.
        try:
            rows = RegisterOffice.objects.order_by("name").values_list("name", flat=True).iterator(chunk_size=1)
            outcome["read"] = [next(rows)]
            reading.set()
            written.wait(timeout=30)
            outcome["read"] += list(rows)
        finally:
            reading.set()
            connections.close_all()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert reading.wait(timeout=30)
        with transaction.atomic():
            RegisterOffice.objects.filter(pk=office.pk).update(name="Leeds Register Office (Civic Hall)")
    finally:
        written.set()
        thread.join()
    assert outcome["read"][0] == "Leeds Register Office" and outcome["read"][-1] == "York Register Office"
    assert RegisterOffice.objects.get(pk=office.pk).name == "Leeds Register Office (Civic Hall)"
