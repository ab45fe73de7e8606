"""Fixtures of the whole-API tests: one citizen and one registrar with bearer tokens, and the
things of theirs the API answers about (a draft registration with no district yet, a held
ceremony, an identity check, a case waiting in the registrar's office, a register entry)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from certificates.services import issue_order
from certificates.signing import create_development_keys
from identity import roles
from identity.models import User
from identity.services import issue_api_token
from registrar.casework import correct_entry
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    book_ceremony,
    ceremony_slots,
    historic_birth,
    make_bookable_office,
    make_entry,
    make_registration,
    paid_certificate_order,
    submit_passport_check,
)


@dataclass
class Actor:
    name: str
    user: User | None = None
    # Real values for the path parameters of each operation, by parameter name.
    known: dict[str, str] = field(default_factory=dict)

    def headers(self) -> dict[str, str]:
        """A new token each time: signing out (`DELETE /auth/me`) revokes the one it is sent with."""
        if self.user is None:
            return {}
        token, _expires = issue_api_token(user=self.user)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def signing_key(settings, tmp_path):
    create_development_keys(tmp_path, passphrase="test passphrase")
    settings.CERTIFICATE_SIGNING_KEY_PATH = tmp_path / "signing-key.pem"
    settings.CERTIFICATE_SIGNING_CERT_PATH = tmp_path / "signing-cert.pem"
    settings.CERTIFICATE_SIGNING_CA_PATH = tmp_path / "ca-cert.pem"
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = "test passphrase"
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def office():
    return RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office")


@pytest.fixture
def citizen():
    return UserFactory(email="casey@example.com", full_name="Casey Jones")


@pytest.fixture
def registrar(office):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    return staff


@pytest.fixture
def actors(office, citizen, registrar, signing_key) -> list[Actor]:
    """Nobody, the citizen and the registrar, each with the references they can see: the
    citizen's draft registration (no district yet) and booked ceremony, the registrar's waiting
    case and a corrected entry of their office, and an issued certificate anyone may check."""
    draft = make_registration(informant=citizen, answers={})
    make_bookable_office(office)
    ceremony = book_ceremony(ceremony_slots(office)[0], person=citizen)
    submit_passport_check(person=citizen)
    case = RegistrationFactory(district=office, reference="RG-WAIT-0001")
    entry = make_entry(district=office)
    correct_entry(
        entry=entry,
        field="place_of_birth",
        new_value="Leeds General Infirmary",
        reason="Misspelt",
        evidence="Hospital letter",
        actor=registrar,
    )
    order = paid_certificate_order(historic_birth(office, surname="Lovelace", forenames="Ada"))
    issue_order(order_id=order.pk)
    serial = {"serial": order.certificates.get().serial}
    return [
        Actor("anonymous", None, serial),
        Actor("citizen", citizen, {**serial, "reference": draft.reference, "step": "child"}),
        Actor("citizen", citizen, {"reference": ceremony.reference}),
        Actor(
            "registrar",
            registrar,
            {
                "reference": case.reference,
                "district": entry.district.code,
                "letter": entry.entry_reference.split("/")[1],
                "year": str(entry.year),
                "number": str(entry.number),
            },
        ),
    ]
