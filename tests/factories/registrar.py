"""Registrations and their answers, register entries (historic ones as the loader writes them),
medical certificates and webhook subscriptions."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from core.references import new_reference
from registrar import register
from registrar.models import Registration
from registrar.register import IndexLine, write_entry
from registrar.services import refresh_derived, submit_registration
from tests.factories.identity import RegisterOfficeFactory, UserFactory


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A birth registration waiting for a registrar in its district."""

    class Meta:
        model = "registrar.Registration"

    reference = factory.Sequence(lambda n: f"RG-TEST-{n:04d}")
    event = "birth"
    status = "with_registrar"
    informant = factory.SubFactory(UserFactory)
    district = factory.SubFactory(RegisterOfficeFactory)
    event_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    deadline = factory.LazyAttribute(lambda o: o.event_date + datetime.timedelta(days=42))
    submitted_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    reasons = factory.LazyFunction(lambda: ["parents_not_married"])
    # The citizen journey's shape: answers by question page.
    answers = factory.LazyAttribute(
        lambda o: {
            "child": {"forenames": "Ada Mary", "surname": "Lovelace", "date_of_birth": o.event_date.isoformat()},
            "mother": {"forenames": "Anne Isabella", "surname": "Milbanke"},
            "place": {"place_name": "St James's Hospital, Leeds"},
        }
    )


def make_entry(*, district, event="birth", event_date=None, surname="Lovelace", forenames="Ada Mary", **extra):
    """A register entry written the only way entries are written (register.write_entry)."""

    particulars = extra.pop("particulars", None) or {
        "child_surname": surname,
        "child_forenames": forenames,
        "mother_forenames": "Anne Isabella",
        "mother_surname": "Milbanke",
        "place_of_birth": "Leeds",
    }
    return write_entry(
        district=district,
        event=event,
        event_date=event_date or timezone.localdate() - datetime.timedelta(days=20),
        surname=surname,
        forenames=forenames,
        particulars=particulars,
        index_lines=[IndexLine(surname=surname, forenames=forenames, other_surname="Milbanke")],
        **extra,
    )


class WebhookSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrar.WebhookSubscription"

    integrator = factory.Sequence(lambda n: f"Department {n}")
    url = "https://integrator.example/hooks"
    secret = factory.Sequence(lambda n: f"whsec-{n:04d}-" + "s" * 40)
    events = factory.LazyFunction(lambda: ["registered", "corrected"])
    active = True


class MedicalCertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrar.MedicalCertificate"

    reference = factory.Sequence(lambda n: f"MCCD-{n:06d}")
    deceased_given_names = "Arthur James"
    deceased_surname = "Pendleton"
    deceased_date_of_birth = datetime.date(1941, 3, 9)
    date_of_death = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    place_of_death = "St James's University Hospital, Leeds"
    cause_of_death = "1a Bronchopneumonia"
    certifying_practitioner = "Dr Priya Shah"
    medical_examiner = "Dr Owen Hughes"


def birth_answers(date_of_birth=None, **sections):
    """Complete answers of a birth registered by a married mother, declared."""
    born = date_of_birth or timezone.localdate() - datetime.timedelta(days=10)
    answers = {
        "informant": {"qualification": "mother", "parents_unable": False},
        "child": {
            "forenames": "Olivia Rose",
            "surname": "Hartley",
            "sex": "female",
            "date_of_birth": born.isoformat(),
            "time_of_birth": "04:35",
            "multiple_birth": False,
        },
        "place": {
            "place_type": "hospital",
            "place_name": "Leeds General Infirmary",
            "address": "Great George Street, Leeds",
            "postcode": "LS1 3EX",
        },
        "mother": {
            "forenames": "Emma Louise",
            "surname": "Hartley",
            "maiden_surname": "Clarke",
            "date_of_birth": "1992-04-18",
            "place_of_birth": "York",
            "occupation": "Teacher",
            "address": "12 Park Lane, Leeds",
            "postcode": "LS6 2AB",
        },
        "relationship": {"parents_married": True, "register_jointly": None},
        "father": {
            "forenames": "Daniel",
            "surname": "Hartley",
            "date_of_birth": "1990-11-02",
            "place_of_birth": "Cardiff",
            "occupation": "Electrician",
        },
        "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
    }
    for name, value in sections.items():
        if value is None:
            answers.pop(name, None)
        else:
            answers[name] = {**answers.get(name, {}), **value}
    return answers


