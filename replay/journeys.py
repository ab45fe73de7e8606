"""One journey per kind of transaction, each through the services the pages and the API call,
acting as the person who would act (and as a registrar of the office where a case needs one).
Each journey is deterministic from its random generator and returns what it wrote."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction

from booking import services as booking_services
from booking.forms import PartyForm
from booking.models import Booking
from booking.selectors.slots import SlotSearch, bookable_dates, find_slots
from certificates import payments
from certificates import services as certificate_services
from certificates.models import CertificateOrder, Payment
from certificates.selectors import needs_birth_details
from core.forms import bind_json
from core.places import WALES, outcodes, registration_district_for
from registrar import services as registration_services
from registrar.forms import FORMS
from registrar.marriage import notice_services
from registrar.marriage.notice_forms import STEP_FORMS
from registrar.models import RegisterEntry, Registration

from .diary import prepare
from .people import citizen, medical_examiner, registrar_of

NAMES = json.loads((Path(settings.BASE_DIR) / "registrar" / "data" / "historic_names.json").read_text("utf-8"))


class JourneyFailed(Exception):
    """A service refused a step the replay expected to pass: the replay stops and says which."""


@cache
def postcode_districts() -> list[str]:
    """Every postcode district of England and Wales, in a fixed order. Each is about the same
    number of households (Royal Mail splits districts as they grow), so picking one at random
    spreads people over registration districts roughly in proportion to population."""
    return sorted(outcodes())


@dataclass
class Person:
    forenames: str
    surname: str
    postcode: str


def _person(rng: random.Random, *, girl: bool, era: str = "1990") -> Person:
    outcode = rng.choice(postcode_districts())
    welsh = outcodes()[outcode].country == WALES
    surnames = NAMES["welsh_surnames" if welsh else "english_surnames"]
    # Surnames are listed most common first: weight by rank, as the historic generator does.
    surname = surnames[min(int(rng.paretovariate(1.2)) - 1, len(surnames) - 1)]
    if welsh and rng.random() < 0.3:
        forenames = rng.choice(NAMES["welsh_girls" if girl else "welsh_boys"])
    else:
        forenames = rng.choice(NAMES["girls_by_era" if girl else "boys_by_era"][era])
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return Person(forenames, surname, f"{outcode} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}")


def _answer(registration: Registration, step: str, body: dict) -> Registration:
    """One question page, validated by its form exactly as the API validates it."""
    form = bind_json(FORMS[registration.event][step], body, registration=registration)
    if not form.is_valid():
        raise JourneyFailed(f"{registration.event} step {step}: {form.errors.as_json()}")
    return registration_services.save_answers(registration=registration, step=step, values=form.answer_values())


def _registered(registration: Registration) -> RegisterEntry:
    """After the declaration: registered at once, or (a case the service cannot decide alone) by a
    registrar of the district, as they would from the exception queue."""
    registration.refresh_from_db()
    if registration.status != Registration.Status.REGISTERED:
        registrar = registrar_of(prepare(registration.district))
        if registrar is None:
            raise JourneyFailed(f"no registrar at {registration.district.code} for a {registration.status} case")
        registration_services.register_registration(
            registration=registration, actor=registrar, transition="register_case"
        )
    return RegisterEntry.objects.get(registration=registration)


def birth(rng: random.Random, label: str, *, today: date) -> RegisterEntry:
    """A mother registers her baby's birth online (born 1 to 41 days ago, married or not)."""
    girl = rng.random() < 0.49
    mother = _person(rng, girl=True)
    child = _person(rng, girl=girl, era="2010")
    informant = citizen(label, f"{mother.forenames} {mother.surname}")
    born = today - timedelta(days=rng.randint(1, 41))
    married = rng.random() < 0.51
    registration = registration_services.start_registration(informant=informant, event="birth")
    steps = [
        ("informant", {"qualification": "mother"}),
        (
            "child",
            {
                "forenames": child.forenames,
                "surname": mother.surname,
                "sex": "female" if girl else "male",
                "date_of_birth": born.isoformat(),
                "multiple_birth": False,
            },
        ),
        ("place", {"place_type": "home", "address": "3 Elm Street", "postcode": mother.postcode}),
        (
            "mother",
            {
                "forenames": mother.forenames,
                "surname": mother.surname,
                "date_of_birth": (born - timedelta(days=rng.randint(18 * 365, 42 * 365))).isoformat(),
                "place_of_birth": "Leeds",
                "address": "3 Elm Street",
            },
        ),
        ("relationship", {"parents_married": married, "register_jointly": False if not married else None}),
    ]
    if married:
        steps.append(
            (
                "father",
                {
                    "forenames": rng.choice(NAMES["boys_by_era"]["1990"]),
                    "surname": mother.surname,
                    "date_of_birth": (born - timedelta(days=rng.randint(18 * 365, 45 * 365))).isoformat(),
                    "place_of_birth": "York",
                },
            )
        )
    for step, body in steps:
        registration = _answer(registration, step, body)
    registration_services.submit_registration(registration=registration, declared_by=informant, today=today)
    return _registered(registration)


