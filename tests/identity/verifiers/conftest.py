"""Fixtures of the checker tests: the facts of a passport, a driving licence and a person, two
photos, `serve(role)` starting a provider server for that role (provider_server.py) with the
settings pointing at it, and an address where nothing listens."""

from __future__ import annotations

import socket
from datetime import date

import pytest

from identity.verifiers import DocumentFacts, PersonFacts
from tests.factories.identity import MRZ_LINE1, document_photo, mrz_line2

from .provider_server import KEY, PROVIDERS, ProviderServer


@pytest.fixture
def serve(settings):
    """serve(role) starts that role's provider and points the settings at it."""
    servers = []

    def start(role: str) -> ProviderServer:
        prefix, routes = PROVIDERS[role]
        server = ProviderServer(routes)
        servers.append(server)
        setattr(settings, f"{prefix}_URL", server.url)
        setattr(settings, f"{prefix}_KEY", KEY)
        return server

    yield start
    violations = []
    for server in servers:
        server.close()
        violations += server.violations
    assert violations == [], "the adapter broke the provider's contract"


@pytest.fixture
def refused_url():
    """An address on this machine where nothing listens: a bound socket that never listens, so
    a connection is refused and no other test can take the port meanwhile."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()


@pytest.fixture
def person():
    return PersonFacts(
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=date(1976, 3, 11),
        address="12 Park Row\nLeeds",
        postcode="ls1 5hd",
    )


@pytest.fixture
def passport():
    return DocumentFacts(
        document_type="passport",
        number="123456789",
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=date(1976, 3, 11),
        expiry_date=date(2030, 1, 1),
        mrz_line1=MRZ_LINE1,
        mrz_line2=mrz_line2(),
    )


@pytest.fixture
def licence():
    return DocumentFacts(
        document_type="driving_licence",
        number="MORGA753116SM9IJ",
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=date(1976, 3, 11),
        expiry_date=date(2031, 5, 4),
    )


@pytest.fixture(scope="session")
def document_image():
    return document_photo(size=(400, 300))


@pytest.fixture(scope="session")
def selfie():
    return document_photo(size=(300, 400), fmt="PNG")
