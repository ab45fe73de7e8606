"""Venues, rooms and bookable offices, parties, ceremony slots and bookings, the diary's staff."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from booking import selectors as booking_selectors
from booking import services as booking_services
from booking.demo import ensure_identity_patterns, ensure_officers, ensure_patterns
from booking.models import Booking, Room, RotaShift
from identity.models import RegisterOffice
from tests.factories.identity import RegisterOfficeFactory, StaffFactory, UserFactory, api_client, staff_session


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


def make_identity_office(office=None, **kwargs):
    """A bookable office (`make_bookable_office`) that also offers identity appointments from its
    notice room on weekdays: video calls 09:00-17:00 and visits 09:30-16:30, 30 minutes every 45."""
    calendar = make_bookable_office(office, **kwargs)
    ensure_identity_patterns(calendar[3])
    return calendar


def identity_slots(kind: str = "identity_video", *, days_ahead: int = 3, span: int = 10, **search):
    """Free identity appointment slots from a weekday `days_ahead` days from now."""
    first = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while first.weekday() > 4:
        first += datetime.timedelta(days=1)
    return booking_selectors.find_slots(
        booking_selectors.SlotSearch(
            kind=kind, date_from=first, date_to=first + datetime.timedelta(days=span), limit=100, **search
        )
    )


def book_identity_appointment(slot, *, person):
    """A confirmed identity appointment in `slot` for `person`, whose check is with a registrar."""
    booking = booking_services.hold_published_slot(
        person=person, room=slot.room, starts_at=slot.starts_at, kind=slot.kind
    )
    return booking_services.book_held_slot(booking=booking, actor=person)
