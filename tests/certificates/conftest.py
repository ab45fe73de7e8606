"""Certificates test set-up: a signing key made once per run in a temporary folder, the sandbox
payment provider, a signed-in person, an issued certificate of a Leeds entry, and staff of
Leeds and of York."""

from __future__ import annotations

import pytest

from certificates import services
from certificates.signing import create_development_keys
from identity import roles
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, historic_birth, paid_certificate_order


@pytest.fixture(scope="session")
def signing_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("signing")
    create_development_keys(folder, passphrase="test passphrase")
    return folder


@pytest.fixture(autouse=True)
def _signing_key(settings, signing_folder):
    settings.CERTIFICATE_SIGNING_KEY_PATH = signing_folder / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = signing_folder / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = signing_folder / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = "test passphrase"
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def person(client):
    user = UserFactory(full_name="Robin Applicant")
    client.force_login(user)
    return user


@pytest.fixture
def leeds():
    return RegisterOfficeFactory(code="E-LEEDS-C", name="Leeds Register Office")


@pytest.fixture
def york():
    return RegisterOfficeFactory(code="E-YORK-C", name="York Register Office", town="York", postcode="YO1 9QL")


@pytest.fixture
def issued(leeds):
    """The one certificate of a paid order for Ada Lovelace's birth, registered in Leeds."""
    order = paid_certificate_order(historic_birth(leeds, surname="Lovelace", forenames="Ada"))
    services.issue_order(order_id=order.pk)
    return order.certificates.get()


@pytest.fixture
def staff_member():
    """`staff_member(role, *offices)`: a staff member in that role, belonging to those offices."""
    roles.sync_roles()

    def make(role: str, *offices):
        staff = StaffFactory(roles=[role])
        staff.offices.set(offices)
        return staff

    return make


@pytest.fixture
def leeds_registrar(staff_member, leeds):
    return staff_member(roles.REGISTRAR, leeds)
