"""Parallel starts of an identity check make exactly one open case (partial unique constraint)."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from identity import cases
from identity.models import IdentityCase, OutboundMessage
from tests.factories import UserFactory, document_photo, record_checks, record_passport

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


def test_parallel_submissions_decide_once_and_send_one_message_on_postgres():
    person = UserFactory()
    case = cases.open_case(person=person)
    record_passport(case)
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    # Checked as genuine and matched to its holder: enough for medium (identity/scoring.py).
    record_checks(case, "document_authenticity", "face_match")
    barrier = threading.Barrier(6)

    def submit(_index):
        barrier.wait()
        try:
            return cases.submit_case(case=case).status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(submit, range(6)))
    assert set(statuses) == {"verified"}
    assert OutboundMessage.objects.filter(to=person.email, key__startswith="identity-result:").count() == 1
