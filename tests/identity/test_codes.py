"""One-time codes: single use, expiry, constant-time check, the wrong-attempt limit that a new
code does not reset, daily cap, resend throttles (IDENTITY-RULES.md, "One-time codes")."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from identity import services
from identity.models import CodeChannel, CodePurpose, OneTimeCode, OutboundMessage
from tests.conftest import latest_code_for

EMAIL = "ada@example.com"
ADDRESS = "203.0.113.7"


def _request(email=EMAIL, address=ADDRESS):
    return services.request_code(
        destination=email, channel=CodeChannel.EMAIL, purpose=CodePurpose.SIGN_IN, client_address=address
    )


def _check(code, email=EMAIL, address=ADDRESS):
    return services.check_code(
        destination=email, purpose=CodePurpose.SIGN_IN, channel=CodeChannel.EMAIL, code=code, client_address=address
    )


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


@pytest.fixture
def sent(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    return latest_code_for(EMAIL)


def test_code_is_six_digits_and_only_its_hash_is_stored(sent):
    record = OneTimeCode.objects.get()
    assert len(sent) == 6 and sent.isdigit()
    assert sent not in record.code_hash
    assert len(record.code_hash) == 64


def test_code_is_sent_by_email_once_the_transaction_commits(sent):
    message = OutboundMessage.objects.get(to=EMAIL)
    assert message.status == "sent"
    assert sent in message.body
    assert "15 minutes" in message.body


def test_correct_code_is_accepted_once(sent):
    record = _check(sent)
    assert record.consumed_at is not None


def test_code_cannot_be_used_twice(sent):
    _check(sent)
    with pytest.raises(services.CodeRejected) as rejected:
        _check(sent)
    assert rejected.value.reason == "code_incorrect"


def test_code_expires_after_15_minutes(sent):
    with time_machine.travel(timezone.now() + timedelta(minutes=15, seconds=1)):
        with pytest.raises(services.CodeRejected) as rejected:
            _check(sent)
    assert rejected.value.reason == "code_expired"


def test_code_still_works_just_before_expiry(sent):
    with time_machine.travel(timezone.now() + timedelta(minutes=14, seconds=50)):
        assert _check(sent).consumed_at is not None


def test_sms_code_lives_10_minutes(db):
    services.request_code(
        destination="+447700900982", channel=CodeChannel.SMS, purpose=CodePurpose.VERIFY_MOBILE, client_address=None
    )
    record = OneTimeCode.objects.get()
    assert record.expires_at - record.created_at == timedelta(minutes=10)


def test_five_wrong_codes_kill_the_code_and_lock_the_step(sent):
    for _ in range(5):
        with pytest.raises(services.CodeRejected) as rejected:
            _check(_wrong(sent))
        assert rejected.value.reason == "code_incorrect"
    assert OneTimeCode.objects.get().killed_at is not None
    with pytest.raises(services.CodeRejected) as rejected:
        _check(sent)
    assert rejected.value.reason == "code_locked"


def test_new_code_does_not_reset_the_failure_count(sent):
    for _ in range(4):
        with pytest.raises(services.CodeRejected):
            _check(_wrong(sent))
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        _request()
        fresh = latest_code_for(EMAIL)
        with pytest.raises(services.CodeRejected):
            _check(_wrong(fresh))
        # Fifth failure in the window: even the right new code is refused now.
        with pytest.raises(services.CodeRejected) as rejected:
            _check(fresh)
    assert rejected.value.reason == "code_locked"


def test_lock_lifts_after_15_minutes(sent):
    for _ in range(5):
        with pytest.raises(services.CodeRejected):
            _check(_wrong(sent))
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        _request()
        assert _check(latest_code_for(EMAIL)).consumed_at is not None


def test_twenty_failures_a_day_lock_the_person_for_24_hours(db):
    start = timezone.now()
    for hour in range(4):
        with time_machine.travel(start + timedelta(hours=hour, minutes=1)):
            _request()
            code = latest_code_for(EMAIL)
            for _ in range(5):
                with pytest.raises(services.CodeRejected):
                    _check(_wrong(code))
    with time_machine.travel(start + timedelta(hours=5)):
        _request()
        with pytest.raises(services.CodeRejected) as rejected:
            _check(latest_code_for(EMAIL))
    assert rejected.value.reason == "code_locked"


def test_new_code_kills_the_previous_one(sent):
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        _request()
        with pytest.raises(services.CodeRejected):
            _check(sent)


def test_resend_is_limited_to_one_a_minute(sent):
    with pytest.raises(services.CodeThrottled) as throttled:
        _request()
    assert 1 <= throttled.value.retry_after <= 60


def test_resend_is_limited_to_five_an_hour(db):
    start = timezone.now()
    for minute in range(5):
        with time_machine.travel(start + timedelta(minutes=2 * minute)):
            _request()
    with time_machine.travel(start + timedelta(minutes=12)), pytest.raises(services.CodeThrottled):
        _request()
    with time_machine.travel(start + timedelta(minutes=61)):
        _request()


def test_requests_are_throttled_per_client_address(db, settings):
    settings.OTP_MAX_REQUESTS_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        _request(email=f"person{n}@example.com")
    with pytest.raises(services.CodeThrottled):
        _request(email="another@example.com")
    _request(email="another@example.com", address="198.51.100.1")


def test_failures_are_throttled_per_client_address(db, settings):
    settings.OTP_MAX_FAILURES_PER_ADDRESS_PER_HOUR = 3
    for n in range(3):
        email = f"victim{n}@example.com"
        _request(email=email)
        with pytest.raises(services.CodeRejected):
            _check(_wrong(latest_code_for(email)), email=email)
    _request(email="last@example.com")
    with pytest.raises(services.CodeRejected) as rejected:
        _check(latest_code_for("last@example.com"), email="last@example.com")
    assert rejected.value.reason == "code_locked"


def test_code_with_spaces_is_accepted(sent):
    assert _check(f"{sent[:3]} {sent[3:]}").consumed_at is not None


@pytest.mark.parametrize("bad", ["", "abc", "12345", "1234567", "١٢٣٤٥٦", None])
def test_malformed_codes_are_rejected_not_errors(sent, bad):
    with pytest.raises(services.CodeRejected):
        _check(bad)


def test_code_for_one_address_does_not_work_for_another(sent):
    _request(email="other@example.com", address="198.51.100.2")
    with pytest.raises(services.CodeRejected):
        _check(sent, email="other@example.com")
