"""Messages are recorded in the caller's transaction, sent by a task after commit, sent once
per key, retried on provider failure, and not lost when the broker is down."""

from __future__ import annotations

from unittest import mock

import pytest

from identity import notifications, tasks
from identity.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def _send(key="welcome:1", **extra):
    return notifications.send_message(
        key=key, channel="email", to="ada@example.com", subject="Hello", body="Hi", **extra
    )


def test_message_is_sent_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = _send()
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT


def test_same_key_is_recorded_and_sent_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = _send()
        second = _send()
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert OutboundMessage.objects.count() == 1


def test_a_new_key_is_one_insert_and_a_repeat_keeps_the_first_message(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with django_assert_num_queries(1):
            first = _send()
        # The repeat's insert does nothing; one read returns the message already recorded.
        with django_assert_num_queries(2):
            second = notifications.send_message(key="welcome:1", channel="email", to="ada@example.com", body="Other")
    assert len(callbacks) == 1
    assert second.pk == first.pk and second.body == "Hi"
    assert OutboundMessage.objects.get().body == "Hi"


def test_delivery_task_twice_sends_once():
    message = _send()
    with mock.patch.object(notifications.OutboxBackend, "send", return_value="ref-1") as send:
        tasks.deliver_message.apply(args=[message.pk])
        tasks.deliver_message.apply(args=[message.pk])
    assert send.call_count == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1


def test_provider_failure_keeps_the_message_pending_and_retries():
    message = _send()
    with mock.patch.object(notifications.OutboxBackend, "send", side_effect=notifications.DeliveryError("503")):
        with pytest.raises(notifications.DeliveryError):
            notifications.deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 1 and "503" in message.last_error
    notifications.deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_broker_outage_loses_nothing(django_capture_on_commit_callbacks):
    with mock.patch.object(tasks.deliver_message, "delay", side_effect=ConnectionRefusedError("broker down")):
        with django_capture_on_commit_callbacks(execute=True):
            message = _send()
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.PENDING
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=message.created_at - notifications.timedelta(minutes=5)
    )
    assert tasks.redeliver_pending_messages.apply().get() == 1
    assert OutboundMessage.objects.get(pk=message.pk).status == MessageStatus.SENT


def test_notify_backend_sends_email_and_sms_with_the_key_as_reference(settings):
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.NOTIFY_API_KEY = "test_key-" + "a" * 36 + "-" + "b" * 36
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "email-template"
    settings.NOTIFY_SMS_TEMPLATE_ID = "sms-template"
    email = _send()
    sms = notifications.send_message(key="sms:1", channel="sms", to="+447700900982", body="Code 123456")
    with (
        mock.patch(
            "notifications_python_client.notifications.NotificationsAPIClient.send_email_notification"
        ) as send_email,
        mock.patch(
            "notifications_python_client.notifications.NotificationsAPIClient.send_sms_notification"
        ) as send_sms,
    ):
        send_email.return_value = {"id": "notify-1"}
        send_sms.return_value = {"id": "notify-2"}
        notifications.deliver(message_id=email.pk)
        notifications.deliver(message_id=sms.pk)
    send_email.assert_called_once_with(
        email_address="ada@example.com",
        template_id="email-template",
        personalisation={"subject": "Hello", "body": "Hi"},
        reference="welcome:1",
    )
    send_sms.assert_called_once()
    assert OutboundMessage.objects.get(pk=email.pk).provider_reference == "notify-1"


def test_outbox_page_lists_messages_only_when_enabled(client, settings):
    _send()
    settings.DEV_OUTBOX_ENABLED = False
    assert client.get("/dev/outbox/").status_code == 404
    settings.DEV_OUTBOX_ENABLED = True
    page = client.get("/dev/outbox/")
    assert page.status_code == 200 and "ada@example.com" in page.content.decode()
