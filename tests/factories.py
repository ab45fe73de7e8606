"""factory_boy factories and helpers shared by the test folders: accounts and offices, bookings
and the office diary's staff, registrations and register entries, certificate orders and identity
evidence, made the way the services make them."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import factory
import pyotp
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw
from rest_framework.test import APIClient

from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.demo import ensure_officers, ensure_patterns
from booking.models import Booking, Room, RotaShift
from certificates import services as certificate_services
from certificates.models import Certificate, CertificateOrder
from identity import cases
from identity.access import STAFF_VERIFIED_SESSION_KEY
from identity.checks import check_digit
from identity.models import RegisterOffice, StaffAuthenticator, User
from identity.services import issue_api_token
from registrar import register

STAFF_PASSWORD = "correct-horse-battery-staple-42"
OFFICES_CSV = Path(__file__).resolve().parent.parent / "identity" / "data" / "register_offices.csv"


class RegisterOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegisterOffice
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"E-TEST{n}")
    name = factory.Sequence(lambda n: f"Test Register Office {n}")
    region = "Yorkshire and the Humber"
    address = "Town Hall, The Headrow"
    town = "Leeds"
    postcode = "LS1 3AD"
    latitude = "53.7997"
    longitude = "-1.5492"


def make_real_offices(*codes: str) -> dict[str, RegisterOffice]:
    """Register offices as identity/data/register_offices.csv has them (all, or the codes
    named), loaded as `manage.py load_demo_data` loads them; by code."""
    from identity.services import import_register_offices

    with OFFICES_CSV.open(newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if not codes or row["code"] in codes]
    assert not codes or len(rows) == len(codes), "an office code is not in the office data"
    import_register_offices(rows=rows)
    return {office.code: office for office in RegisterOffice.objects.filter(code__in=[row["code"] for row in rows])}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_GB")
    email_verified_at = factory.LazyFunction(timezone.now)


class StaffFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@registrar.example")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", STAFF_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        from django.contrib.auth.models import Group

        if extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        self.save()

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if extracted is False:
            return
        StaffAuthenticator.objects.create(user=self, secret=pyotp.random_base32(32), confirmed_at=timezone.now())


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Venue"

    code = factory.Sequence(lambda n: f"VENUE-{n}")
    name = factory.Sequence(lambda n: f"Test Venue {n}")
    kind = "register_office"
    office = factory.SubFactory(RegisterOfficeFactory)
    address = "Town Hall, The Headrow"
    postcode = "LS1 3AD"
    latitude = "53.7997"
    longitude = "-1.5492"
    capacity = 60


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Room"

    venue = factory.SubFactory(VenueFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 40


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "booking.Party"

    position = 1
    full_name = factory.Sequence(lambda n: f"Party Person {n}")
    date_of_birth = datetime.date(1990, 5, 17)
    email = factory.Sequence(lambda n: f"party{n}@example.com")
    postcode = "LS1 3AD"
    lived_there_since = datetime.date(2020, 1, 1)


def add_parties(booking, **extra):
    """Both parties of a ceremony, as check-your-answers needs them."""
    return [PartyFactory(booking=booking, position=position, **extra) for position in (1, 2)]


def make_bookable_office(office=None, *, code=None, postcode="LS1 3AD", latitude="53.7997", longitude="-1.5492"):
    """A register office that can be booked: its venue with a ceremony room (Mon-Sat 10:00-16:00,
    45-minute slots every hour) and a notice room (Mon-Fri 09:30-16:30, 30 minutes every 45),
    two superintendent registrars and two registrars on a Mon-Sat 08:30-18:30 rota."""

    office = office or RegisterOfficeFactory(
        code=code or f"E-BOOK{RegisterOffice.objects.count()}",
        postcode=postcode,
        latitude=latitude,
        longitude=longitude,
    )
    booking_services.ensure_office_venues()
    venue = office.venues.get(kind="register_office")
    ceremony_room = Room.objects.get(venue=venue, name="Ceremony room")
    notice_room = Room.objects.get(venue=venue, name="Notice room")
    ensure_patterns(
        ceremony_room,
        kind=Booking.Kind.CEREMONY,
        days=range(0, 6),
        opens=datetime.time(10),
        closes=datetime.time(16),
        duration=45,
        gap=15,
    )
    ensure_patterns(
        notice_room,
        kind=Booking.Kind.NOTICE,
        days=range(0, 5),
        opens=datetime.time(9, 30),
        closes=datetime.time(16, 30),
        duration=30,
        gap=15,
    )
    officers = ensure_officers(office)
    for officer in officers:
        for weekday in range(6):
            RotaShift.objects.get_or_create(
                officer=officer,
                weekday=weekday,
                starts=datetime.time(8, 30),
                defaults={"office": office, "ends": datetime.time(18, 30)},
            )
    return office, venue, ceremony_room, notice_room


# --- Registrar casework: registrations and entries made directly ---------------------------------------


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
    from registrar.register import IndexLine, write_entry

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


def sign_in_staff(client, staff) -> None:
    """Password and authenticator app, as the staff sign-in pages ask."""
    client.post(reverse("identity:staff-sign-in"), {"email": staff.email, "password": STAFF_PASSWORD})
    secret = StaffAuthenticator.objects.get(user=staff).secret
    client.post(reverse("identity:staff-code"), {"code": pyotp.TOTP(secret).now()})


def staff_session(client, staff) -> None:
    """Leave `client` with the session the staff sign-in leaves (both factors), without going
    through its pages: for tests of what staff do once signed in (the sign-in itself is tested in
    tests/identity), and much quicker than checking a password each time."""
    client.force_login(staff)
    session = client.session
    session[STAFF_VERIFIED_SESSION_KEY] = timezone.now().isoformat()
    session.save()


# --- Birth and death registrations (registrar journeys) --------------------------------------------


def verify_identity(person):
    """Give the person a verified identity check (medium confidence)."""
    from core.references import new_reference
    from identity.models import IdentityCase

    return IdentityCase.objects.create(
        person=person, reference=new_reference("ID"), status=IdentityCase.Status.VERIFIED, decided_at=timezone.now()
    )


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
    from core.references import new_reference
    from registrar.models import Registration
    from registrar.services import _refresh_derived

    registration = Registration(
        reference=new_reference("RG"),
        event=event,
        informant=informant or UserFactory(),
        answers=answers if answers is not None else birth_answers(),
        **extra,
    )
    _refresh_derived(registration)
    registration.save()
    return registration


def make_leeds_offices():
    """Register offices for the postcodes the example answers use (LS1, LS9, LS25)."""
    return [
        RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office", postcode="LS1 3AD"),
        RegisterOfficeFactory(code="E-SELBYTEST", name="Garforth Register Office", postcode="LS25 1AA"),
    ]


# --- Historic register entries and certificate orders ---------------------------------------------

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


def paid_certificate_order(entry, *, kind="full_birth", copies=1, person=None) -> CertificateOrder:
    """An order for `entry` with the applicant robin@example.com, marked paid (as a confirmed
    payment leaves it) but not yet issued."""
    order = certificate_services.start_order(person=person or UserFactory(), entry=entry, kind=kind, copies=copies)
    certificate_services.save_applicant(
        order=order, name="Robin", email="robin@example.com", address="1 High St", postcode="LS1 3AD"
    )
    certificate_services.transition(order, "pay", paid_at=timezone.now())
    return CertificateOrder.objects.get(pk=order.pk)


def certificate_pdf(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def submit_as_informant(registration, **kwargs):
    """Send a registration as its informant would: they make the declaration themselves."""
    from registrar.services import submit_registration

    return submit_registration(registration=registration, declared_by=registration.informant, **kwargs)


# --- The journeys' pages (what a person types) -------------------------------------------------------


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


# --- Identity checks: evidence photos and a passport ------------------------------------------------


def document_photo(size=(1200, 800), mode="RGB", fmt="JPEG", **save) -> bytes:
    """A picture with text-like detail, so the quality checks see a sharp, well-lit document."""
    image = Image.new("RGB", size, (225, 220, 205))
    draw = ImageDraw.Draw(image)
    for row in range(40, size[1] - 40, 28):
        for column in range(40, size[0] - 60, 90):
            draw.rectangle([column, row, column + 60, row + 12], fill=(30, 30, 40))
    if mode != "RGB":
        image = image.convert(mode)
    output = io.BytesIO()
    image.save(output, format=fmt, **save)
    return output.getvalue()


# A valid TD3 (passport machine readable zone) for Sarah Meredyth Morgan, with real check digits.
MRZ_LINE1 = "P<GBRMORGAN<<SARAH<MEREDYTH<<<<<<<<<<<<<<<<<"
# The day the example passport is checked on (it expires on 1 January 2030).
PASSPORT_CHECKED_ON = datetime.date(2026, 11, 22)


def mrz_line2(number="123456789", birth="760311", expiry="300101") -> str:
    """The second MRZ line matching MRZ_LINE1, with its check digits worked out."""
    body = f"{number}{check_digit(number)}GBR{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}<<<<<<<<<<<<<<<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return body + str(check_digit(composite))


def record_passport(case, **overrides) -> list[str]:
    """Record the example passport on `case` (the details match MRZ_LINE1); returns the reasons."""
    values = dict(
        case=case,
        document_type="passport",
        given_names="Sarah Meredyth",
        surname="Morgan",
        birth_date=datetime.date(1976, 3, 11),
        document_number="123456789",
        expiry_date=datetime.date(2030, 1, 1),
        mrz_line1=MRZ_LINE1,
        mrz_line2=mrz_line2(),
        today=PASSPORT_CHECKED_ON,
    )
    values.update(overrides)
    return cases.record_identity_document(**values)


def submit_passport_check(*, person=None, postcode="LS1 3AD"):
    """A passport, its photo and a utility bill for `postcode`, submitted. Without a confirmed
    mobile that is not enough on its own, so the case goes to a registrar of the postcode's office."""
    person = person or UserFactory()
    case = cases.open_case(person=person)
    record_passport(case)
    cases.attach_image(case=case, kind="identity_document", upload=io.BytesIO(document_photo()))
    cases.record_proof_of_address(
        case=case,
        address="1 The Headrow",
        postcode=postcode,
        document_type="utility_bill",
        document_postcode=postcode,
        document_name="Sarah Morgan",
        issued_on=timezone.localdate(),
    )
    return cases.submit_case(case=case)


