"""An assisted session runs the citizen pages as the person being helped: phone support books a
ceremony for them, sees only that person's things, never outlives the session, never reaches
staff pages as the person; every page and action is audited as done on their behalf."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from booking import services as booking_services
from booking.models import Booking
from identity import assisted, roles
from identity.models import AuditEntry
from tests.factories import PARTY_FORM, StaffFactory, UserFactory, first_ceremony_slot, make_bookable_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(full_name="Sarah Morgan")


@pytest.fixture
def helping(client, support, person, found):
    found(client, person)
    code = assisted.issue_consent_code(person=person)
    client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    return assisted.current_session(staff=support)


def test_phone_support_books_a_ceremony_for_the_person(client, support, person, helping):
    make_bookable_office()
    slot = first_ceremony_slot()
    search = client.get(reverse("booking:search")).content.decode()
    assert "You are acting for Sarah Morgan" in search
    response = client.post(reverse("booking:hold"), {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()})
    booking = Booking.objects.get()
    assert booking.person == person and response.status_code == 302
    client.post(reverse("booking:party", args=[booking.reference, 1]), PARTY_FORM)
    client.post(reverse("booking:party", args=[booking.reference, 2]), PARTY_FORM | {"full_name": "Sam Example"})
    client.post(reverse("booking:confirm", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.status == "provisional"
    actions = AuditEntry.objects.filter(action="assisted.action")
    assert actions.count() == 4
    assert all(entry.actor == support and entry.on_behalf_of == person for entry in actions)
    assert {entry.detail["path"] for entry in actions} >= {
        reverse("booking:hold"),
        reverse("booking:confirm", args=[booking.reference]),
    }
    assert AuditEntry.objects.filter(action="assisted.page_viewed", on_behalf_of=person).exists()


def test_the_session_reaches_only_the_persons_own_things(client, support, person, helping):
    make_bookable_office()
    slot = first_ceremony_slot()
    someone_else = booking_services.hold_published_slot(
        person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    assert client.get(reverse("booking:manage", args=[someone_else.reference])).status_code == 404
    assert client.get(reverse("identity:account")).context["account_user"] == person


def test_staff_pages_are_never_run_as_the_person(client, support, helping):
    html = client.get(reverse("identity:staff-home")).content.decode()
    assert "Help a person by phone" in html and "You are acting for" not in html
    assert client.get(reverse("identity:support-session")).status_code == 200


def test_citizen_pages_are_closed_to_staff_after_the_session(client, support, person, helping):
    assert client.get(reverse("identity:account")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.get(reverse("identity:account")).status_code == 403
    client.post(reverse("identity:support-end"))
    assert client.get(reverse("identity:account")).status_code == 403


def test_a_registrar_never_acts_as_anyone(client, person, sign_in_staff):
    sign_in_staff(client, StaffFactory(roles=[roles.REGISTRAR]))
    assert client.get(reverse("identity:account")).status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="assisted.page").exists()


def test_without_a_session_phone_support_cannot_open_citizen_pages(client, support):
    assert client.get(reverse("identity:account")).status_code == 403
    assert client.get(reverse("booking:mine")).status_code == 403
