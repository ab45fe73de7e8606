"""What the new citizen's side reads (`booking.selectors.citizenship`): the ceremonies still open
to an invitation, nearest first from a postcode or a town; one by reference; a person's seats;
the free private ceremony slots and holding and booking one. And the API that lists open
ceremonies and lets staff schedule and cancel them, with the pages' forms and words."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from datetime import timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from booking import services
from booking.demo import ensure_patterns
from booking.models import Booking, CitizenshipCeremony, Room
from booking.refusals import BookingRefused
from booking.selectors import UK
from booking.selectors.citizenship import (
    ceremonies_open_to,
    ceremony_by_reference,
    private_ceremony_slots,
    seats_for,
)
from identity.models import OutboundMessage
from tests.factories import RegisterOfficeFactory, UserFactory, api_client, diary_staff, make_bookable_office
from tests.factories.citizenship_booking import (
    ceremony_day,
    make_group_ceremony,
    new_invitation_reference,
    office_officers_pair,
    take_seat,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused(code):
    with pytest.raises(BookingRefused) as error:
        yield error
    assert error.value.code == code, error.value.code


@pytest.fixture
def leeds_and_cardiff():
    leeds = make_bookable_office()[0]
    cardiff = make_bookable_office(
        RegisterOfficeFactory(
            code="W-TESTCARDIFF",
            region="Wales",
            town="Cardiff",
            postcode="CF10 1EP",
            latitude="51.4816",
            longitude="-3.1791",
        )
    )[0]
    return leeds, cardiff


def test_open_ceremonies_are_by_date_with_seats_and_guest_places_left_before_the_last_day(leeds_and_cardiff):
    leeds, cardiff = leeds_and_cardiff
    soon = make_group_ceremony(leeds, day=ceremony_day(10), seats=1, guest_places=0, guests_per_attendee=0)
    later = make_group_ceremony(cardiff, day=ceremony_day(20), seats=5, guest_places=4)
    too_late = make_group_ceremony(leeds, day=ceremony_day(60))
    before = ceremony_day(30)
    assert ceremonies_open_to(before=before) == [soon, later]
    assert ceremonies_open_to(before=before, guests=2) == [later]  # soon allows no guests
    assert ceremonies_open_to(before=before, guests=3) == []  # two guests each at most
    assert ceremonies_open_to(before=before, welsh=True) == [later]  # Cardiff is in Wales
    assert ceremonies_open_to(before=before, office=leeds) == [soon]
    assert too_late in ceremonies_open_to(before=ceremony_day(90))
    take_seat(soon)
    assert ceremonies_open_to(before=before) == [later]
    services.cancel_group_ceremony(ceremony=later, actor=diary_staff(cardiff))
    assert ceremonies_open_to(before=before) == []


def test_open_ceremonies_come_nearest_first_from_a_postcode_or_a_town(leeds_and_cardiff):
    leeds, cardiff = leeds_and_cardiff
    in_leeds = make_group_ceremony(leeds, day=ceremony_day(20))
    in_cardiff = make_group_ceremony(cardiff, day=ceremony_day(10))
    before = ceremony_day(30)
    from_newport = ceremonies_open_to(before=before, near="NP20 1AA")
    assert from_newport == [in_cardiff, in_leeds]
    assert from_newport[0].distance_km < from_newport[1].distance_km
    assert ceremonies_open_to(before=before, near="Leeds") == [in_leeds, in_cardiff]
    assert all(ceremony.distance_km is None for ceremony in ceremonies_open_to(before=before))
    with refused("citizenship_place_unknown"):
        ceremonies_open_to(before=before, near="Atlantis-under-the-sea")


def test_a_ceremony_that_has_begun_is_no_longer_open(office):
    ceremony = make_group_ceremony(office)
    with time_machine.travel(ceremony.booking.starts_at + timedelta(minutes=1)):
        assert ceremonies_open_to(before=ceremony_day(60)) == []


def test_a_ceremony_is_found_by_its_reference_and_a_persons_seats_soonest_first(office):
    first = make_group_ceremony(office, day=ceremony_day(30))
    second = make_group_ceremony(office, day=ceremony_day(10))
    assert ceremony_by_reference(first.booking.reference.lower()) == first
    assert ceremony_by_reference("BK-NOPE") is None and ceremony_by_reference("") is None
    person = UserFactory()
    old = take_seat(first, person=person)
    services.cancel_seat(seat=old, actor=person)
    new = take_seat(second, person=person)
    assert list(seats_for(person)) == [new, old]
    assert list(seats_for(person, live_only=True)) == [new]


# --- Private ceremonies ------------------------------------------------------------------------


@pytest.fixture
def private_room(calendar):
    room = calendar[2]
    ensure_patterns(
        room,
        kind=Booking.Kind.CITIZENSHIP_PRIVATE,
        days=range(0, 5),
        opens=datetime.time(16),
        closes=datetime.time(18),
        duration=30,
        gap=30,
    )
    return room


def test_private_ceremony_slots_come_from_the_published_times_with_an_officer(office, private_room):
    first = ceremony_day(10)
    slots = private_ceremony_slots(date_from=first, date_to=first + timedelta(days=7), office=office)
    assert slots and all(slot.kind == "citizenship_private" for slot in slots)
    assert slots[0].starts_at.astimezone(UK).time() == datetime.time(16)
    assert slots[0].registrar_id is not None
    assert private_ceremony_slots(date_from=first, date_to=first, guests=50) == []  # the room holds 40


def test_a_private_ceremony_is_held_then_booked_for_its_invitation_and_confirmed(office, private_room):
    first = ceremony_day(10)
    slot = private_ceremony_slots(date_from=first, date_to=first + timedelta(days=7), office=office)[0]
    person = UserFactory()
    held = services.hold_private_ceremony(person=person, room=slot.room, starts_at=slot.starts_at, guests=6)
    assert held.status == "held" and held.kind == "citizenship_private"
    private = services.book_private_ceremony(
        booking=held, invitation_reference="HO-INV-PRIVATE", attend_by=ceremony_day(60), actor=person
    )
    assert private.booking.status == "confirmed"
    message = OutboundMessage.objects.get(to=person.email)
    assert "private citizenship ceremony is booked" in message.body
    # The invitation now has its ceremony: no seat at a group one, and no second private one.
    with refused("citizenship_private_booked"):
        take_seat(make_group_ceremony(office), invitation_reference="HO-INV-PRIVATE")
    second = private_ceremony_slots(date_from=first, date_to=first + timedelta(days=7), office=office)[0]
    again = services.hold_private_ceremony(person=person, room=second.room, starts_at=second.starts_at)
    with refused("citizenship_private_booked"):
        services.book_private_ceremony(
            booking=again, invitation_reference="HO-INV-PRIVATE", attend_by=ceremony_day(60), actor=person
        )
    assert Booking.objects.get(pk=again.pk).status == "held"


def test_a_private_ceremony_is_refused_after_the_invitation_and_with_a_seat_booked(office, private_room):
    first = ceremony_day(10)
    slot = private_ceremony_slots(date_from=first, date_to=first + timedelta(days=7), office=office)[0]
    person = UserFactory()
    held = services.hold_private_ceremony(person=person, room=slot.room, starts_at=slot.starts_at)
    with refused("citizenship_after_invitation"):
        services.book_private_ceremony(
            booking=held, invitation_reference="X", attend_by=first - timedelta(days=1), actor=person
        )
    seat = take_seat(make_group_ceremony(office, day=ceremony_day(30)))
    with refused("citizenship_already_booked"):
        services.book_private_ceremony(
            booking=held, invitation_reference=seat.invitation_reference, attend_by=ceremony_day(60), actor=person
        )
    with refused("citizenship_no_welsh"):
        services.book_private_ceremony(
            booking=held, invitation_reference="Y", attend_by=ceremony_day(60), welsh_oath=True, actor=person
        )
    with refused("too_many_guests"):
        services.hold_private_ceremony(person=person, room=slot.room, starts_at=slot.starts_at, guests=40)


# --- The API -----------------------------------------------------------------------------------

CEREMONIES = "/api/v1/citizenship/ceremonies"


def test_anyone_lists_open_ceremonies_through_the_api_in_the_pages_words(leeds_and_cardiff):
    leeds, cardiff = leeds_and_cardiff
    in_leeds = make_group_ceremony(leeds, day=ceremony_day(20))
    in_cardiff = make_group_ceremony(cardiff, day=ceremony_day(10))
    take_seat(in_cardiff)
    query = {"before": ceremony_day(30).isoformat(), "near": "LS1 3AD"}
    response = APIClient().get(CEREMONIES, query)
    assert response.status_code == 200
    body = response.json()
    assert [row["reference"] for row in body] == [in_leeds.booking.reference, in_cardiff.booking.reference]
    assert body[1]["seats_in_words"] == "1 of 10 seats booked" and body[1]["seats_left"] == 9
    assert body[0]["distance_km"] < body[1]["distance_km"] and body[1]["welsh_available"] is True
    welsh = APIClient().get(CEREMONIES, {"before": ceremony_day(30).isoformat(), "welsh": "true"}).json()
    assert [row["reference"] for row in welsh] == [in_cardiff.booking.reference]
    only = APIClient().get(CEREMONIES, {"before": ceremony_day(30).isoformat(), "office": leeds.code.lower()}).json()
    assert [row["reference"] for row in only] == [in_leeds.booking.reference]


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({}, "before", "Enter the last day you can attend"),
        ({"before": "2027-02-31"}, "before", "must be a real date"),
        ({"before": "2027-01-01", "guests": "-1"}, "guests", "cannot be less than 0"),
        ({"before": "2027-01-01", "guests": "two"}, "guests", "whole number"),
        ({"before": "2027-01-01", "office": "E-NOWHERE"}, "office", "no register office with that code"),
    ],
)
def test_a_bad_list_query_is_a_400_naming_the_field(office, query, field, words):
    response = APIClient().get(CEREMONIES, query)
    assert response.status_code == 400
    assert words in " ".join(response.json()["error"]["fields"][field])


def test_an_unknown_place_is_a_400_with_the_refusals_words(office):
    response = APIClient().get(CEREMONIES, {"before": ceremony_day(30).isoformat(), "near": "Atlantis"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "We could not find that place. Enter a postcode or a town"


def _schedule_body(office, /, **changes):
    superintendent, registrar = office_officers_pair(office)
    body = {
        "office": office.code,
        "room": Room.objects.get(venue__office=office, name="Ceremony room").pk,
        "day": ceremony_day(25).isoformat(),
        "starts": "10:00",
        "ends": "11:00",
        "superintendent": superintendent.pk,
        "registrar": registrar.pk,
        "seats": 20,
        "guests_per_attendee": 1,
        "guest_places": 20,
        "welsh_available": False,
    }
    body.update(changes)
    return body


def test_staff_schedule_and_cancel_a_ceremony_through_the_api(office):
    staff = diary_staff(office)
    client = api_client(staff)
    response = client.post(CEREMONIES, _schedule_body(office), format="json")
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    ceremony = CitizenshipCeremony.objects.get(booking__reference=reference)
    assert (ceremony.seats, ceremony.guests_per_attendee, response.json()["seats_in_words"]) == (
        20,
        1,
        "0 of 20 seats booked",
    )
    again = client.post(CEREMONIES, _schedule_body(office), format="json")
    assert again.status_code == 409
    seat = take_seat(ceremony)
    cancel = f"{CEREMONIES}/{reference}/cancel"
    assert client.post(cancel, {}, format="json").status_code == 400
    response = client.post(cancel, {"reason": "Snow"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert OutboundMessage.objects.filter(to=seat.person.email, key__endswith="ceremony_cancelled").exists()
    assert client.post(cancel, {"reason": "Snow"}, format="json").status_code == 409


def test_the_api_refuses_what_the_page_refuses_in_the_same_words(client, office):
    from tests.factories import staff_session

    staff = diary_staff(office)
    staff_session(client, staff)
    api = api_client(staff)
    body = _schedule_body(office, guest_places=30)
    response = api.post(CEREMONIES, body, format="json")
    assert response.status_code == 400
    words = "The room holds 40 people: seats and guest places together must be 40 or fewer"
    assert response.json()["error"]["message"] == words
    day = ceremony_day(25)
    page = client.post(
        f"/staff/booking/{office.code}/citizenship/new/",
        {
            **{key: value for key, value in body.items() if key not in ("office", "day")},
            "day_0": day.day,
            "day_1": day.month,
            "day_2": day.year,
            "welsh_available": "no",
        },
    )
    assert page.status_code == 400 and words in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"office": "E-NOWHERE"}, "office"),
        ({"seats": "many"}, "seats"),
        ({"day": "tomorrow"}, "day"),
        ({"starts": "noon"}, "starts"),
        ({"registrar": 999999}, "registrar"),
        ({"welsh_available": None}, "welsh_available"),
    ],
)
def test_bad_schedule_bodies_are_400s_naming_the_field(office, changes, field):
    response = api_client(diary_staff(office)).post(CEREMONIES, _schedule_body(office, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not CitizenshipCeremony.objects.exists()


def test_only_staff_of_the_office_schedule_or_cancel(office):
    ceremony = make_group_ceremony(office)
    cancel = f"{CEREMONIES}/{ceremony.booking.reference}/cancel"
    assert APIClient().post(CEREMONIES, _schedule_body(office), format="json").status_code == 401
    assert api_client(UserFactory()).post(CEREMONIES, _schedule_body(office), format="json").status_code == 403
    outsider = api_client(diary_staff(make_bookable_office()[0]))
    assert outsider.post(CEREMONIES, _schedule_body(office), format="json").status_code == 400
    assert outsider.post(cancel, {"reason": "x"}, format="json").status_code == 404
    assert api_client(UserFactory()).post(cancel, {"reason": "x"}, format="json").status_code == 403
    assert Booking.objects.get(pk=ceremony.booking_id).status == "confirmed"


def test_a_body_that_is_not_json_is_a_415(office):
    api = api_client(diary_staff(office))
    assert api.post(CEREMONIES, "x", content_type="text/plain").status_code == 415


def test_new_invitation_references_differ():
    assert new_invitation_reference() != new_invitation_reference()