def death(rng: random.Random, label: str, *, today: date) -> RegisterEntry:
    """A medical examiner sends the MCCD; a relative who was present registers the death."""
    deceased = _person(rng, girl=rng.random() < 0.5, era="1940")
    died = today - timedelta(days=rng.randint(1, 4))
    born = died - timedelta(days=rng.randint(50 * 365, 98 * 365))
    # The service allows 40 characters; the label can be longer, and is unique, so its digest is.
    reference = f"MCCD-{hashlib.sha256(label.encode()).hexdigest()[:24]}".upper()
    registration_services.record_medical_certificate(
        submitted_by=medical_examiner(),
        details={
            "reference": reference,
            "deceased_given_names": deceased.forenames,
            "deceased_surname": deceased.surname,
            "deceased_date_of_birth": born,
            "date_of_death": died,
            "place_of_death": "Home",
            "place_of_death_postcode": deceased.postcode,
            "cause_of_death": "1a Bronchopneumonia",
            "certifying_practitioner": "Dr Priya Shah",
            "medical_examiner": "Dr Owen Hughes",
        },
    )
    relative = citizen(label, f"Sam {deceased.surname}")
    registration = registration_services.start_registration(informant=relative, event="death")
    for step, body in [
        ("informant", {"qualification": "relative_present", "relationship": "Child"}),
        (
            "deceased",
            {
                "forenames": deceased.forenames,
                "surname": deceased.surname,
                "sex": "female" if rng.random() < 0.5 else "male",
                "date_of_birth": born.isoformat(),
                "address": "4 Oak Road",
            },
        ),
        ("death", {"date_of_death": died.isoformat(), "place_of_death": "Home", "postcode": deceased.postcode}),
        ("certificate", {"reference": reference}),
        (
            "informant_details",
            {"full_name": relative.full_name, "address": "4 Oak Road", "postcode": deceased.postcode},
        ),
        ("funeral", {"arranger_name": relative.full_name, "arranger_email": relative.email, "disposal": "cremation"}),
    ]:
        registration = _answer(registration, step, body)
    registration_services.submit_registration(registration=registration, declared_by=relative, today=today)
    return _registered(registration)


def _party(person: Person, email: str, born: date) -> dict:
    form = bind_json(
        PartyForm,
        {
            "full_name": f"{person.forenames} {person.surname}",
            "date_of_birth": born.isoformat(),
            "email": email,
            "postcode": person.postcode,
            "lived_there_since": "2020-01-01",
        },
    )
    if not form.is_valid():
        raise JourneyFailed(f"party: {form.errors.as_json()}")
    return form.cleaned_data


def ceremony(rng: random.Random, label: str, *, today: date, day: int) -> Booking:
    """A couple search the national calendar near home, hold a civil ceremony at their district's
    register office and book it with both parties' details (provisional until notice is given)."""
    one, two = _person(rng, girl=True), _person(rng, girl=rng.random() < 0.05)
    first = citizen(f"{label}-1", f"{one.forenames} {one.surname}")
    office = prepare(registration_district_for(one.postcode))
    earliest, latest = bookable_dates(Booking.Kind.CEREMONY, today=today)
    # Spread over the months ahead, the way couples book: the replay's day moves the window on.
    start = min(earliest + timedelta(days=(day * 7 + rng.randint(0, 90)) % 200), latest - timedelta(days=14))
    born = date(1990, 1, 1) + timedelta(days=rng.randint(0, 3000))
    for window in (14, 60, (latest - start).days):
        slots = find_slots(
            SlotSearch(
                kind=Booking.Kind.CEREMONY,
                date_from=start,
                date_to=start + timedelta(days=window),
                office_ids=frozenset({office.pk}),
                limit=5,
            )
        )
        for slot in slots:
            try:
                held = booking_services.hold_published_slot(
                    person=first, room=slot.room, starts_at=slot.starts_at, kind=Booking.Kind.CEREMONY
                )
            except booking_services.SlotUnavailable:
                continue
            return booking_services.book_held_slot(
                booking=held,
                actor=first,
                parties=[
                    _party(one, first.email, born),
                    _party(two, f"{label}-2@replay.invalid", born - timedelta(days=400)),
                ],
            )
    raise JourneyFailed(f"no ceremony slot at {office.code} from {start}")


