"""Giving notice online: each question page filled in as a person would post it, and as the API
takes it, for a person born in 1990 who has lived at their address since 2020."""

from __future__ import annotations

import datetime

from registrar.marriage import notice_services
from registrar.models import Notice, Proposal
from tests.factories.marriage import civil_ceremony, verified_person


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def notice_pages(*, born=datetime.date(1990, 3, 11), since=datetime.date(2020, 1, 1), surname="Morgan") -> dict:
    """Every question page's form data, in order."""
    return {
        "names": {"forenames": "Sarah Meredyth", "surname": surname},
        "date_of_birth": date_fields("date_of_birth", born),
        "condition": {"condition": "never"},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 Park Row\nLeeds", "postcode": "ls1 3ad", **date_fields("lived_there_since", since)},
        "nationality": {"nationality": "british"},
        "venue": {"confirmed": "yes"},
        "parents": {
            "parent_1_forenames": "Ann",
            "parent_1_surname": surname,
            "parent_1_occupation": "Nurse",
            "parent_2_forenames": "David",
            "parent_2_surname": surname,
        },
        "declaration": {"confirmed": "on"},
    }


def notice_json(*, born="1990-03-11", since="2020-01-01", surname="Morgan") -> dict:
    """Every step's body as the API takes it."""
    return {
        "names": {"forenames": "Sarah Meredyth", "surname": surname},
        "date_of_birth": {"date_of_birth": born},
        "condition": {"condition": "never"},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 Park Row\nLeeds", "postcode": "ls1 3ad", "lived_there_since": since},
        "nationality": {"nationality": "british"},
        "venue": {"confirmed": True},
        "parents": {
            "parents": [
                {"forenames": "Ann", "surname": surname, "occupation": "Nurse"},
                {"forenames": "David", "surname": surname},
            ]
        },
        "declaration": {"confirmed": True},
    }


def started_proposal(*, person=None, kind: str = "marriage", days_ahead: int = 60) -> Proposal:
    """A proposal started from the person's own provisional ceremony, through the service."""
    person = person or verified_person()
    ceremony = civil_ceremony(person=person, days_ahead=days_ahead)
    return notice_services.start_from_booking(person=person, booking_reference=ceremony.reference, kind=kind)


def first_notice(proposal: Proposal) -> Notice:
    return proposal.notices.get(position=1)
