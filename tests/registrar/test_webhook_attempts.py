"""A webhook delivery's attempt is counted before the request is sent, so an attempt whose
worker dies mid-send still counts and the attempts run out at WEBHOOK_MAX_ATTEMPTS."""

from __future__ import annotations

from unittest import mock

import pytest

from registrar import events, webhooks
from registrar.models import WebhookDelivery
from tests.factories import RegisterOfficeFactory, make_entry

pytestmark = pytest.mark.django_db


def test_an_attempt_that_dies_mid_send_is_counted_and_the_attempts_run_out(
    subscription, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=False):
        events.publish(kind="registered", entry=make_entry(district=RegisterOfficeFactory(code="E-LEEDS")))
    delivery = WebhookDelivery.objects.get()
    with mock.patch.object(webhooks.requests, "post", side_effect=SystemExit("killed")) as post:
        for attempt in (1, 2, 3):
            with pytest.raises(SystemExit):
                webhooks.deliver(delivery_id=delivery.pk)
            delivery.refresh_from_db()
            assert delivery.attempts == attempt and delivery.status == WebhookDelivery.Status.PENDING
        webhooks.deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.FAILED and post.call_count == 3
