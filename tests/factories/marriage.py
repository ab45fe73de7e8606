"""Proposed marriages and civil partnerships at each stage, written straight to the models so a
test of a later stage need not walk the earlier ones: notices drafted, sent or given, the
Home Office's decision, objections, and the authority with its schedule."""

from __future__ import annotations

import datetime

from django.utils import timezone

from core.references import new_reference
from registrar.marriage import rules
from registrar.models import Notice, Objection, Proposal
from tests.factories.booking import book_ceremony, ceremony_slots, make_bookable_office
from tests.factories.identity import RegisterOfficeFactory, UserFactory, verify_identity

PEOPLE = (
    {"forenames": "Sarah Meredyth", "surname": "Morgan", "born": datetime.date(1990, 3, 11)},
    {"forenames": "Rhys", "surname": "Pritchard", "born": datetime.date(1988, 7, 2)},
)


def notice_answers(
    *,
    forenames: str = "Sarah Meredyth",
    surname: str = "Morgan",
    born: datetime.date = datetime.date(1990, 3, 11),
    condition: str = "never",
    nationality: str = "british",
    immigration_status: str = "",
    lived_there_since: datetime.date = datetime.date(2020, 1, 1),
    postcode: str = "LS1 3AD",
    **sections,
) -> dict:
    """A whole notice's answers (`registrar/marriage/answers.py`), declared."""
    answers = {
        "names": {"forenames": forenames, "surname": surname},
        "date_of_birth": {"date_of_birth": born.isoformat()},
        "condition": {"condition": condition},
        "occupation": {"occupation": "Teacher"},
        "address": {
            "address": "1 Park Row\nLeeds",
            "postcode": postcode,
            "lived_there_since": lived_there_since.isoformat(),
        },
        "nationality": {
            "nationality": nationality,
            "other_nationality": "" if nationality != "other" else "Brazilian",
            "immigration_status": immigration_status,
            "immigration_reference": "",
        },
        "venue": {"confirmed": True},
        "parents": {
            "parents": [
                {"forenames": "Ann", "surname": surname, "occupation": "Nurse"},
                {"forenames": "David", "surname": surname, "occupation": "Engineer"},
            ]
        },
        "declaration": {"declared_at": timezone.now().isoformat()},
    }
    answers.update(sections)
    return answers


def verified_person(**extra):
    person = UserFactory(**extra)
    verify_identity(person)
    return person


def civil_ceremony(office=None, *, days_ahead: int = 60, person=None):
    """A provisional ceremony at a bookable register office, with both parties."""
    office, _venue, _ceremony_room, _notice_room = make_bookable_office(office)
    slot = ceremony_slots(office, days_ahead=days_ahead)[0]
    return book_ceremony(slot, person=person)


def make_proposal(
    *,
    kind: str = "marriage",
    form: str = "civil",
    ceremony=None,
    district=None,
    people=None,
    notices: str = "draft",
    given_on: datetime.date | None = None,
    exempt: bool = True,
    home_office: str | None = None,
    answers: tuple[dict, dict] | None = None,
) -> Proposal:
    """A proposal with both notices in status `notices` ("draft", "sent" or "given"). A civil one
    has a ceremony booked (made here unless given); a religious one names a church. Given notices
    are given on `given_on` (default today) at the ceremony's district and are on display."""
    people = people or (verified_person(), verified_person())
    if form == "civil" and ceremony is None:
        ceremony = civil_ceremony(person=people[0])
    if ceremony is not None:
        district = ceremony.room.venue.office
    district = district or RegisterOfficeFactory()
    proposal = Proposal.objects.create(
        reference=new_reference("MP"),
        kind=kind,
        form=form,
        created_by=people[0],
        ceremony=ceremony,
        venue=ceremony.room.venue if ceremony else None,
        religious_building="" if form == "civil" else "St Anne's Church, Vicar Lane, Leeds",
        intended_date=None if ceremony else timezone.localdate() + datetime.timedelta(days=60),
        district=district,
        home_office=home_office or (Proposal.HomeOffice.NOT_NEEDED if exempt else Proposal.HomeOffice.NOT_YET),
    )
    answers = answers or tuple(
        notice_answers(
            forenames=PEOPLE[index]["forenames"],
            surname=PEOPLE[index]["surname"],
            born=PEOPLE[index]["born"],
            **({} if exempt or index == 0 else {"nationality": "other", "immigration_status": "other"}),
        )
        for index in (0, 1)
    )
    given_on = given_on or timezone.localdate()
    for position, (person, notice_answers_) in enumerate(zip(people, answers, strict=True), start=1):
        notice = Notice.objects.create(
            proposal=proposal,
            position=position,
            reference=new_reference("NT"),
            person=person,
            party=ceremony.parties.get(position=position) if ceremony else None,
            answers=notice_answers_ if notices != "empty" else {},
            exempt=None if notices in ("draft", "empty") else (exempt or position == 1),
        )
        if notices in ("sent", "given"):
            notice.status = Notice.Status.SENT
            notice.sent_at = timezone.now()
        if notices == "given":
            notice.status = Notice.Status.GIVEN
            notice.given_on = given_on
            notice.office = district
            notice.display_until = rules.display_until(given_on)
        notice.save()
    if notices == "given":
        proposal.status = Proposal.Status.WAITING
        proposal.save(update_fields=["status"])
    return proposal


def make_objection(
    notice: Notice, *, status: str = "open", grounds: str = "One of them is already married."
) -> Objection:
    return Objection.objects.create(
        reference=new_reference("OB"),
        notice=notice,
        status=status,
        objector_name="Pat Objector",
        objector_email="pat@example.com",
        grounds=grounds,
    )
