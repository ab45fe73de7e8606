"""Certificates test set-up: a signing key made once per run in a temporary folder, entries of
the register written through `write_entry()`, and signed-in people."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from identity.access import STAFF_VERIFIED_SESSION_KEY
from registrar import register
from tests.factories import RegisterOfficeFactory, UserFactory

UK = ZoneInfo("Europe/London")


@pytest.fixture(scope="session")
def signing_folder(tmp_path_factory):
    from certificates.signing import create_development_keys

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


def birth(
    district=None,
    *,
    surname="Smith",
    forenames="Ada Mary",
    born=date(1950, 3, 14),
    maiden="Jones",
    father=("John", "Smith"),
    place="St Mary's Hospital, Leeds",
):
    district = district or RegisterOfficeFactory()
    particulars = {
        "child_forenames": forenames,
        "child_surname": surname,
        "sex": "Female",
        "date_of_birth": born.isoformat(),
        "place_of_birth": place,
        "mother_forenames": "Mary",
        "mother_surname": surname,
        "mother_maiden_surname": maiden,
        "father_forenames": father[0] if father else "",
        "father_surname": father[1] if father else "",
    }
    return register.write_entry(
        district=district,
        event="birth",
        event_date=born,
        surname=surname,
        forenames=forenames,
        particulars=particulars,
        index_lines=[register.IndexLine(surname=surname, forenames=forenames, other_surname=maiden)],
        registered_at=timezone.make_aware(datetime.combine(born, time(12)), UK),
        historic=True,
    )


def death(district=None, *, surname="Brown", forenames="Albert", died=date(1980, 6, 1), age=80):
    district = district or RegisterOfficeFactory()
    particulars = {
        "deceased_forenames": forenames,
        "deceased_surname": surname,
        "date_of_death": died.isoformat(),
        "place_of_death": "Leeds General Infirmary",
        "age": str(age),
        "date_of_birth": date(died.year - age, 1, 1).isoformat(),
        "cause_of_death": "Heart failure",
    }
    return register.write_entry(
        district=district,
        event="death",
        event_date=died,
        surname=surname,
        forenames=forenames,
        particulars=particulars,
        index_lines=[register.IndexLine(surname=surname, forenames=forenames, age=age)],
        registered_at=timezone.make_aware(datetime.combine(died, time(12)), UK),
        historic=True,
    )


def marriage(district=None, *, one=("Tom", "Evans"), two=("Sian", "Pritchard"), married=date(1975, 8, 2)):
    district = district or RegisterOfficeFactory()
    particulars = {
        "party1_forenames": one[0],
        "party1_surname": one[1],
        "party2_forenames": two[0],
        "party2_surname": two[1],
        "date_of_marriage": married.isoformat(),
        "place_of_marriage": "Register Office",
    }
    return register.write_entry(
        district=district,
        event="marriage",
        event_date=married,
        surname=one[1],
        forenames=one[0],
        particulars=particulars,
        index_lines=[
            register.IndexLine(surname=one[1], forenames=one[0], other_surname=two[1]),
            register.IndexLine(surname=two[1], forenames=two[0], other_surname=one[1]),
        ],
        registered_at=timezone.make_aware(datetime.combine(married, time(12)), UK),
        historic=True,
    )


@pytest.fixture
def run_on_commit(monkeypatch):
    """Tests run inside one transaction that never commits: run after-commit work at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def person(client):
    user = UserFactory(full_name="Robin Applicant")
    client.force_login(user)
    return user


def sign_in_staff(client, staff) -> None:
    client.force_login(staff)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = timezone.now().isoformat()
    session.save()
