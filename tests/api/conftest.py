"""Fixtures of the whole-API tests: one citizen and one registrar with bearer tokens, and the
things of theirs the API answers about (a draft registration with no district yet, a held
ceremony, an identity check, a case waiting in the registrar's office, a register entry)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from identity import roles
from identity.models import User
from identity.services import issue_api_token
from tests.factories import (
    RegisterOfficeFactory,
    RegistrationFactory,
    StaffFactory,
    UserFactory,
    make_entry,
    make_registration,
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
def actors(office, citizen, registrar) -> list[Actor]:
    """Anonymous, the citizen and the registrar, each with the references they can see."""
    draft = make_registration(informant=citizen, answers={})
    case = RegistrationFactory(district=office, reference="RG-WAIT-0001")
    entry = make_entry(district=office)
    return [
        Actor("anonymous"),
        Actor("citizen", citizen, {"reference": draft.reference, "step": "child"}),
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
