"""Recovery in seconds: the figures that bound how long a pending message, certificate or
webhook waits after the broker or a worker comes back add up to well under 60 s; time limits and
retry countdowns stay inside the broker's visibility timeout; each sweeper takes what lost its
task after the sweep age, and leaves what is waiting for its own retry."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from identity import notifications, tasks
from identity.models import MessageStatus, OutboundMessage
from registrar import events
from registrar.models import WebhookDelivery
from registrar.tasks import deliver_webhook
from tests.factories import RegisterOfficeFactory, WebhookSubscriptionFactory, make_entry
from tests.webhook_receiver import Receiver

# A task of ours takes a few seconds (a webhook waits at most WEBHOOK_TIMEOUT_SECONDS).
TASK_SECONDS = 5
TARGET_SECONDS = 60


def test_the_worst_delay_after_an_outage_is_well_inside_60_seconds():
    worst = (
        settings.CELERY_BROKER_RECONNECT_MAX_SECONDS
        + settings.SIDE_EFFECT_SWEEP_AGE_SECONDS
        + settings.SIDE_EFFECT_SWEEP_SECONDS
        + TASK_SECONDS
    )
    assert worst <= TARGET_SECONDS - 10, worst
    assert settings.WEBHOOK_SWEEP_GRACE_SECONDS <= settings.SIDE_EFFECT_SWEEP_AGE_SECONDS


def test_every_side_effect_sweeper_runs_at_the_sweep_interval():
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in (
        "identity.tasks.redeliver_pending_messages",
        "certificates.tasks.issue_waiting_certificates",
        "registrar.tasks.webhooks.redeliver_pending_webhooks",
    ):
        assert schedule[task] == settings.SIDE_EFFECT_SWEEP_SECONDS, task


def test_time_limits_and_countdowns_stay_inside_the_visibility_timeout():
    visibility = settings.CELERY_VISIBILITY_TIMEOUT_SECONDS
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT < visibility
    assert settings.CELERY_TASK_TIME_LIMIT > settings.WEBHOOK_TIMEOUT_SECONDS * 2
    assert visibility > settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS
    assert max(tasks.retry_in(n) for n in range(notifications.MESSAGE_MAX_ATTEMPTS)) < visibility
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


def test_redis_hands_back_an_unacknowledged_message_after_the_visibility_timeout():
    from config.celery import app

    options = app.conf.broker_transport_options
    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert options["visibility_timeout"] == settings.CELERY_VISIBILITY_TIMEOUT_SECONDS


# --- The message sweeper ---------------------------------------------------------------------------


def _message(key, *, age, attempts=0):
    with mock.patch.object(tasks.deliver_message, "delay"):  # its own task message was lost
        message = notifications.send_message(key=key, channel="email", to="ada@example.com", body="Code 123456")
    OutboundMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - timedelta(seconds=age), attempts=attempts
    )
    return message


@pytest.mark.django_db
def test_a_message_whose_task_was_lost_is_swept_after_the_sweep_age_not_minutes():
    age = settings.SIDE_EFFECT_SWEEP_AGE_SECONDS
    fresh = _message("fresh", age=age - 5)
    lost = _message("lost", age=age + 1)
    assert notifications.pending_message_ids(retry_in=tasks.retry_in) == [lost.pk]
    assert tasks.redeliver_pending_messages.apply().get() == 1
    assert OutboundMessage.objects.get(pk=lost.pk).status == MessageStatus.SENT
    assert OutboundMessage.objects.get(pk=fresh.pk).status == MessageStatus.PENDING


@pytest.mark.django_db
def test_a_message_waiting_for_its_retry_is_left_to_it_until_the_retry_is_overdue():
    age = settings.SIDE_EFFECT_SWEEP_AGE_SECONDS
    waiting = _message("waiting", age=age + tasks.retry_in(1) - 2, attempts=1)
    overdue = _message("overdue", age=age + tasks.retry_in(1) + 2, attempts=1)
    assert notifications.pending_message_ids(retry_in=tasks.retry_in) == [overdue.pk]
    assert waiting.pk


@pytest.mark.django_db
def test_a_message_the_provider_keeps_refusing_is_failed_after_the_last_attempt_not_tried_for_ever():
    message = _message("refused", age=3600, attempts=notifications.MESSAGE_MAX_ATTEMPTS - 1)
    with mock.patch.object(notifications.OutboxBackend, "send", side_effect=notifications.DeliveryError("400")):
        notifications.deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert notifications.pending_message_ids(retry_in=tasks.retry_in) == []


# --- Webhooks ----------------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.mark.django_db
def test_a_duplicate_webhook_message_before_the_booked_retry_sends_nothing(
    receiver, django_capture_on_commit_callbacks
):
    WebhookSubscriptionFactory(url=receiver.url)
    receiver.script = [503]
    with mock.patch.object(deliver_webhook, "retry", side_effect=RuntimeError("retry booked")):
        with django_capture_on_commit_callbacks(execute=True):
            event = events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    delivery = event.deliveries.get()
    assert delivery.attempts == 1 and len(receiver.received) == 1
    # A redelivered copy of the first message (or a sweep racing it) finds the retry booked.
    assert deliver_webhook.apply(args=[delivery.pk]).get() == "pending"
    assert len(receiver.received) == 1


@pytest.mark.django_db
def test_a_webhook_backoff_longer_than_the_countdown_cap_is_left_on_the_row_for_the_sweeper(receiver):
    WebhookSubscriptionFactory(url=receiver.url)
    with mock.patch.object(deliver_webhook, "delay"):
        event = events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    delivery = event.deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=8)
    receiver.script = [503]
    with mock.patch.object(deliver_webhook, "retry") as retry:
        assert deliver_webhook.apply(args=[delivery.pk]).get() == "waiting"
    retry.assert_not_called()
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS)


def test_no_task_result_is_stored_so_the_web_never_waits_on_the_result_backend():
    assert settings.CELERY_TASK_IGNORE_RESULT


def test_every_retrying_task_waits_less_than_the_visibility_timeout():
    from config.celery import app

    app.loader.import_default_modules()
    for name, task in app.tasks.items():
        if getattr(task, "autoretry_for", None) and getattr(task, "retry_backoff", False):
            assert task.retry_backoff_max <= settings.CELERY_RETRY_COUNTDOWN_MAX_SECONDS, name