# --- Booking helpers for other apps' tests (phone support books for a person) -----------------------

# The booking page's party form, filled in.
PARTY_FORM = {
    "full_name": "Alex Example",
    "date_of_birth_0": "17",
    "date_of_birth_1": "5",
    "date_of_birth_2": "1990",
    "email": "alex@example.com",
    "postcode": "ls1 3ad",
    "lived_there_since_0": "1",
    "lived_there_since_1": "1",
    "lived_there_since_2": "2020",
}


def first_ceremony_slot():
    """The first free ceremony slot in the next fortnight of bookable days (a selector's Slot)."""
    first, _last = booking_selectors.bookable_dates("ceremony")
    last = first + datetime.timedelta(days=14)
    search = booking_selectors.SlotSearch(kind="ceremony", date_from=first, date_to=last, limit=1)
    return booking_selectors.find_slots(search)[0]


def api_client(user=None):
    """An API client, signed in with a bearer token when `user` is given."""
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def first_api_slot() -> dict:
    """The first free ceremony slot as the availability API lists it."""
    first, _last = booking_selectors.bookable_dates("ceremony")
    response = api_client().get(
        "/api/v1/booking/availability",
        {
            "kind": "ceremony",
            "from": first.isoformat(),
            "to": (first + datetime.timedelta(days=14)).isoformat(),
            "limit": 1,
        },
    )
    assert response.status_code == 200, response.json()
    return response.json()[0]


