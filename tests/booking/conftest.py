"""Fixtures for the booking tests: a bookable register office, a signed-in person, a signed-in
registrar of the office, a provisional ceremony there, officers and a time for direct holds, and a
client that asks for Welsh. Helpers shared with other folders are in tests/factories.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from identity import roles
from tests.factories import (
    StaffFactory,
    UserFactory,
    book_ceremony,
    ceremony_slots,
    make_bookable_office,
    signed_in_registrar,
)
from tests.factories.booking_notices import stand_in_notices  # noqa: F401 - a fixture for booking's tests


@pytest.fixture
def calendar():
    """(office, its venue, the ceremony room, the notice room), all bookable."""
    return make_bookable_office()


@pytest.fixture
def office(calendar):
    return calendar[0]


@pytest.fixture
def person(client):
    """A citizen, signed in on `client`."""
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def registrar(client, office):
    return signed_in_registrar(client, office)


@pytest.fixture
def ceremony(office):
    return book_ceremony(ceremony_slots(office)[0])


@pytest.fixture
def officers():
    return StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR]), StaffFactory(roles=[roles.REGISTRAR])


@pytest.fixture
def when():
    start = (timezone.now() + timedelta(days=40)).replace(hour=11, minute=0, second=0, microsecond=0)
    return start, start + timedelta(minutes=45)


@pytest.fixture
def welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    return client