def death_answers(mccd, /, **sections):
    """Complete answers of a death registered by a relative present, matching `mccd`."""
    answers = {
        "informant": {
            "qualification": "relative_present",
            "higher_unavailable": False,
            "funeral_director": False,
            "relationship": "Daughter",
        },
        "deceased": {
            "forenames": mccd.deceased_given_names,
            "surname": mccd.deceased_surname,
            "maiden_surname": "",
            "sex": "male",
            "date_of_birth": mccd.deceased_date_of_birth.isoformat(),
            "place_of_birth": "Bradford",
            "occupation": "Retired engineer",
            "address": "4 Oak Road, Leeds",
            "postcode": "LS6 1AA",
        },
        "death": {
            "date_of_death": mccd.date_of_death.isoformat(),
            "place_of_death": mccd.place_of_death,
            "postcode": "LS9 7TF",
        },
        "certificate": {"reference": mccd.reference},
        "informant_details": {"full_name": "Susan Pendleton", "address": "4 Oak Road, Leeds", "postcode": "LS6 1AA"},
        "funeral": {"arranger_name": "Susan Pendleton", "arranger_email": "susan@example.com", "disposal": "cremation"},
        "declaration": {"confirmed": True, "at": timezone.now().isoformat()},
    }
    for name, value in sections.items():
        if value is None:
            answers.pop(name, None)
        else:
            answers[name] = {**answers.get(name, {}), **value}
    return answers


def make_registration(*, event="birth", informant=None, answers=None, **extra):
    """A registration with its derived columns worked out from the answers, as save_answers does."""

    registration = Registration(
        reference=new_reference("RG"),
        event=event,
        informant=informant or UserFactory(),
        answers=answers if answers is not None else birth_answers(),
        **extra,
    )
    refresh_derived(registration)
    registration.save()
    return registration


UK = ZoneInfo("Europe/London")


def _registered_on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)), UK)


def historic_birth(
    district=None,
    *,
    surname="Smith",
    forenames="Ada Mary",
    born=datetime.date(1950, 3, 14),
    maiden="Jones",
    father=("John", "Smith"),
    place="St Mary's Hospital, Leeds",
):
    """A birth in the register as the historic loader writes it, with its index line."""
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
        district=district or RegisterOfficeFactory(),
        event="birth",
        event_date=born,
        surname=surname,
        forenames=forenames,
        particulars=particulars,
        index_lines=[register.IndexLine(surname=surname, forenames=forenames, other_surname=maiden)],
        registered_at=_registered_on(born),
        historic=True,
    )


def historic_death(district=None, *, surname="Brown", forenames="Albert", died=datetime.date(1980, 6, 1), age=80):
    particulars = {
        "deceased_forenames": forenames,
        "deceased_surname": surname,
        "date_of_death": died.isoformat(),
        "place_of_death": "Leeds General Infirmary",
        "age": str(age),
        "date_of_birth": datetime.date(died.year - age, 1, 1).isoformat(),
        "cause_of_death": "Heart failure",
    }
    return register.write_entry(
        district=district or RegisterOfficeFactory(),
        event="death",
        event_date=died,
        surname=surname,
        forenames=forenames,
        particulars=particulars,
        index_lines=[register.IndexLine(surname=surname, forenames=forenames, age=age)],
        registered_at=_registered_on(died),
        historic=True,
    )


def historic_marriage(
    district=None, *, one=("Tom", "Evans"), two=("Sian", "Pritchard"), married=datetime.date(1975, 8, 2)
):
    """A marriage, indexed under both parties."""
    particulars = {
        "party1_forenames": one[0],
        "party1_surname": one[1],
        "party2_forenames": two[0],
        "party2_surname": two[1],
        "date_of_marriage": married.isoformat(),
        "place_of_marriage": "Register Office",
    }
    return register.write_entry(
        district=district or RegisterOfficeFactory(),
        event="marriage",
        event_date=married,
        surname=one[1],
        forenames=one[0],
        particulars=particulars,
        index_lines=[
            register.IndexLine(surname=one[1], forenames=one[0], other_surname=two[1]),
            register.IndexLine(surname=two[1], forenames=two[0], other_surname=one[1]),
        ],
        registered_at=_registered_on(married),
        historic=True,
    )


def submit_as_informant(registration, **kwargs):
    """Send a registration as its informant would: they make the declaration themselves."""

    return submit_registration(registration=registration, declared_by=registration.informant, **kwargs)


def date_fields(name: str, day) -> dict:
    """A GOV.UK date input's three boxes."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def post_step(client, registration, step, data, expect=302):
    """Answer one question page of a registration; the page answers `expect`."""
    response = client.post(f"/register/{registration.reference}/{step}/", data)
    assert response.status_code == expect, response.content.decode()[:2000]
    return response


def birth_pages(born) -> dict[str, dict]:
    """What a married mother types on the birth journey's pages, for a child born on `born`."""
    return {
        "child": {
            "forenames": "Olivia Rose",
            "surname": "Hartley",
            "sex": "female",
            "multiple_birth": "no",
            **date_fields("date_of_birth", born),
        },
        "place": {
            "place_type": "hospital",
            "place_name": "Leeds General Infirmary",
            "address": "Great George Street",
            "postcode": "ls1 3ex",
        },
        "mother": {
            "forenames": "Emma",
            "surname": "Hartley",
            "maiden_surname": "Clarke",
            "place_of_birth": "York",
            "address": "12 Park Lane, Leeds",
            "postcode": "LS6 2AB",
            **date_fields("date_of_birth", born.replace(year=1992)),
        },
        "father": {
            "forenames": "Daniel",
            "surname": "Hartley",
            "place_of_birth": "Cardiff",
            **date_fields("date_of_birth", born.replace(year=1990)),
        },
    }