def hold_by_api(client, slot: dict):
    """POST a hold on `slot` (from the availability API) for a ceremony."""
    return client.post(
        "/api/v1/booking/holds",
        {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony"},
        format="json",
    )


# --- Booking: bookings, the office diary's staff and the API's parties -------------------------------

# Both people as the API takes them.
API_PARTIES = [
    {
        "full_name": "Ada Example",
        "date_of_birth": "1990-05-17",
        "email": "ada@example.com",
        "postcode": "ls1 3ad",
        "lived_there_since": "2020-01-01",
    },
    {
        "full_name": "Bo Example",
        "date_of_birth": "1991-02-03",
        "postcode": "LS1 3AD",
        "lived_there_since": "2019-06-01",
    },
]


def ceremony_slots(office, *, days_ahead: int = 45, span: int = 10):
    """Free ceremony slots at `office`, from a weekday `days_ahead` days from now (when every
    officer is on the rota)."""
    first = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while first.weekday() > 4:
        first += datetime.timedelta(days=1)
    return booking_selectors.find_slots(
        booking_selectors.SlotSearch(
            kind="ceremony",
            date_from=first,
            date_to=first + datetime.timedelta(days=span),
            office_ids=frozenset([office.pk]),
        )
    )


def book_ceremony(slot, *, person=None, email: str | None = None):
    """A provisional ceremony in `slot`, with both parties."""
    person = person or UserFactory(**({"email": email} if email else {}))
    booking = booking_services.hold_published_slot(
        person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    add_parties(booking)
    return booking_services.book_held_slot(booking=booking, actor=person)


def diary_staff(office, *, role: str = "Registrar", **extra):
    """A registrar (or other `role`) of `office`, who may manage its diary."""
    staff = StaffFactory(roles=[role], **extra)
    staff.offices.add(office)
    return staff


def signed_in_registrar(client, office, *, role: str = "Registrar"):
    """A registrar of `office`, with a signed-in staff session on `client`."""
    staff = diary_staff(office, role=role, full_name="Rhian Desk")
    staff_session(client, staff)
    return staff
