"""Parallel requests against one code on PostgreSQL: guesses are counted one by one under the
row lock, and a code is used at most once (IDENTITY-RULES.md: check-and-consume)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from identity import services
from identity.audit import record_audit, verify_chain
from identity.models import CodeChannel, CodeFailure, CodePurpose, OneTimeCode
from tests.conftest import latest_code_for

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@example.com"
THREADS = 12


def _in_parallel(function, count=THREADS):
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            return function(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _guess(code):
    def attempt(_index):
        try:
            services.check_code(
                destination=EMAIL,
                purpose=CodePurpose.SIGN_IN,
                channel=CodeChannel.EMAIL,
                code=code,
                client_address=None,
            )
        except services.CodeRejected as rejected:
            return rejected.reason
        return "accepted"

    return attempt


@pytest.fixture
def code():
    services.request_code(
        destination=EMAIL, channel=CodeChannel.EMAIL, purpose=CodePurpose.SIGN_IN, client_address=None
    )
    return latest_code_for(EMAIL)


def test_parallel_correct_submissions_use_the_code_once_on_postgres(code):
    outcomes = _in_parallel(_guess(code))
    assert outcomes.count("accepted") == 1
    assert OneTimeCode.objects.get().consumed_at is not None


def test_parallel_wrong_guesses_are_counted_one_by_one_on_postgres(code):
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    outcomes = _in_parallel(_guess(wrong))
    assert "accepted" not in outcomes
    record = OneTimeCode.objects.get()
    # Exactly five guesses were compared with the code; the rest found it dead or locked.
    assert record.wrong_attempts == 5 and record.killed_at is not None
    assert CodeFailure.objects.count() >= 5
    # Even the right code is refused now: five failures lock the step.
    assert _guess(code)(0) == "code_locked"


def test_parallel_audit_writers_keep_one_chain_on_postgres():
    _in_parallel(lambda index: record_audit(actor=None, action="parallel.write", object_id=index))
    report = verify_chain()
    assert report.intact and report.checked == THREADS
