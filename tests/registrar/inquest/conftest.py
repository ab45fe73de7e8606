"""Fixtures for deaths after an inquest: the Leeds and Garforth offices, the West Yorkshire
coroner's API client for Leeds, a registrar of Leeds, and a signing key for interim certificates."""

from __future__ import annotations

import pytest

from certificates.signing import create_development_keys
from identity import roles
from identity.models import RegisterOffice
from tests.factories import StaffFactory, make_leeds_offices
from tests.factories.inquest import coroner


@pytest.fixture(scope="session")
def interim_signing_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("interim-signing")
    create_development_keys(folder)
    return folder


@pytest.fixture(autouse=True)
def _signing_key(settings, interim_signing_folder, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY_PATH = interim_signing_folder / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = interim_signing_folder / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = interim_signing_folder / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def leeds(db):
    return make_leeds_offices()[0]


@pytest.fixture
def garforth(leeds):
    return RegisterOffice.objects.get(code="E-SELBYTEST")


@pytest.fixture
def west_yorkshire(leeds):
    """The coroner's office for West Yorkshire (Eastern): sends for Leeds."""
    return coroner(leeds)


@pytest.fixture
def leeds_registrar(leeds):
    staff = StaffFactory(roles=[roles.REGISTRAR], password=None, full_name="Rita Registrar")
    staff.offices.add(leeds)
    return staff


@pytest.fixture
def garforth_registrar(garforth):
    staff = StaffFactory(roles=[roles.REGISTRAR], password=None)
    staff.offices.add(garforth)
    return staff