def _give_notice(notice, person, who: Person, born: date) -> None:
    for step, body in {
        "names": {"forenames": who.forenames, "surname": who.surname},
        "date_of_birth": {"date_of_birth": born.isoformat()},
        "condition": {"condition": "never"},
        "occupation": {"occupation": "Teacher"},
        "address": {"address": "1 Park Row", "postcode": who.postcode, "lived_there_since": "2020-01-01"},
        "nationality": {"nationality": "british"},
        "venue": {"confirmed": True},
        "parents": {"parents": [{"forenames": "Ann", "surname": who.surname, "occupation": "Nurse"}]},
        "declaration": {"confirmed": True},
    }.items():
        form_class = STEP_FORMS[step]
        form = bind_json(form_class, form_class.from_json(body), notice=notice)
        if not form.is_valid():
            raise JourneyFailed(f"notice step {step}: {form.errors.as_json()}")
        notice = notice_services.save_answer(notice=notice, person=person, step=step, values=form.answer_values())
    notice_services.send_notice(notice=notice, person=person)


def notices(rng: random.Random, label: str, *, booking: Booking) -> int:
    """Both notices for a booked ceremony: the first person starts from the booking and invites
    the other, who joins with their own verified account; each gives their own notice."""
    first = booking.person
    one, two = _person(rng, girl=True), _person(rng, girl=False)
    proposal = notice_services.start_from_booking(person=first, booking_reference=booking.reference, kind="marriage")
    second_person = citizen(f"{label}-2", f"{two.forenames} {two.surname}")
    invited = notice_services.invite_other_person(proposal=proposal, person=first, email=second_person.email)
    second = notice_services.accept_invitation(token=notice_services.invitation_token(invited), person=second_person)
    born = date(1988, 1, 1) + timedelta(days=rng.randint(0, 3000))
    _give_notice(proposal.notices.get(position=1), first, one, born)
    _give_notice(second, second_person, two, born)
    return 2


def copies(rng: random.Random, label: str, *, copies: int, entries: list[int]) -> CertificateOrder:
    """Someone finds an entry the replay registered, orders `copies` copies, confirms the birth
    details when the entry needs them, gives their address and pays with the sandbox's card; the
    certificates are then made by the Celery workers."""
    entry = RegisterEntry.objects.get(pk=rng.choice(entries))
    person = citizen(label, "Robin Applicant")
    kind = "full_birth" if entry.event == "birth" else "death"
    order = certificate_services.start_order(person=person, entry=entry, kind=kind, copies=copies)
    if needs_birth_details(entry):
        particulars = entry.particulars
        order = certificate_services.confirm_birth_details(
            order=order,
            date_of_birth=date.fromisoformat(particulars["date_of_birth"]),
            place_of_birth=particulars.get("place_of_birth", ""),
            mother_name=" ".join(
                filter(None, [particulars.get("mother_forenames"), particulars.get("mother_surname")])
            ),
            father_name=" ".join(
                filter(None, [particulars.get("father_forenames"), particulars.get("father_surname")])
            ),
        )
    certificate_services.save_applicant(
        order=order, name=person.full_name, email=person.email, address="1 High Street", postcode="LS1 3AD"
    )
    payment = certificate_services.start_payment(order=order, return_url=lambda reference: settings.SITE_URL + "/")
    if settings.PAYMENT_PROVIDER == "sandbox":
        # The sandbox's hosted page pays inside its own request's transaction.
        with transaction.atomic():
            payments.pay_in_sandbox(
                payment_id=payment.provider_payment_id, card_number=payments.SandboxProvider.SUCCESS_CARD
            )
    payment = certificate_services.confirm_payment(payment=payment)
    if payment.status != Payment.Status.SUCCESS:
        raise JourneyFailed(f"payment {payment.pk} ended {payment.status}")
    return order
