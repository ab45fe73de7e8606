"""The staff pages for group citizenship ceremonies: the list and the diary say "3 of 10 seats
booked" in words, scheduling one (and every bad input a clear 400 that keeps what was typed),
changing its numbers, cancelling it, and only the office's own staff."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from booking.models import Booking, CitizenshipCeremony, Closure, Room
from booking.selectors import UK
from identity.models import AuditEntry, OutboundMessage
from tests.factories import make_bookable_office, signed_in_registrar
from tests.factories.citizenship_booking import ceremony_day, make_group_ceremony, office_officers_pair, take_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceremony(office, registrar):
    return make_group_ceremony(office, actor=registrar, seats=10, guest_places=20)


def _url(name, office, *args):
    return reverse(f"booking-staff:{name}", args=[office.code, *args])


def _form(office, **changes):
    superintendent, registrar = office_officers_pair(office)
    day = ceremony_day(25)
    data = {
        "room": Room.objects.get(venue__office=office, name="Ceremony room").pk,
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "starts": "14:00",
        "ends": "15:00",
        "superintendent": superintendent.pk,
        "registrar": registrar.pk,
        "seats": "12",
        "guests_per_attendee": "2",
        "guest_places": "24",
        "welsh_available": "no",
    }
    data.update(changes)
    return data


def test_the_diary_and_the_list_say_how_many_seats_are_booked_in_words(client, office, ceremony):
    for _ in range(3):
        take_seat(ceremony, guests=1)
    day = ceremony.booking.starts_at.astimezone(UK).date()
    diary = client.get(_url("diary", office) + f"?date={day.isoformat()}").content.decode()
    assert "3 of 10 seats booked" in diary and "3 of 20 guest places booked" in diary
    assert "Group citizenship ceremony" in diary
    assert _url("citizenship-ceremony", office, ceremony.booking.reference) in diary
    listing = client.get(_url("citizenship", office)).content.decode()
    assert "3 of 10 seats booked" in listing and ceremony.booking.reference in listing
    assert day.strftime("%-d %B %Y") in listing


def test_the_ceremony_page_lists_who_is_booked_and_is_audited(client, office, registrar, ceremony):
    seat = take_seat(ceremony, guests=2)
    response = client.get(_url("citizenship-ceremony", office, ceremony.booking.reference))
    page = response.content.decode()
    assert response.status_code == 200
    assert seat.reference in page and (seat.person.full_name or seat.person.email) in page
    assert "1 of 10 seats booked" in page
    assert AuditEntry.objects.filter(action="booking.citizenship_ceremony_viewed", actor=registrar).exists()


def test_a_registrar_schedules_a_group_ceremony_from_the_page(client, office, registrar):
    page = client.get(_url("citizenship-new", office)).content.decode()
    assert "Schedule a group citizenship ceremony" in page
    response = client.post(_url("citizenship-new", office), _form(office))
    ceremony = CitizenshipCeremony.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("citizenship-ceremony", office, ceremony.booking.reference)
    assert (ceremony.seats, ceremony.guest_places, ceremony.welsh_available) == (12, 24, False)
    assert ceremony.booking.starts_at.astimezone(UK).time() == datetime.time(14)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"seats": ""}, "Enter the number of seats"),
        ({"seats": "0"}, "Enter the number of seats of 1 or more"),
        ({"seats": "lots"}, "Enter the number of seats as a whole number"),
        ({"guest_places": "30"}, "The room holds 40 people"),
        ({"ends": "13:00"}, "The end time must be after the start time"),
        ({"starts": "2pm"}, "Enter the start time as a time"),
        ({"day_1": "13"}, "must be a real date"),
        ({"room": "999999"}, "Select a room of this office"),
        ({"welsh_available": ""}, "Select yes if the oath and pledge can be taken in Welsh"),
    ],
)
def test_bad_input_is_a_400_that_says_why_and_keeps_what_was_typed(client, office, registrar, changes, message):
    response = client.post(_url("citizenship-new", office), _form(office, **changes))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page and "govuk-error-summary" in page
    assert 'value="14:00"' in page or changes.get("starts")
    assert not CitizenshipCeremony.objects.exists()


def test_the_same_officer_twice_and_a_closed_day_are_refused_on_the_page(client, office, registrar, calendar):
    superintendent, _registrar = office_officers_pair(office)
    response = client.post(_url("citizenship-new", office), _form(office, registrar=superintendent.pk))
    assert response.status_code == 400
    day = ceremony_day(25)
    Closure.objects.create(venue=calendar[1], starts_on=day, ends_on=day, reason="Works")
    response = client.post(_url("citizenship-new", office), _form(office))
    assert response.status_code == 400
    assert "The room is closed that day" in response.content.decode()


def test_a_busy_room_is_a_409_on_the_page(client, office, registrar, ceremony):
    local = ceremony.booking.starts_at.astimezone(UK)
    data = _form(office, day_0=local.day, day_1=local.month, day_2=local.year, starts="11:30", ends="12:30")
    response = client.post(_url("citizenship-new", office), data)
    assert response.status_code == 409
    assert "that time has just been taken" in response.content.decode()


def test_changing_the_numbers_never_below_what_is_booked(client, office, registrar, ceremony):
    take_seat(ceremony, guests=2)
    take_seat(ceremony, guests=2)
    url = _url("citizenship-capacity", office, ceremony.booking.reference)
    numbers = {"seats": "1", "guests_per_attendee": "2", "guest_places": "20", "welsh_available": "no"}
    response = client.post(url, numbers)
    assert response.status_code == 409
    assert "2 seats and 4 guest places are booked already" in response.content.decode()
    response = client.post(url, {**numbers, "seats": "15"})
    assert response.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.seats == 15
    response = client.post(url, {**numbers, "seats": "x"})
    assert response.status_code == 400


def test_cancelling_from_the_page_needs_a_reason_and_tells_everyone_booked(client, office, registrar, ceremony):
    seat = take_seat(ceremony)
    url = _url("citizenship-cancel", office, ceremony.booking.reference)
    response = client.post(url, {"cancel-reason": ""})
    assert response.status_code == 400 and "Enter why the ceremony is cancelled" in response.content.decode()
    response = client.post(url, {"cancel-reason": "Heating broken"})
    assert response.status_code == 302
    assert Booking.objects.get(pk=ceremony.booking_id).status == "cancelled"
    assert OutboundMessage.objects.filter(to=seat.person.email, key__endswith="ceremony_cancelled").exists()
    page = client.get(_url("citizenship-ceremony", office, ceremony.booking.reference)).content.decode()
    assert "Cancelled" in page and "Cancel the ceremony</button>" not in page
    response = client.post(url, {"cancel-reason": "Again"})
    assert response.status_code == 409


def test_another_offices_staff_cannot_see_or_change_the_ceremony(client, office, ceremony):
    other = make_bookable_office()[0]
    signed_in_registrar(client, other)
    assert client.get(_url("citizenship-ceremony", other, ceremony.booking.reference)).status_code == 404
    assert client.get(_url("citizenship-ceremony", office, ceremony.booking.reference)).status_code == 403
    assert client.post(_url("citizenship-cancel", office, ceremony.booking.reference), {}).status_code == 403
    assert client.get(_url("citizenship-ceremony", other, "BK-NOPE")).status_code == 404


def test_a_closure_over_a_group_ceremony_offers_no_move_and_says_what_to_do(client, office, registrar, calendar):
    ceremony = make_group_ceremony(office, actor=registrar)
    day = ceremony.booking.starts_at.astimezone(UK).date()
    closure = Closure.objects.create(venue=calendar[1], starts_on=day, ends_on=day, reason="Flood")
    page = client.get(_url("rebook", office) + f"?closure={closure.pk}").content.decode()
    assert ceremony.booking.reference in page
    assert "A group citizenship ceremony cannot be moved to another time or place" in page
    response = client.post(_url("rebook", office) + f"?closure={closure.pk}", {"move_all": "1"})
    assert "A group citizenship ceremony cannot be moved" in response.content.decode()
    assert Booking.objects.get(pk=ceremony.booking_id).starts_at == ceremony.booking.starts_at


def test_the_booking_page_of_a_group_ceremony_names_both_officers_and_links_to_its_seats(client, office, ceremony):
    page = client.get(_url("booking", office, ceremony.booking.reference)).content.decode()
    assert "Superintendent registrar" in page and "0 of 10 seats booked" in page
    assert _url("citizenship-ceremony", office, ceremony.booking.reference) in page


def test_the_office_calendar_feed_includes_group_ceremonies_with_their_seats(client, office, registrar, ceremony):
    from booking import services
    from booking.selectors import feed_bookings

    take_seat(ceremony)
    _feed, token = services.create_calendar_feed(actor=registrar, office=office)
    body = client.get(reverse("booking-staff:feed", args=[token])).content.decode().replace("\r\n ", "")
    assert ceremony.booking.reference in body and "Group citizenship ceremony" in body
    assert "1 of 10 seats booked" in body
    assert ceremony.booking in list(feed_bookings(officer_id=ceremony.booking.superintendent_id))


def test_the_demo_command_schedules_ceremonies_once_however_often_it_runs():
    from django.core.management import call_command

    from tests.factories import diary_staff

    leeds = make_bookable_office(code="E-LEEDS")[0]
    diary_staff(leeds)
    out = io.StringIO()
    call_command("load_citizenship_ceremony_demo_data", stdout=out)
    call_command("load_citizenship_ceremony_demo_data", stdout=out)
    assert "Group citizenship ceremonies scheduled: 3" in out.getvalue()
    assert CitizenshipCeremony.objects.filter(booking__room__venue__office=leeds).count() == 3
    assert Room.objects.get(venue__office=leeds, name="Ceremony room").patterns.filter(kind="citizenship_private")
