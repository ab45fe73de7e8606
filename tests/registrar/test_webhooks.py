"""Signed webhooks against a real local HTTP server: delivered with a signature the receiver
can verify, retried after a 500 with the same event id, a timeout recorded and retried, old
timestamps and wrong secrets rejected, failed for good after the last attempt."""

from __future__ import annotations

import json
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from identity import roles
from registrar import events, webhooks
from registrar.models import WebhookDelivery, WebhookSubscription
from registrar.tasks import deliver_webhook
from tests.factories import RegisterOfficeFactory, StaffFactory, WebhookSubscriptionFactory, make_entry, staff_session

pytestmark = pytest.mark.django_db


def _publish(django_capture_on_commit_callbacks, **extra):
    entry = make_entry(district=RegisterOfficeFactory(code="E-LEEDS"), **extra)
    with django_capture_on_commit_callbacks(execute=True):
        event = events.publish(kind="registered", entry=entry)
    return event


def test_an_event_is_delivered_signed_and_the_receiver_can_verify_it(
    receiver, subscription, django_capture_on_commit_callbacks
):
    event = _publish(django_capture_on_commit_callbacks)
    assert len(receiver.received) == 1
    request = receiver.received[0]
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["registrar-event-id"] == str(event.event_id)
    assert headers["registrar-event-kind"] == "registered"
    assert webhooks.verify_signature(
        secret=subscription.secret, header=headers["registrar-signature"], body=request["body"]
    )
    body = json.loads(request["body"])
    assert body["id"] == str(event.event_id) and body["entry"]["reference"].startswith("E-LEEDS/B/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200


def test_a_500_is_retried_with_the_same_event_id_and_body(
    receiver, subscription, eager_retries, django_capture_on_commit_callbacks
):
    receiver.script = [500, 200]
    event = _publish(django_capture_on_commit_callbacks)
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first["body"] == second["body"]
    assert first["headers"]["Registrar-Event-Id"] == second["headers"]["Registrar-Event-Id"] == str(event.event_id)
    assert (first["headers"]["Registrar-Delivery-Attempt"], second["headers"]["Registrar-Delivery-Attempt"]) == (
        "1",
        "2",
    )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_a_timeout_is_recorded_and_retried_later(receiver, subscription, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.script = ["slow"]
    event = events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    delivery = event.deliveries.get()
    with pytest.raises(webhooks.WebhookFailed) as failed:
        webhooks.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and "No answer within" in delivery.last_error
    assert failed.value.retry_in == webhooks.backoff_seconds(1)
    assert delivery.next_attempt_at > delivery.last_attempt_at
    # Before the booked retry a run sends nothing (it is a duplicate); at its time it sends.
    assert webhooks.deliver(delivery_id=delivery.pk).attempts == 1
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    webhooks.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2


def test_after_the_last_attempt_the_delivery_is_marked_failed(
    receiver, subscription, settings, eager_retries, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.script = [500, 503, 502, 200]
    _publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 3 and delivery.last_status_code == 502
    assert len(receiver.received) == 3


def test_a_delivered_event_is_not_sent_again_when_the_task_runs_twice(
    receiver, subscription, django_capture_on_commit_callbacks
):
    _publish(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert deliver_webhook.apply(args=[delivery.pk]).get() == "delivered"
    assert len(receiver.received) == 1


def test_an_unreachable_receiver_is_a_recorded_failure(subscription, receiver):
    receiver.close()
    event = events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    with pytest.raises(webhooks.WebhookFailed):
        webhooks.deliver(delivery_id=event.deliveries.get().pk)
    assert "Could not connect" in WebhookDelivery.objects.get().last_error
    receiver.server = type("Closed", (), {"shutdown": lambda self: None, "server_close": lambda self: None})()


def test_a_switched_off_subscription_gets_nothing(receiver, subscription, django_capture_on_commit_callbacks):
    entry = make_entry(district=RegisterOfficeFactory(code="E-LEEDS"))
    event = events.publish(kind="registered", entry=entry)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(active=False)
    webhooks.deliver(delivery_id=event.deliveries.get().pk)
    assert receiver.received == [] and WebhookDelivery.objects.get().status == "failed"


# --- Signatures ---------------------------------------------------------------------------------------

SECRET = "whsec-" + "k" * 40
BODY = b'{"id":"1","kind":"registered"}'


def test_a_fresh_signature_verifies():
    header = webhooks.sign(secret=SECRET, body=BODY, timestamp=int(time.time()))
    assert webhooks.verify_signature(secret=SECRET, header=header, body=BODY)


def test_an_old_timestamp_is_rejected_even_with_a_right_signature():
    old = int(time.time()) - 301
    header = webhooks.sign(secret=SECRET, body=BODY, timestamp=old)
    assert not webhooks.verify_signature(secret=SECRET, header=header, body=BODY)
    assert webhooks.verify_signature(secret=SECRET, header=header, body=BODY, tolerance=600)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b: (h, b + b" "),  # body changed
        lambda h, b: (h.replace("t=", "t=1"), b),  # timestamp changed
        lambda h, b: (h[:-1] + ("0" if h[-1] != "0" else "1"), b),  # signature changed
        lambda h, b: ("", b),
        lambda h, b: ("garbage", b),
        lambda h, b: ("t=abc,v1=00", b),
    ],
)
def test_tampered_or_malformed_signatures_are_rejected(tamper):
    header, body = tamper(webhooks.sign(secret=SECRET, body=BODY, timestamp=int(time.time())), BODY)
    assert not webhooks.verify_signature(secret=SECRET, header=header, body=body)


def test_the_wrong_secret_is_rejected():
    header = webhooks.sign(secret=SECRET, body=BODY, timestamp=int(time.time()))
    assert not webhooks.verify_signature(secret="whsec-" + "x" * 40, header=header, body=BODY)


# --- Subscriptions ------------------------------------------------------------------------------------


def test_subscriptions_need_https_outside_debug_known_kinds_and_a_long_secret(settings):
    settings.DEBUG = False
    subscription = WebhookSubscription(
        integrator="DVLA", url="http://dvla.example/hooks", secret="short", events=["registered", "married"]
    )
    with pytest.raises(ValidationError) as invalid:
        subscription.full_clean()
    assert set(invalid.value.message_dict) >= {"url"}
    subscription.url = "https://dvla.example/hooks"
    with pytest.raises(ValidationError) as invalid:
        subscription.full_clean()
    assert set(invalid.value.message_dict) == {"events"}
    subscription.events = ["registered"]
    with pytest.raises(ValidationError) as invalid:
        subscription.full_clean()
    assert set(invalid.value.message_dict) == {"secret"}
    subscription.secret = "s" * 40
    subscription.full_clean()
    settings.DEBUG = True
    subscription.url = "http://localhost:9000/hooks"
    subscription.full_clean()


def test_service_admins_manage_subscriptions_in_the_admin_and_registrars_cannot(client):
    def signed_in(role):
        client.logout()
        staff_session(client, StaffFactory(roles=[role], password=None, authenticator=False))

    WebhookSubscriptionFactory(integrator="HM Revenue and Customs")
    signed_in(roles.SERVICE_ADMIN)
    page = client.get("/admin/registrar/webhooksubscription/")
    assert page.status_code == 200 and "HM Revenue and Customs" in page.content.decode()
    assert client.get("/admin/registrar/webhookdelivery/").status_code == 200
    signed_in(roles.REGISTRAR)
    assert client.get("/admin/registrar/webhooksubscription/").status_code == 302
