"""Fixtures of the identity tests: two register offices, a signed-in registrar of one of them, an
identity check waiting for a registrar there, phone support signed in, a way to say that
phone support's search has found someone, and the face matcher's models, loaded once per test
process."""

from __future__ import annotations

import time

import pytest

from identity import roles
from identity.verifiers import face
from tests.factories import RegisterOfficeFactory, StaffFactory, submit_passport_check


@pytest.fixture
def leeds():
    return RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office", postcode="LS1 3AD")


@pytest.fixture
def manchester():
    return RegisterOfficeFactory(code="E-MANCHESTER", name="Manchester Register Office", postcode="M2 5DB")


@pytest.fixture
def registrar(client, leeds, sign_in_staff):
    """A registrar of the Leeds office, signed in on `client`."""
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(leeds)
    sign_in_staff(client, staff)
    return staff


@pytest.fixture
def waiting_case(leeds):
    """A passport check from a Leeds address that needs a registrar (no confirmed mobile)."""
    return submit_passport_check(postcode="LS1 3AD")


@pytest.fixture
def support(client, sign_in_staff):
    """A phone-support member, signed in on `client` (service and API tests that need no page
    override this with one who is not)."""
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    sign_in_staff(client, staff)
    return staff


@pytest.fixture
def found():
    """`found(client, *people)`: as if a search had just found these people (the console opens
    only people it found)."""

    def remember(client, *people) -> None:
        session = client.session
        session["support_found_people"] = {str(person.pk): int(time.time()) for person in people}
        session.save()

    return remember


@pytest.fixture(scope="session")
def face_models():
    """The offline face matcher's models, read once for the whole test process (they stay loaded,
    as in the service)."""
    return face.load_models()
