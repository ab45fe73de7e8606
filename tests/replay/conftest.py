"""A replay needs the real register offices (people are spread over their districts), a signing
key for the certificates (made once per run in a temporary folder) and the sandbox payments."""

import pytest

from certificates.signing import create_development_keys
from tests.factories.identity import make_real_offices


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


@pytest.fixture
def offices(transactional_db):
    return make_real_offices()
