"""The citizen booking pages: search, hold, both people's details, check answers, book,
confirmation with a calendar file, witnesses, notice appointments, move and cancel (signed in
and through the signed link), and clear 4xx answers to bad input."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from booking import selectors, services
from booking.models import BankHoliday, Booking
from booking.notifications import manage_token
from identity.models import OutboundMessage
from tests.factories import (
    PARTY_FORM,
    StaffFactory,
    UserFactory,
    add_parties,
    first_ceremony_slot,
    make_bookable_office,
    make_real_offices,
)

pytestmark = pytest.mark.django_db


# Under their old names, for the identity tests that still import them from here.
PARTY = PARTY_FORM


def _first_ceremony_slot(calendar):
    return first_ceremony_slot()


def _search_params(first: date, last: date, **extra) -> dict:
    params = {
        "date_from_0": first.day,
        "date_from_1": first.month,
        "date_from_2": first.year,
        "date_to_0": last.day,
        "date_to_1": last.month,
        "date_to_2": last.year,
    }
    params.update(extra)
    return params


def test_search_by_postcode_lists_free_times_with_distance(client, calendar):
    first, _last = selectors.bookable_dates("ceremony")
    response = client.post(
        reverse("booking:search"), _search_params(first, first + timedelta(days=10), place="LS1 3AD"), follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert calendar[1].name in page and "km away" in page
    assert "Sign in to choose this time" in page  # not signed in: no hold button


def test_search_rejects_bad_input_with_clear_messages(client, calendar):
    today = timezone.localdate()
    cases = [
        (
            _search_params(today + timedelta(days=60), today + timedelta(days=40)),
            "The last date must be the same as or after",
        ),
        (_search_params(today - timedelta(days=20), today - timedelta(days=10)), "The last date must be in the future"),
        (_search_params(today + timedelta(days=40), today + timedelta(days=400)), "Search 186 days or fewer"),
        (
            _search_params(today + timedelta(days=40), today + timedelta(days=50), place="Atlantis"),
            "We could not find that place",
        ),
        (
            _search_params(today + timedelta(days=40), today + timedelta(days=50), place="EH1 1YZ"),  # Scotland
            "That postcode is not in England or Wales",
        ),
        (
            # Berwick-upon-Tweed: English, but missing from the outcode data
            _search_params(today + timedelta(days=40), today + timedelta(days=50), place="TD15 1AA"),
            "We could not find that postcode",
        ),
        (
            _search_params(today + timedelta(days=40), today + timedelta(days=50), place="ZZ9 9ZZ"),
            "Enter a real postcode, like LS1 3AD, or a town",
        ),
        (_search_params(today + timedelta(days=40), today + timedelta(days=50), guests="lots"), "whole number"),
        (
            _search_params(today + timedelta(days=40), today + timedelta(days=50), order="distance"),
            "Enter a postcode or town",
        ),
        ({"date_from_0": "31", "date_from_1": "2", "date_from_2": "2027", "date_to_0": "1"}, "must be a real date"),
        (_search_params(today + timedelta(days=900), today + timedelta(days=910)), "You can book up to"),
    ]
    for params, message in cases:
        response = client.post(reverse("booking:search"), params)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
        assert "There is a problem" in response.content.decode()


def test_the_whole_ceremony_journey(client, calendar, person):
    slot = first_ceremony_slot()
    response = client.post(
        reverse("booking:hold"), {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "guests": 20}
    )
    booking = Booking.objects.get(person=person)
    assert response.status_code == 302 and response.url == reverse("booking:party", args=[booking.reference, 1])
    assert booking.status == "held" and booking.guests == 20

    page = client.get(response.url).content.decode()
    assert "We are holding this time for you until" in page and "I need more time" in page

    response = client.post(reverse("booking:party", args=[booking.reference, 1]), PARTY_FORM)
    assert response.url == reverse("booking:party", args=[booking.reference, 2])
    response = client.post(
        reverse("booking:party", args=[booking.reference, 2]), PARTY_FORM | {"full_name": "Sam Example", "email": ""}
    )
    assert response.url == reverse("booking:check", args=[booking.reference])

    page = client.get(response.url).content.decode()
    assert "Check your answers before booking" in page and "Alex Example" in page and "Sam Example" in page
    assert "LS1 3AD" in page

    response = client.post(reverse("booking:confirm", args=[booking.reference]))
    assert response.url == reverse("booking:confirmation", args=[booking.reference])
    booking.refresh_from_db()
    assert booking.status == "provisional"
    page = client.get(response.url).content.decode()
    assert "Ceremony booked provisionally" in page and booking.reference in page

    ics = client.get(reverse("booking:ics", args=[booking.reference]))
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event["UID"].startswith(booking.reference) and event.decoded("DTSTART") == booking.starts_at

    message = OutboundMessage.objects.get(to=person.email)
    assert "provisionally booked" in message.body and "/book/link/" in message.body

    page = client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
    assert "Notice for Alex Example" in page and "Provisionally booked" in page


def test_party_details_are_checked(client, calendar, person):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    url = reverse("booking:party", args=[booking.reference, 1])
    young = date.today().year - 16
    for data, message in [
        (PARTY_FORM | {"full_name": ""}, "Enter their full name"),
        (PARTY_FORM | {"postcode": "not a postcode"}, "Enter a real postcode"),
        (PARTY_FORM | {"date_of_birth_2": str(young)}, "Both people must be 18 or over"),
        (PARTY_FORM | {"date_of_birth_0": "32"}, "must be a real date"),
        (PARTY_FORM | {"lived_there_since_2": str(date.today().year + 1)}, "today or in the past"),
        (PARTY_FORM | {"email": "nope"}, "Enter an email address in the correct format"),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400, message
        assert message in response.content.decode(), message
    assert not booking.parties.exists()


def test_booking_without_details_goes_back_to_the_details(client, calendar, person):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    response = client.post(reverse("booking:confirm", args=[booking.reference]))
    assert response.url == reverse("booking:party", args=[booking.reference, 1])
    booking.refresh_from_db()
    assert booking.status == "held"


def test_an_expired_hold_cannot_be_booked_and_says_so(client, calendar, person):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(reverse("booking:confirm", args=[booking.reference]))
        assert response.status_code == 409
        assert "the hold has run out" in response.content.decode()
        assert client.post(reverse("booking:extend", args=[booking.reference])).status_code == 409


def test_extending_a_hold_gives_more_time(client, calendar, person):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        response = client.post(reverse("booking:extend", args=[booking.reference]), {"next": "https://evil.example/"})
        assert response.url == reverse("booking:check", args=[booking.reference])
        booking.refresh_from_db()
        assert booking.hold_expires_at > timezone.now() + timedelta(minutes=14)


def test_a_taken_slot_answers_409_and_keeps_the_first_hold(client, calendar, person):
    slot = first_ceremony_slot()
    first = services.hold_published_slot(
        person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    response = client.post(reverse("booking:hold"), {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()})
    assert response.status_code == 409 and "just been taken" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "held"


def test_hold_rejects_made_up_slots(client, calendar, person):
    slot = first_ceremony_slot()
    for data, status in [
        ({"room": slot.room.pk, "starts_at": "tomorrow"}, 400),
        ({"room": 999999, "starts_at": slot.starts_at.isoformat()}, 400),
        ({"room": slot.room.pk, "starts_at": (slot.starts_at + timedelta(minutes=7)).isoformat()}, 409),
        ({"room": slot.room.pk, "starts_at": "2027-01-01T10:00:00"}, 400),
        ({"room": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "guests": "-3"}, 400),
        ({"room": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "guests": "400"}, 400),
    ]:
        assert client.post(reverse("booking:hold"), data).status_code == status, data
    assert not Booking.objects.exists()


def test_someone_elses_booking_is_not_found(client, calendar, person):
    slot = first_ceremony_slot()
    other = services.hold_published_slot(
        person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    for name in ("manage", "check", "witnesses", "cancel", "ics", "move"):
        assert client.get(reverse(f"booking:{name}", args=[other.reference])).status_code == 404, name
    assert client.post(reverse("booking:confirm", args=[other.reference])).status_code == 404


def test_pages_need_a_signed_in_citizen(client, calendar):
    response = client.get(reverse("booking:mine"))
    assert response.status_code == 302 and "sign-in" in response.url
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(reverse("booking:mine")).status_code == 403


def _provisional(person, calendar):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    return services.confirm_hold(booking=booking, actor=person)


def test_witnesses_are_named_and_checked(client, calendar, person):
    booking = _provisional(person, calendar)
    url = reverse("booking:witnesses", args=[booking.reference])
    response = client.post(url, {"witness_1": "Pat One", "witness_2": ""})
    assert response.status_code == 400 and "Enter the second witness" in response.content.decode()
    response = client.post(url, {"witness_1": "Pat One", "witness_2": "Chris Two"})
    assert response.status_code == 400 and "16 or over" in response.content.decode()
    response = client.post(url, {"witness_1": "Pat One", "witness_2": "Chris Two", "aged_16_or_over": "on"})
    assert response.status_code == 302
    assert [w.full_name for w in booking.witnesses.all()] == ["Pat One", "Chris Two"]


def test_the_witness_age_on_the_pages_follows_its_setting(client, calendar, person, settings):
    booking = _provisional(person, calendar)
    settings.WITNESS_MINIMUM_AGE = 18
    page = client.get(reverse("booking:witnesses", args=[booking.reference])).content.decode()
    assert "They must be 18 or over and understand English or Welsh" in page
    assert "Both witnesses will be 18 or over on the day of the ceremony" in page
    assert "16 or over" not in page
    page = client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
    assert "They must be 18 or over." in page
    assert "They must be 18 or over." in client.get(reverse("booking:start")).content.decode()


def test_the_notice_period_on_the_check_page_follows_its_setting(client, calendar, person, settings):
    slot = first_ceremony_slot()
    booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(booking)
    url = reverse("booking:check", args=[booking.reference])
    assert "at least 29 days before the ceremony" in client.get(url).content.decode()
    settings.NOTICE_WAIT_DAYS = 35
    page = client.get(url).content.decode()
    assert "at least 36 days before the ceremony" in page and "29 days" not in page


def test_cancel_from_the_account_frees_the_slot(client, calendar, person):
    booking = _provisional(person, calendar)
    url = reverse("booking:cancel", args=[booking.reference])
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"confirm": "no"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == "provisional"
    client.post(url, {"confirm": "yes"})
    booking.refresh_from_db()
    assert booking.status == "cancelled" and not booking.occupancies.filter(active=True).exists()
    assert OutboundMessage.objects.filter(subject="Your booking is cancelled").exists()


def test_the_signed_link_shows_and_cancels_without_signing_in(client, calendar):
    booking = _provisional(UserFactory(), calendar)
    token = manage_token(booking)
    page = client.get(reverse("booking:manage-link", args=[token])).content.decode()
    assert booking.reference in page and "Cancel booking" in page
    assert client.get(reverse("booking:manage-link", args=[token + "x"])).status_code == 404
    forged = signing.dumps({"reference": booking.reference}, salt="some-other-purpose")
    assert client.get(reverse("booking:manage-link", args=[forged])).status_code == 404
    client.post(reverse("booking:cancel-link", args=[token]), {"confirm": "yes"})
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_a_message_link_opens_the_booking(client, calendar):
    booking = _provisional(UserFactory(), calendar)
    body = OutboundMessage.objects.get(to=booking.person.email).body
    path = re.search(r"http://localhost:8000(/book/link/\S+/)", body).group(1)
    assert booking.reference in client.get(path).content.decode()


def test_moving_a_booking_swaps_the_slot(client, calendar, person):
    booking = _provisional(person, calendar)
    old_start = booking.starts_at
    later = old_start + timedelta(hours=1)
    response = client.post(
        reverse("booking:move-confirm", args=[booking.reference]),
        {"room": booking.room_id, "starts_at": later.isoformat()},
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == later
    assert booking.occupancies.filter(active=True, room__isnull=False).get().starts_at == later
    assert OutboundMessage.objects.filter(subject="Your booking has moved").exists()


def test_moving_to_a_taken_slot_keeps_the_old_one(client, calendar, person):
    booking = _provisional(person, calendar)
    later = booking.starts_at + timedelta(hours=1)
    services.hold_published_slot(person=UserFactory(), room=booking.room, starts_at=later, kind="ceremony")
    response = client.post(
        reverse("booking:move-confirm", args=[booking.reference]),
        {"room": booking.room_id, "starts_at": later.isoformat()},
    )
    assert response.status_code == 409
    old = booking.starts_at
    booking.refresh_from_db()
    assert booking.starts_at == old and booking.occupancies.filter(active=True).count() == 3


def test_the_manage_page_sends_the_couple_to_give_notice_online(client, calendar, person):
    ceremony = _provisional(person, calendar)
    page = client.get(reverse("booking:manage", args=[ceremony.reference])).content.decode()
    assert "Giving notice" in page and "Not given yet" in page
    assert "Book notice appointment" not in page
    # Booking's own notice search by district is retired.
    assert client.get(f"/book/{ceremony.reference}/notice/1/").status_code == 404


def test_a_couple_in_central_london_have_notice_appointments_at_the_westminster_office(person):
    offices = make_real_offices("E-WESTMINSTER", "E-WARRINGTON")
    _warrington, _v, _c, warrington_notice_room = make_bookable_office(offices["E-WARRINGTON"])
    westminster, _venue, _ceremony_room, notice_room = make_bookable_office(offices["E-WESTMINSTER"])
    first, _last = selectors.bookable_dates("ceremony")
    slot = selectors.find_slots(
        selectors.SlotSearch(
            kind="ceremony",
            date_from=first,
            date_to=first + timedelta(days=14),
            office_ids=frozenset({westminster.pk}),
            limit=1,
        )
    )[0]
    ceremony = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    add_parties(ceremony)
    ceremony.parties.filter(position=1).update(postcode="W1A 1AA")  # W1A is not Warrington's WA
    ceremony.parties.filter(position=2).update(postcode="SW1A 1AA")
    ceremony = services.confirm_hold(booking=ceremony, actor=person)
    first = max(timezone.localdate() + timedelta(days=1), date(2020, 1, 9))

    def notice_slot(room):
        search = selectors.SlotSearch(
            kind="notice", date_from=first, date_to=first + timedelta(days=14), venue_ids=frozenset({room.venue_id})
        )
        return selectors.find_slots(search)[0]

    with pytest.raises(services.BookingRefused) as refused:
        hold = notice_slot(warrington_notice_room)
        services.hold_published_slot(
            person=person, room=hold.room, starts_at=hold.starts_at, kind="notice", ceremony=ceremony, party_position=1
        )
    assert refused.value.code == "wrong_district"
    for position in (1, 2):
        hold = notice_slot(notice_room)
        appointment = services.hold_published_slot(
            person=person,
            room=hold.room,
            starts_at=hold.starts_at,
            kind="notice",
            ceremony=ceremony,
            party_position=position,
        )
        assert appointment.room.venue.office == westminster


def test_notice_appointment_refused_before_seven_full_days_of_residence(calendar, person):
    ceremony = _provisional(person, calendar)
    party = ceremony.parties.get(position=1)
    party.lived_there_since = timezone.localdate()
    party.save()
    slot = selectors.find_slots(
        selectors.SlotSearch(
            kind="notice", date_from=timezone.localdate(), date_to=timezone.localdate() + timedelta(days=7), limit=1
        )
    )[0]
    with pytest.raises(services.BookingRefused) as refused:
        services.hold_published_slot(
            person=person, room=slot.room, starts_at=slot.starts_at, kind="notice", ceremony=ceremony, party_position=1
        )
    assert refused.value.code == "residence_too_short" and "7 full days" in refused.value.message


def test_no_slots_on_bank_holidays(client, calendar):
    first, _last = selectors.bookable_dates("ceremony")
    monday = first + timedelta(days=(7 - first.weekday()) % 7)
    BankHoliday.objects.create(date=monday, title="Test bank holiday")
    slots = selectors.find_slots(selectors.SlotSearch(kind="ceremony", date_from=monday, date_to=monday))
    assert slots == []
    tuesday = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=monday + timedelta(days=1), date_to=monday + timedelta(days=1))
    )
    assert len(tuesday) == 6
