"""Each registration's status page (where it is, what happens next, reference number), the
account's list of registrations, and the reminders sent before the deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django.utils.html import escape

from identity.models import OutboundMessage
from registrar import tasks
from registrar.models import Registration
from tests.factories import (
    MedicalCertificateFactory,
    UserFactory,
    birth_answers,
    death_answers,
    make_leeds_offices,
    make_registration,
    submit_as_informant,
    verify_identity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(client):
    make_leeds_offices()
    user = UserFactory()
    verify_identity(user)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Registration.Status.DRAFT, "Continue your registration"),
        (Registration.Status.WITH_REGISTRAR, "A registrar will look at your registration"),
        (Registration.Status.INFORMATION_REQUESTED, "A registrar needs more information"),
        (Registration.Status.AWAITING_AUTHORITY, "the Registrar General must authorise"),
        (Registration.Status.BLOCKED_BY_CORONER, "referred to the coroner"),
        (Registration.Status.REJECTED, "could not register this"),
        (Registration.Status.WITHDRAWN, "withdrawn"),
    ],
)
def test_the_status_page_says_where_it_is_and_what_happens_next(client, person, status, expected):
    registration = make_registration(informant=person, status=status, answers=birth_answers(declaration=None))
    response = client.get(f"/register/{registration.reference}/")
    text = response.content.decode()
    assert response.status_code == 200
    assert registration.reference in text and expected in text
    assert f"<title>Registration {registration.reference}" in text
    assert escape(registration.get_status_display()) in text


def test_a_registered_birth_shows_its_entry(client, person):
    registration = submit_as_informant(make_registration(informant=person))
    text = client.get(f"/register/{registration.reference}/").content.decode()
    assert registration.entry.entry_reference in text and "order a birth certificate" in text


def test_the_account_lists_the_persons_registrations_only(client, person, django_assert_max_num_queries):
    mine = [make_registration(informant=person) for _ in range(3)]
    theirs = make_registration(informant=UserFactory())
    account = client.get("/account/").content.decode()
    assert "/register/yours/" in account and "Your birth and death registrations" in account
    with django_assert_max_num_queries(8):
        text = client.get("/register/yours/").content.decode()
    for registration in mine:
        assert registration.reference in text
    assert theirs.reference not in text


def test_another_persons_status_page_is_404(client, person):
    other = make_registration(informant=UserFactory())
    assert client.get(f"/register/{other.reference}/").status_code == 404
    assert client.get("/register/RG-NONE-NONE/").status_code == 404


def test_a_reminder_is_sent_14_and_3_days_before_a_birth_deadline_once(person):
    born = timezone.localdate() - timedelta(days=28)  # deadline in 14 days
    registration = make_registration(informant=person, answers=birth_answers(born, declaration=None))
    assert tasks.send_registration_reminders() == 1
    assert tasks.send_registration_reminders() == 1  # beat runs hourly; the message key stops a repeat
    reminders = OutboundMessage.objects.filter(key__contains=f"{registration.reference}:reminder")
    assert reminders.count() == 1
    assert f"{registration.deadline.day} {registration.deadline:%B %Y}" in reminders.get().subject
    with time_machine.travel(timezone.now() + timedelta(days=11), tick=False):
        assert tasks.send_registration_reminders() == 1
    assert OutboundMessage.objects.filter(key__contains=f"{registration.reference}:reminder").count() == 2


def test_no_reminder_for_a_registered_or_sent_registration(person):
    born = timezone.localdate() - timedelta(days=28)
    registration = submit_as_informant(make_registration(informant=person, answers=birth_answers(born)))
    assert registration.status == Registration.Status.REGISTERED
    assert tasks.send_registration_reminders() == 0
    # A reminder queued before registration finds it registered and sends nothing.
    assert tasks.remind_registration(registration.pk, 14) is False


def test_a_death_reminder_2_days_before_the_deadline(person):
    certificate = MedicalCertificateFactory(received_at=timezone.now() - timedelta(days=3))
    registration = make_registration(
        event="death", informant=person, answers=death_answers(certificate, declaration=None)
    )
    assert registration.deadline == timezone.localdate() + timedelta(days=2)
    assert tasks.send_registration_reminders() == 1
    assert OutboundMessage.objects.filter(key__contains=f"{registration.reference}:reminder").exists()


def test_a_reminder_for_a_moved_deadline_is_not_sent(person):
    born = timezone.localdate() - timedelta(days=28)
    registration = make_registration(informant=person, answers=birth_answers(born, declaration=None))
    assert tasks.remind_registration(registration.pk, 3) is False
    assert not OutboundMessage.objects.filter(key__contains="reminder").exists()
