"""Demo data for `make run`: couples whose notices are on the public notices page in Leeds and
Cardiff (a marriage and a civil partnership), a religious marriage authorised with its schedule
waiting for the officiant, and the officiant's account for returning it through the API.
Idempotent: each couple is made once, found again by its first person's email."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from core.references import new_reference
from identity.models import IdentityCase, RegisterOffice, User

from ..models import Notice, Proposal
from . import rules, schedule_services

OFFICIANT_EMAIL = "officiant@registrar.example"

# (office code, kind, form, days since notice, the two people: email, forenames, surname, born)
COUPLES = [
    (
        "E-LEEDS",
        Proposal.Kind.MARRIAGE,
        Proposal.Form.CIVIL,
        5,
        [
            ("amara.okafor@demo.example", "Amara", "Okafor", date(1991, 4, 2)),
            ("tom.hughes@demo.example", "Tom", "Hughes", date(1989, 11, 23)),
        ],
    ),
    (
        "W-CARDIFF",
        Proposal.Kind.CIVIL_PARTNERSHIP,
        Proposal.Form.CIVIL,
        12,
        [
            ("ffion.jones@demo.example", "Ffion", "Jones", date(1986, 6, 14)),
            ("cerys.evans@demo.example", "Cerys", "Evans", date(1988, 1, 30)),
        ],
    ),
    (
        "E-LEEDS",
        Proposal.Kind.MARRIAGE,
        Proposal.Form.RELIGIOUS,
        40,
        [
            ("grace.adeyemi@demo.example", "Grace", "Adeyemi", date(1993, 8, 9)),
            ("daniel.price@demo.example", "Daniel", "Price", date(1992, 2, 17)),
        ],
    ),
]


def _person(email: str, forenames: str, surname: str) -> User:
    person, created = User.objects.get_or_create(email=email, defaults={"full_name": f"{forenames} {surname}"})
    if created:
        IdentityCase.objects.create(
            person=person,
            reference=new_reference("ID"),
            status=IdentityCase.Status.VERIFIED,
            decided_at=timezone.now(),
        )
    return person


def _answers(forenames: str, surname: str, born: date, postcode: str) -> dict:
    return {
        "names": {"forenames": forenames, "surname": surname},
        "date_of_birth": {"date_of_birth": born.isoformat()},
        "condition": {"condition": Notice.Condition.NEVER},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 High Street", "postcode": postcode, "lived_there_since": "2019-05-01"},
        "nationality": {"nationality": "british", "immigration_status": ""},
        "venue": {"confirmed": True},
        "parents": {"parents": [{"forenames": "Ann", "surname": surname, "occupation": "Nurse"}]},
        "declaration": {"declared_at": timezone.now().isoformat()},
    }


def _couple(office: RegisterOffice, kind: str, form: str, days_ago: int, people: list) -> Proposal | None:
    first = User.objects.filter(email=people[0][0]).first()
    if first is not None and first.proposals.exists():
        return None
    given_on = timezone.localdate() - timedelta(days=days_ago)
    venue = office.venues.filter(kind="register_office").first()
    with transaction.atomic():
        persons = [_person(email, forenames, surname) for email, forenames, surname, _born in people]
        religious = form == Proposal.Form.RELIGIOUS
        proposal = Proposal.objects.create(
            reference=new_reference("MP"),
            kind=kind,
            form=form,
            created_by=persons[0],
            venue=None if religious else venue,
            religious_building=f"St Mary's Church, {office.town}" if religious else "",
            intended_date=given_on + timedelta(days=45),
            district=office,
            home_office=Proposal.HomeOffice.NOT_NEEDED,
            status=Proposal.Status.WAITING,
        )
        pairs = zip(persons, people, strict=True)
        for position, (person, (_email, forenames, surname, born)) in enumerate(pairs, start=1):
            Notice.objects.create(
                proposal=proposal,
                position=position,
                reference=new_reference("NT"),
                person=person,
                answers=_answers(forenames, surname, born, office.postcode),
                exempt=True,
                status=Notice.Status.GIVEN,
                sent_at=timezone.now(),
                given_on=given_on,
                office=office,
                display_until=rules.display_until(given_on),
            )
    if rules.authority_problem(proposal, today=timezone.localdate()) is None:
        schedule_services.issue_authority(proposal)
    return proposal


def load_demo_marriages() -> int:
    """The demo couples; returns how many were made now."""
    made = 0
    for code, kind, form, days_ago, people in COUPLES:
        office = RegisterOffice.objects.filter(code=code).first()
        if office is not None and _couple(office, kind, form, days_ago, people) is not None:
            made += 1
    return made
