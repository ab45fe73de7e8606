"""Fixtures of the stillbirth tests: the hospital's API client, a medical certificate of
stillbirth from Leeds, and a verified mother."""

from __future__ import annotations

import pytest

from certificates.signing import create_development_keys
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


@pytest.fixture(scope="session")
def signing_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stillbirth-signing")
    create_development_keys(folder, passphrase="test passphrase")
    return folder


@pytest.fixture
def signing_key(settings, signing_folder):
    """Certified copies are signed: a development key made once per run."""
    settings.CERTIFICATE_SIGNING_KEY_PATH = signing_folder / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = signing_folder / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = signing_folder / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = "test passphrase"
