"""Fixtures of re-registration: a birth registered online by an unmarried mother alone (no
father named), both parents with verified identities, and a registrar of the office."""

from __future__ import annotations

import pytest

from identity import roles
from registrar import services as registration_services
from tests.factories import StaffFactory, UserFactory, make_leeds_offices, verify_identity
from tests.factories.registrar import birth_answers, make_registration


def register_birth(mother, **sections):
    defaults = {
        "relationship": {"parents_married": False, "register_jointly": False},
        "father": None,
        "child": {"surname": "Clarke"},
        "mother": {"surname": "Clarke"},
    }
    for name, value in sections.items():
        defaults[name] = {**(defaults.get(name) or {}), **value} if value is not None else None
    answers = birth_answers(**defaults)
    registration = make_registration(informant=mother, answers=answers)
    return registration_services.register_registration(registration=registration, actor=None)


@pytest.fixture
def offices():
    return make_leeds_offices()


@pytest.fixture
def mother(offices):
    person = UserFactory(email="emma@example.com", full_name="Emma Clarke")
    verify_identity(person)
    return person


@pytest.fixture
def father():
    person = UserFactory(email="daniel@example.com", full_name="Daniel Hartley")
    verify_identity(person)
    return person


@pytest.fixture
def entry(mother):
    return register_birth(mother)


@pytest.fixture
def registrar(entry):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(entry.district)
    return staff


DETAILS = {
    "father_forenames": "Daniel",
    "father_surname": "Hartley",
    "father_place_of_birth": "Cardiff",
    "father_occupation": "Electrician",
    "child_surname": "Hartley",
    "other_parent_email": "daniel@example.com",
}
