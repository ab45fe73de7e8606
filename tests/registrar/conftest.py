"""Fixtures of the registration tests: register offices, the people who register and the staff
who work the cases, a case waiting for a registrar, and a local webhook receiver."""

from __future__ import annotations

import pytest
import time_machine
from django.utils import timezone

from certificates.signing import create_development_keys
from config.celery import app
from identity import roles
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    WebhookSubscriptionFactory,
    make_leeds_offices,
    verify_identity,
)
from tests.webhook_receiver import Receiver


@pytest.fixture(scope="session")
def registration_signing_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("registration-signing")
    create_development_keys(folder)
    return folder


@pytest.fixture(autouse=True)
def _signing_key(settings, registration_signing_folder, tmp_path):
    """The service's signing key: the documents issued at registration (the certificate for
    burial or cremation, the still-birth's certificates) are signed, and kept under MEDIA_ROOT."""
    settings.CERTIFICATE_SIGNING_KEY_PATH = registration_signing_folder / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = registration_signing_folder / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = registration_signing_folder / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def offices():
    """Offices for the postcodes the example answers use."""
    return make_leeds_offices()


@pytest.fixture
def office():
    return RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office")


@pytest.fixture
def registrar(office):
    """A registrar of `office` (not signed in)."""
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    return staff


@pytest.fixture
def general():
    """The Registrar General's office: every office, and the authority for late registrations."""
    return StaffFactory(roles=[roles.REGISTRAR_GENERAL])


@pytest.fixture
def waiting(office):
    """A birth registration with a registrar of `office`."""
    return RegistrationFactory(district=office, reference="RG-WAIT-0001")


@pytest.fixture
def mother():
    """A mother with a verified identity (not signed in)."""
    person = UserFactory(email="emma@example.com")
    verify_identity(person)
    return person


@pytest.fixture
def relative():
    """A relative of someone who died, with a verified identity (not signed in)."""
    person = UserFactory(email="susan@example.org")
    verify_identity(person)
    return person


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def subscription(receiver):
    return WebhookSubscriptionFactory(integrator="HM Revenue and Customs", url=receiver.url)


@pytest.fixture
def eager_retries(monkeypatch):
    """In-process Celery runs a task's retries one after the other (countdowns skipped) only
    when eager errors are not propagated; a worker would wait the backoff between them, so each
    delivery runs at its booked time (a run before it is a duplicate, which sends nothing)."""
    from registrar import webhooks
    from registrar.models import WebhookDelivery

    deliver = webhooks.deliver

    def at_its_time(*, delivery_id):
        due = WebhookDelivery.objects.filter(pk=delivery_id).values_list("next_attempt_at", flat=True).first()
        if due is None or due <= timezone.now():
            return deliver(delivery_id=delivery_id)
        with time_machine.travel(due, tick=True):
            return deliver(delivery_id=delivery_id)

    monkeypatch.setattr(webhooks, "deliver", at_its_time)
    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous
