"""Fixtures of the stillbirth tests: the hospital's API client, a medical certificate of
stillbirth from Leeds, and a verified mother."""

from __future__ import annotations

import pytest

from identity import roles
from tests.factories import StaffFactory, UserFactory, make_leeds_offices, verify_identity
from tests.factories.stillbirth import StillbirthCertificateFactory


@pytest.fixture
def offices():
    return make_leeds_offices()


@pytest.fixture
def leeds(offices):
    return offices[0]


@pytest.fixture
def certifier():
    """A hospital's API client, allowed to send medical certificates of stillbirth."""
    return StaffFactory(roles=[roles.STILLBIRTH_CERTIFIER], authenticator=False)


@pytest.fixture
def certificate(leeds):
    return StillbirthCertificateFactory(district=leeds)


@pytest.fixture
def mother():
    person = UserFactory(email="emma@example.com")
    verify_identity(person)
    return person


@pytest.fixture
def father():
    person = UserFactory(email="daniel@example.com")
    verify_identity(person)
    return person
