"""Publishing register events: once per entry registered and once per correction, a delivery
per subscribed, active integrator (unique per event and subscription), enqueued only when the
transaction commits, and the "who was told" log for the person's status page."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from registrar import casework, events
from registrar.case_selectors import events_for_entry, events_for_registration
from registrar.models import RegisterEvent, WebhookDelivery
from tests.factories import (
    RegistrationFactory,
    StaffFactory,
    WebhookSubscriptionFactory,
    make_entry,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enqueued():
    with mock.patch("registrar.tasks.deliver_webhook.delay") as delay:
        yield delay


def test_publishing_twice_records_one_event_and_one_delivery_per_subscription(
    office, enqueued, django_capture_on_commit_callbacks
):
    hmrc = WebhookSubscriptionFactory(integrator="HMRC", events=["registered"])
    dwp = WebhookSubscriptionFactory(integrator="DWP", events=["registered", "corrected"])
    WebhookSubscriptionFactory(integrator="Council", events=["corrected"])
    WebhookSubscriptionFactory(integrator="Old", events=["registered"], active=False)
    entry = make_entry(district=office)
    with django_capture_on_commit_callbacks(execute=True):
        first = events.publish(kind="registered", entry=entry)
        again = events.publish(kind="registered", entry=entry)
    assert first == again and RegisterEvent.objects.count() == 1
    assert {d.subscription for d in WebhookDelivery.objects.all()} == {hmrc, dwp}
    assert enqueued.call_count == 2


def test_nothing_is_enqueued_when_the_transaction_rolls_back(office, enqueued, django_capture_on_commit_callbacks):
    WebhookSubscriptionFactory()
    entry = make_entry(district=office)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                events.publish(kind="registered", entry=entry)
                raise RuntimeError("the registration failed after publishing")
        except RuntimeError:
            pass
    assert callbacks == [] and not RegisterEvent.objects.exists() and enqueued.call_count == 0


def test_one_delivery_per_event_and_subscription_is_a_database_rule(office):
    subscription = WebhookSubscriptionFactory()
    event = events.publish(kind="registered", entry=make_entry(district=office))
    with pytest.raises(IntegrityError), transaction.atomic():
        WebhookDelivery.objects.create(event=event, subscription=subscription)


def test_a_registered_event_per_entry_is_a_database_rule(office):
    entry = make_entry(district=office)
    event = events.publish(kind="registered", entry=entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        RegisterEvent.objects.create(event_id=event.event_id.hex[::-1], kind="registered", entry=entry, body="{}")


def test_each_correction_is_its_own_event(office):
    registrar = StaffFactory(roles=["Registrar"])
    registrar.offices.add(office)
    entry = make_entry(district=office)
    casework.correct_entry(
        entry=entry, field="place_of_birth", new_value="York", reason="Typo", evidence="Seen", actor=registrar
    )
    casework.correct_entry(
        entry=entry, field="place_of_birth", new_value="Leeds General", reason="Typo", evidence="Seen", actor=registrar
    )
    assert list(RegisterEvent.objects.values_list("kind", flat=True)) == ["corrected", "corrected"]


def test_publishing_a_correction_again_returns_its_first_event(office, enqueued, django_capture_on_commit_callbacks):
    WebhookSubscriptionFactory(integrator="DWP", events=["corrected"])
    registrar = StaffFactory(roles=["Registrar"])
    registrar.offices.add(office)
    entry = make_entry(district=office)
    with django_capture_on_commit_callbacks(execute=True):
        casework.correct_entry(
            entry=entry, field="place_of_birth", new_value="York", reason="Typo", evidence="Seen", actor=registrar
        )
        correction = entry.corrections.get()
        first = RegisterEvent.objects.get(correction=correction)
        again = events.publish(kind="corrected", entry=entry, correction=correction)
    assert again == first and RegisterEvent.objects.filter(kind="corrected").count() == 1
    assert WebhookDelivery.objects.filter(event=first).count() == 1 and enqueued.call_count == 1


def test_a_first_publish_reads_no_event_before_writing_and_no_deliveries_when_nobody_subscribed(office, enqueued):
    WebhookSubscriptionFactory(integrator="Council", events=["corrected"])
    entry = make_entry(district=office)
    with CaptureQueriesContext(connection) as queries:
        event = events.publish(kind="registered", entry=entry)
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert not any("registerevent" in sql or "webhookdelivery" in sql for sql in selects), selects
    assert RegisterEvent.objects.get() == event and not WebhookDelivery.objects.exists() and enqueued.call_count == 0


@pytest.mark.parametrize(("kind", "with_correction"), [("married", False), ("corrected", False), ("registered", True)])
def test_publish_refuses_nonsense(office, kind, with_correction):
    registrar = StaffFactory(roles=["Registrar"])
    registrar.offices.add(office)
    entry = make_entry(district=office)
    correction = (
        casework.correct_entry(
            entry=entry, field="place_of_birth", new_value="York", reason="r", evidence="e", actor=registrar
        )
        if with_correction
        else None
    )
    before = RegisterEvent.objects.count()
    with pytest.raises(ValueError):
        events.publish(kind=kind, entry=entry, correction=correction)
    assert RegisterEvent.objects.count() == before


def test_who_was_told_lists_each_integrator_with_when(office, enqueued):
    registration = RegistrationFactory(district=office, status="registered")
    WebhookSubscriptionFactory(integrator="HM Revenue and Customs")
    WebhookSubscriptionFactory(integrator="Department for Work and Pensions")
    entry = make_entry(district=office, registration=registration)
    event = events.publish(kind="registered", entry=entry)
    WebhookDelivery.objects.filter(subscription__integrator="HM Revenue and Customs").update(status="delivered")
    told = events_for_registration(registration)
    assert {row["integrator"] for row in told} == {"HM Revenue and Customs", "Department for Work and Pensions"}
    assert all(row["event_id"] == str(event.event_id) and row["kind"] == "registered" for row in told)
    assert {row["status"] for row in told} == {"delivered", "pending"}
    assert events_for_entry(entry) == told
    assert events_for_registration(RegistrationFactory(district=office)) == []
