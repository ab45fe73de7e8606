"""A message's attempt is counted before it is sent, so an attempt whose worker dies mid-send
(killed, out of memory: the broker hands the message back with no count of its own) still
counts, and the attempts run out at MESSAGE_MAX_ATTEMPTS instead of being tried for ever."""

from __future__ import annotations

from unittest import mock

import pytest

from identity import notifications
from identity.models import MessageStatus

pytestmark = pytest.mark.django_db


def _pending(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return notifications.send_message(key="dies:1", channel="email", to="ada@example.com", subject="S", body="B")


def test_an_attempt_that_dies_mid_send_is_counted_and_the_attempts_run_out(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(notifications, "MESSAGE_MAX_ATTEMPTS", 3)
    message = _pending(django_capture_on_commit_callbacks)
    with mock.patch.object(notifications.OutboxBackend, "send", side_effect=SystemExit("killed")) as send:
        for attempt in (1, 2, 3):
            with pytest.raises(SystemExit):
                notifications.deliver(message_id=message.pk)
            message.refresh_from_db()
            assert message.attempts == attempt and message.status == MessageStatus.PENDING
        # Handed back once more: the attempts have run out, and nothing is sent.
        notifications.deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3 and send.call_count == 3


def test_a_run_that_lost_its_claim_to_a_later_one_sends_nothing(django_capture_on_commit_callbacks):
    message = _pending(django_capture_on_commit_callbacks)
    claim = notifications._claim_attempt

    def overtaken(message_id):
        mine = claim(message_id)
        claim(message_id)  # a duplicate claims the next attempt before this run sends
        return mine

    with (
        mock.patch.object(notifications, "_claim_attempt", overtaken),
        mock.patch.object(notifications.OutboxBackend, "send", return_value="ref") as send,
    ):
        notifications.deliver(message_id=message.pk)
    message.refresh_from_db()
    assert send.call_count == 0 and message.status == MessageStatus.PENDING and message.attempts == 2
