"""The booking API: availability, holds, confirmation, moves, cancellation and calendar files;
Idempotency-Key retries; clear 4xx JSON errors for bad input, never a 500 (DESIGN.md invariant 6)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import Calendar
from rest_framework.test import APIClient

from booking import selectors, services
from booking.models import Booking, IdempotentRequest, Party, Witness
from core.places import distance_km, locate
from tests.factories import API_PARTIES as PARTIES
from tests.factories import StaffFactory, UserFactory, first_api_slot
from tests.factories import api_client as _client

pytestmark = pytest.mark.django_db

AVAILABILITY = "/api/v1/booking/availability"
HOLDS = "/api/v1/booking/holds"
# Under its old name, for the identity tests that still import it from here.
_first_slot = first_api_slot


def _hold(client, slot, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        HOLDS,
        {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony", **extra},
        format="json",
        **headers,
    )


BOOKINGS = "/api/v1/booking/bookings"


def _dates(days=14, kind="ceremony"):
    first, _last = selectors.bookable_dates(kind)
    return first.isoformat(), (first + timedelta(days=days)).isoformat()


def _slots(limit=1, **params) -> list[dict]:
    first, last = _dates()
    response = _client().get(AVAILABILITY, {"kind": "ceremony", "from": first, "to": last, "limit": limit, **params})
    assert response.status_code == 200, response.json()
    return response.json()


def _provisional(client, slot=None) -> str:
    reference = _hold(client, slot or _first_slot()).json()["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json")
    assert response.status_code == 200, response.json()
    return reference


# --- Availability -------------------------------------------------------------------------------


def test_availability_is_public_and_lists_slots_near_a_place(calendar):
    _office, venue, ceremony_room, _notice_room = calendar
    first, last = _dates()
    response = _client().get(
        AVAILABILITY, {"kind": "ceremony", "place": "LS1 3AD", "from": first, "to": last, "order": "distance"}
    )
    assert response.status_code == 200
    slots = response.json()
    assert slots
    slot = slots[0]
    # The postcode is placed at the centre of its district, LS1, 0.3 km from the office.
    from_centre = distance_km(locate("LS1").point, (float(venue.latitude), float(venue.longitude)))
    assert slot["room_id"] == ceremony_room.pk and slot["distance_km"] == round(from_centre, 1) == 0.3
    assert {key: slot["venue"][key] for key in ("code", "name", "kind", "postcode", "lat", "lon")} == {
        "code": venue.code,
        "name": venue.name,
        "kind": "register_office",
        "postcode": "LS1 3AD",
        "lat": 53.7997,
        "lon": -1.5492,
    }
    starts, ends = datetime.fromisoformat(slot["starts_at"]), datetime.fromisoformat(slot["ends_at"])
    # UK wall-clock time with its offset: GMT or BST, whichever that day has.
    assert starts.utcoffset() == starts.astimezone(selectors.UK).utcoffset()
    assert starts.astimezone(selectors.UK).hour == starts.hour and starts.date() >= date.fromisoformat(first)
    assert ends - starts == timedelta(minutes=45)


def test_availability_by_coordinates_and_filters(calendar):
    first, last = _dates(days=60)
    response = _client().get(
        AVAILABILITY,
        {
            "kind": "ceremony",
            "lat": 53.8,
            "lon": -1.55,
            "from": first,
            "to": last,
            "weekdays": "sat",
            "time_of_day": "afternoon",
            "guests": 30,
            "limit": 7,
        },
    )
    assert response.status_code == 200
    slots = response.json()
    assert len(slots) == 7
    for slot in slots:
        starts = datetime.fromisoformat(slot["starts_at"])
        assert starts.weekday() == 5 and 12 <= starts.hour < 17
        assert slot["distance_km"] < 1
    assert [slot["starts_at"] for slot in slots] == sorted(slot["starts_at"] for slot in slots)


def test_availability_needs_room_for_the_guests(calendar):
    assert _slots(guests=41) == []  # the ceremony room holds 40


def test_availability_for_notice_appointments(calendar):
    _office, _venue, _ceremony_room, notice_room = calendar
    first, last = _dates(kind="notice")
    slots = _client().get(AVAILABILITY, {"kind": "notice", "from": first, "to": last}).json()
    assert slots and {slot["room_id"] for slot in slots} == {notice_room.pk}


def test_a_search_starting_in_the_past_starts_at_the_first_bookable_day(calendar):
    first, _last = selectors.bookable_dates("ceremony")
    today = timezone.localdate()
    response = _client().get(
        AVAILABILITY,
        {"kind": "ceremony", "from": (today - timedelta(days=3)).isoformat(), "to": (first + timedelta(days=7))},
    )
    assert response.status_code == 200 and response.json()
    assert min(datetime.fromisoformat(slot["starts_at"]).date() for slot in response.json()) >= first


def test_a_search_far_from_every_venue_finds_nothing(calendar):
    assert _slots(lat=50.1, lon=-5.5) == []  # Cornwall is more than 40 km from Leeds


def _future(days_from_first=1):
    first, _last = selectors.bookable_dates("ceremony")
    return (first + timedelta(days=days_from_first)).isoformat()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": _future(10), "to": _future(1)}, "to", "The last date must be the same as or after the first date"),
        ({"from": "2020-01-01", "to": "2020-02-01"}, "to", "The last date must be in the future"),
        ({"from": _future(0), "to": _future(400)}, "to", "Search 186 days or fewer at a time"),
        ({"from": _future(900), "to": _future(910)}, "from", "You can book up to 548 days ahead"),
        ({"place": "Atlantis"}, "place", "We could not find that place"),
        ({"place": "EH1 1YZ"}, "place", "That postcode is not in England or Wales"),  # Scotland
        ({"place": "LS1 3A!"}, "place", "Enter a real postcode"),
        ({"place": "x" * 101}, "place", "at most 100 characters"),
        ({"place": "Leeds", "lat": "53.8", "lon": "-1.5"}, "place", "not both"),
        ({"lat": "91", "lon": "0"}, "lat", "less than or equal to 55.9"),
        ({"lat": "52", "lon": "-40"}, "lon", "greater than or equal to -6.5"),
        ({"lat": "52"}, "lon", "Give both lat and lon"),
        ({"lat": "north", "lon": "0"}, "lat", "Enter a number"),
        ({"order": "distance"}, "place", "Enter a postcode or town to see the nearest venues"),
        ({"order": "price"}, "order", "Select a valid choice"),
        ({"weekdays": "mon,funday"}, "weekdays", "comma-separated list of: mon"),
        ({"time_of_day": "midnight"}, "time_of_day", "morning, afternoon, evening"),
        ({"venue_kind": "castle"}, "venue_kind", "Select a valid choice"),
        ({"guests": "-1"}, "guests", "Number of guests must be 0 or more"),
        ({"radius_km": "0", "place": "Leeds"}, "radius_km", "greater than or equal to 1"),
        ({"limit": "1000"}, "limit", "less than or equal to 100"),
        ({"kind": "party"}, "kind", "Select a valid choice"),
        ({"kind": ""}, "kind", "Choose a ceremony or a notice appointment"),
        ({"from": "soon"}, "from", "The first date must be a real date"),
        ({"to": "2027-02-30"}, "to", "The last date must be a real date"),
    ],
)
def test_availability_bad_input_is_a_clear_400(calendar, params, field, message):
    query = {"kind": "ceremony", "from": _future(0), "to": _future(10), **params}
    response = _client().get(AVAILABILITY, query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["message"] == "Check the fields listed and try again."
    assert message in " ".join(error["fields"][field]), error


def test_availability_needs_kind_and_dates(calendar):
    error = _client().get(AVAILABILITY).json()["error"]
    assert set(error["fields"]) == {"kind", "from", "to"}


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "kind",
                "place",
                "lat",
                "lon",
                "from",
                "to",
                "weekdays",
                "time_of_day",
                "venue_kind",
                "guests",
                "order",
                "radius_km",
                "limit",
            ]
        ),
        st.one_of(
            st.text(max_size=30),
            st.integers(min_value=-(10**20), max_value=10**20).map(str),
            st.floats().map(str),
            st.dates().map(date.isoformat),
            st.sampled_from(["ceremony", "notice", "distance", "LS1 3AD", "Leeds", "sat,sun", "evening"]),
        ),
    )
)
def test_availability_never_fails_on_any_query(calendar, params):
    response = _client().get(AVAILABILITY, params)
    assert response.status_code in (200, 400)
    body = response.json()
    assert isinstance(body, list) if response.status_code == 200 else body["error"]["code"] == "invalid"


def test_availability_queries_do_not_grow_with_the_results(calendar, django_assert_max_num_queries):
    first, last = _dates(days=90)
    with django_assert_max_num_queries(25):
        response = _client().get(AVAILABILITY, {"kind": "ceremony", "from": first, "to": last, "limit": 100})
    assert len(response.json()) == 100


# --- Holds and confirmation ---------------------------------------------------------------------


def test_hold_confirm_and_fetch_through_the_api(calendar, person):
    client = _client(person)
    slot = _first_slot()
    response = _hold(client, slot, guests=12)
    assert response.status_code == 201, response.json()
    body = response.json()
    booking = Booking.objects.get()
    assert body["reference"] == booking.reference and booking.person == person
    assert body["status"] == "held" and body["guests"] == 12 and body["kind"] == "ceremony"
    assert body["starts_at"] == slot["starts_at"] and body["venue"] == slot["venue"]
    assert datetime.fromisoformat(body["hold_expires_at"]) == booking.hold_expires_at
    reference = body["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", {}, format="json")
    assert response.status_code == 400 and response.json()["error"] == {
        "code": "details_missing",
        "message": "Enter both people's details before you book",
    }
    response = client.post(
        f"{HOLDS}/{reference}/confirm",
        {"parties": PARTIES, "witnesses": {"names": ["W One", "W  Two"], "aged_16_or_over": True}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "provisional" and body["hold_expires_at"] is None
    assert body["parties"] == [
        {"position": 1, "full_name": "Ada Example", "postcode": "LS1 3AD"},
        {"position": 2, "full_name": "Bo Example", "postcode": "LS1 3AD"},
    ]
    assert body["witnesses"] == ["W One", "W Two"]
    assert client.get(f"{BOOKINGS}/{reference}").json() == body


def test_a_notice_appointment_is_held_and_confirmed_without_party_details(calendar, person):
    client = _client(person)
    first, last = _dates(kind="notice")
    slot = _client().get(AVAILABILITY, {"kind": "notice", "from": first, "to": last, "limit": 1}).json()[0]
    response = client.post(HOLDS, {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "notice"})
    assert response.status_code == 201, response.json()
    reference = response.json()["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "confirmed"


def test_the_calendar_file_parses_and_names_the_booking(calendar, person):
    client = _client(person)
    reference = _provisional(client)
    booking = Booking.objects.get(reference=reference)
    response = client.get(f"{BOOKINGS}/{reference}.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert f'filename="{reference}.ics"' in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == f"Ceremony {reference}"
    assert event.decoded("DTSTART") == booking.starts_at and event.decoded("DTEND") == booking.ends_at
    assert booking.room.venue.name in str(event["LOCATION"])


def test_a_taken_slot_is_a_409_with_a_message(calendar, person):
    slot = _first_slot()
    assert _hold(_client(person), slot).status_code == 201
    response = _hold(_client(UserFactory()), slot)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "slot_unavailable",
        "message": "Sorry, that time has just been taken. Choose another time",
    }
    assert Booking.objects.count() == 1
    assert slot["starts_at"] not in [s["starts_at"] for s in _slots(limit=5) if s["room_id"] == slot["room_id"]]


def _on_first_day(hour, minute=0):
    """An aware time on the first bookable Monday–Saturday, UK local time."""
    day, _last = selectors.bookable_dates("ceremony")
    while day.weekday() == 6:
        day += timedelta(days=1)
    return selectors.local_datetime(day, datetime.min.time().replace(hour=hour, minute=minute)).isoformat()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({}, "room_id", "This field is required"),
        ({"room_id": "x"}, "room_id", "Incorrect type"),
        ({"room_id": 999999}, "room_id", "There is no room 999999"),
        ({"starts_at": "yesterday"}, "starts_at", "Datetime has wrong format"),
        ({"starts_at": ["2027-01-01T10:00:00Z"]}, "starts_at", "Datetime has wrong format"),
        ({"starts_at": "2020-01-01T10:00:00Z"}, "starts_at", "That time has passed"),
        ({"starts_at": "2099-01-01T10:00:00Z"}, "starts_at", "Choose a day from"),
        ({"starts_at": "first-day-10:07"}, "starts_at", "no slot starting at that time"),
        ({"starts_at": "first-day-07:00"}, "starts_at", "no slot starting at that time"),
        ({"kind": "notice", "starts_at": "first-day-10:00"}, "starts_at", "no slot starting at that time"),
        ({"guests": -1}, "guests", "greater than or equal to 0"),
        ({"guests": "many"}, "guests", "A valid integer is required"),
        ({"kind": "party"}, "kind", "not a valid choice"),
        ({"kind": None}, "kind", "may not be null"),
        ({"kind": "notice", "ceremony": "BK-XXXX"}, "party", "Say whose notice appointment"),
    ],
)
def test_hold_bad_input_is_a_clear_400(calendar, person, body, field, message):
    slot = _first_slot()
    request = {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony", **body}
    if str(request["starts_at"]).startswith("first-day-"):
        hour, minute = request["starts_at"].removeprefix("first-day-").split(":")
        request["starts_at"] = _on_first_day(int(hour), int(minute))
    if not body:
        request = {}
    response = _client(person).post(HOLDS, request, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid" and message in " ".join(error["fields"][field]), error
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ('{"room_id": 1,', "parse_error"),
        ("[1, 2]", "invalid"),
        ('"hold"', "invalid"),
        ("null", "invalid"),
    ],
)
def test_a_hold_body_that_is_not_a_json_object_is_400(calendar, person, content, code):
    response = _client(person).post(HOLDS, content, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert not Booking.objects.exists()


def test_a_hold_too_big_for_the_room_is_400(calendar, person):
    response = _hold(_client(person), _first_slot(), guests=41)
    assert response.status_code == 400 and response.json()["error"]["code"] == "too_many_guests"


def test_holds_need_a_signed_in_citizen(calendar):
    slot = _first_slot()
    response = _hold(_client(), slot)
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    bad_token = APIClient()
    bad_token.credentials(HTTP_AUTHORIZATION="Bearer nonsense")
    assert _hold(bad_token, slot).status_code == 401
    response = _hold(_client(StaffFactory()), slot)
    assert response.status_code == 403 and "staff pages" in response.json()["error"]["message"]
    assert not Booking.objects.exists()


def test_another_persons_booking_is_not_found(calendar, person):
    slot = _first_slot()
    reference = _hold(_client(person), slot).json()["reference"]
    other = _client(UserFactory())
    for response in (
        other.get(f"{BOOKINGS}/{reference}"),
        other.get(f"{BOOKINGS}/{reference}.ics"),
        other.post(f"{BOOKINGS}/{reference}/cancel"),
        other.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json"),
        other.post(f"{BOOKINGS}/{reference}/reschedule", {"room_id": slot["room_id"], "starts_at": slot["starts_at"]}),
        _client(person).get(f"{BOOKINGS}/BK-NOPE"),
    ):
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert Booking.objects.get(reference=reference).status == "held"
    assert _client().get(f"{BOOKINGS}/{reference}").status_code == 401


def test_an_expired_hold_cannot_be_confirmed(calendar, person):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json")
    assert response.status_code == 409 and response.json()["error"] == {
        "code": "hold_expired",
        "message": "We held this time for you but the hold has run out. Search again to choose a time",
    }
    # Nothing half-done is left behind: the refused confirmation saved no details.
    assert not Party.objects.exists() and Booking.objects.get().status == "held"


def test_a_booking_already_confirmed_is_a_409(calendar, person):
    client = _client(person)
    reference = _provisional(client)
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_held"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"parties": [PARTIES[0] | {"postcode": "nowhere"}, PARTIES[1]]}, "parties"),
        ({"parties": [PARTIES[0] | {"date_of_birth": "17/05/1990"}, PARTIES[1]]}, "parties"),
        ({"parties": [PARTIES[0] | {"email": "not-an-email"}, PARTIES[1]]}, "parties"),
        ({"parties": [PARTIES[0] | {"full_name": ""}, PARTIES[1]]}, "parties"),
        ({"parties": [{"full_name": "Ada"}, PARTIES[1]]}, "parties"),
        ({"parties": PARTIES[:1]}, "parties"),
        ({"parties": PARTIES + PARTIES[:1]}, "parties"),
        ({"parties": "both of us"}, "parties"),
        ({"parties": [1, 2]}, "parties"),
        ({"parties": PARTIES, "witnesses": {"names": ["Only One"], "aged_16_or_over": True}}, "witnesses"),
        ({"parties": PARTIES, "witnesses": {"names": "W One, W Two", "aged_16_or_over": True}}, "witnesses"),
        ({"parties": PARTIES, "witnesses": {"names": ["A", "B"], "aged_16_or_over": "perhaps"}}, "witnesses"),
        ({"parties": PARTIES, "witnesses": ["A", "B"]}, "witnesses"),
        ({"parties": PARTIES, "witnesses": {"names": ["A", "  "], "aged_16_or_over": True}}, "witnesses"),
    ],
)
def test_bad_confirmation_details_are_400(calendar, person, body, field):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and field in response.json()["error"]["fields"]
    assert Booking.objects.get().status == "held" and not Party.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"parties": [PARTIES[0] | {"date_of_birth": "2015-01-01"}, PARTIES[1]]}, "too_young"),
        ({"parties": [PARTIES[0] | {"lived_there_since": "2099-01-01"}, PARTIES[1]]}, "lived_since_future"),
        ({"parties": PARTIES, "witnesses": {"names": ["A", "B"], "aged_16_or_over": False}}, "witness_age"),
    ],
)
def test_confirmation_that_breaks_a_rule_is_400_and_saves_nothing(calendar, person, body, code):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert Booking.objects.get().status == "held"
    assert not Party.objects.exists() and not Witness.objects.exists()


# --- Idempotency-Key ----------------------------------------------------------------------------


def test_retries_with_the_same_idempotency_key_return_the_first_answer(calendar, person):
    client = _client(person)
    slot = _first_slot()
    first = _hold(client, slot, key="hold-1")
    again = _hold(client, slot, key="hold-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Booking.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def test_a_key_taken_when_claimed_but_gone_when_read_is_claimed_again_not_a_500(calendar, person, monkeypatch):
    from booking import idempotency

    real_claim = idempotency._claim
    claims = []

    def taken_once(*args):
        claims.append(args)
        return None if len(claims) == 1 else real_claim(*args)

    monkeypatch.setattr(idempotency, "_claim", taken_once)
    response = _hold(_client(person), _first_slot(), key="vanished")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert len(claims) == 2 and IdempotentRequest.objects.filter(key="vanished").count() == 1


def test_a_first_answer_of_409_is_replayed_even_after_the_slot_frees_up(calendar, person):
    slot = _first_slot()
    reference = _hold(_client(person), slot).json()["reference"]
    other = _client(UserFactory())
    refused = _hold(other, slot, key="k")
    assert refused.status_code == 409
    assert _client(person).post(f"{BOOKINGS}/{reference}/cancel").json()["status"] == "cancelled"
    again = _hold(other, slot, key="k")
    assert again.status_code == 409 and again.json() == refused.json()
    assert _hold(other, slot, key="k2").status_code == 201  # a new key is a new request


def test_an_idempotency_key_reused_for_another_request_is_refused(calendar, person):
    client = _client(person)
    slot = _first_slot()
    _hold(client, slot, key="same")
    response = _hold(client, slot, key="same", guests=5)
    assert response.status_code == 422 and response.json()["error"] == {
        "code": "idempotency_key_reused",
        "message": "This Idempotency-Key was already used for a different request. Use a new key.",
    }
    reference = Booking.objects.get().reference
    response = client.post(f"{BOOKINGS}/{reference}/cancel", HTTP_IDEMPOTENCY_KEY="same")
    assert response.status_code == 422
    assert Booking.objects.get().status == "held" and IdempotentRequest.objects.count() == 1


def test_keys_are_per_person(calendar, person):
    first, second = _first_slot(), _slots(limit=2)[1]
    assert _hold(_client(person), first, key="mine").status_code == 201
    response = _hold(_client(UserFactory()), second, key="mine")
    assert response.status_code == 201 and Booking.objects.count() == 2


@pytest.mark.parametrize("key", ["", "   ", "x" * 101])
def test_an_empty_or_long_idempotency_key_is_400(calendar, person, key):
    response = _hold(_client(person), _first_slot(), key=key)
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not Booking.objects.exists() and not IdempotentRequest.objects.exists()


def test_a_rejected_body_is_not_remembered_so_the_corrected_retry_runs(calendar, person):
    client = _client(person)
    slot = _first_slot()
    assert _hold(client, slot, key="fix-me", guests="many").status_code == 400
    assert _hold(client, slot, key="fix-me", guests=3).status_code == 201
    assert Booking.objects.get().guests == 3


def test_a_retried_confirmation_gets_the_first_answer(calendar, person):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    url = f"{HOLDS}/{reference}/confirm"
    first = client.post(url, {"parties": PARTIES}, format="json", HTTP_IDEMPOTENCY_KEY="c")
    again = client.post(url, {"parties": PARTIES}, format="json", HTTP_IDEMPOTENCY_KEY="c")
    assert first.status_code == again.status_code == 200 and first.json() == again.json()
    fresh = client.post(url, {"parties": PARTIES}, format="json", HTTP_IDEMPOTENCY_KEY="d")
    assert fresh.status_code == 409 and fresh.json()["error"]["code"] == "not_held"


# --- Moving and cancelling ----------------------------------------------------------------------


def test_reschedule_moves_the_booking_and_a_retry_replays(calendar, person):
    client = _client(person)
    old, new = _slots(limit=2)
    reference = _provisional(client, old)
    url = f"{BOOKINGS}/{reference}/reschedule"
    body = {"room_id": new["room_id"], "starts_at": new["starts_at"]}
    response = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="m1")
    assert response.status_code == 200, response.json()
    assert response.json()["starts_at"] == new["starts_at"] and response.json()["status"] == "provisional"
    booking = Booking.objects.get()
    assert booking.starts_at == datetime.fromisoformat(new["starts_at"])
    assert booking.occupancies.filter(active=True, starts_at=booking.starts_at, room__isnull=False).count() == 1
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="m1")
    assert again.json() == response.json() and Booking.objects.count() == 1
    # The old time is free again.
    assert _hold(_client(UserFactory()), old).status_code == 201


def test_reschedule_into_a_taken_slot_is_409_and_keeps_the_old_one(calendar, person):
    client = _client(person)
    old, taken = _slots(limit=2)
    reference = _provisional(client, old)
    assert _hold(_client(UserFactory()), taken).status_code == 201
    response = client.post(
        f"{BOOKINGS}/{reference}/reschedule", {"room_id": taken["room_id"], "starts_at": taken["starts_at"]}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "slot_unavailable"
    booking = Booking.objects.get(reference=reference)
    assert booking.starts_at == datetime.fromisoformat(old["starts_at"]) and booking.status == "provisional"
    assert booking.occupancies.filter(active=True).count() == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"starts_at": "nope"}, "starts_at"),
        ({"starts_at": "2020-06-01T10:00:00+01:00"}, "starts_at"),
        ({"starts_at": "first-day-10:07"}, "starts_at"),
        ({"room_id": 999999}, "room_id"),
        ({"room_id": None}, "room_id"),
        ({"room_id": "notice-room"}, "starts_at"),  # a notice room has no ceremony slots
    ],
)
def test_reschedule_bad_input_is_400(calendar, person, body, field):
    client = _client(person)
    slot = _first_slot()
    reference = _provisional(client, slot)
    request = {"room_id": slot["room_id"], "starts_at": slot["starts_at"], **body}
    if request["room_id"] == "notice-room":
        request["room_id"] = calendar[3].pk
    if str(request["starts_at"]).startswith("first-day-"):
        request["starts_at"] = _on_first_day(10, 7)
    response = client.post(f"{BOOKINGS}/{reference}/reschedule", request, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.json()
    assert Booking.objects.get().starts_at == datetime.fromisoformat(slot["starts_at"])


def test_a_hold_cannot_be_rescheduled(calendar, person):
    client = _client(person)
    held, other = _slots(limit=2)
    reference = _hold(client, held).json()["reference"]
    response = client.post(
        f"{BOOKINGS}/{reference}/reschedule", {"room_id": other["room_id"], "starts_at": other["starts_at"]}
    )
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_active"


def test_cancel_frees_the_slot_and_a_second_cancel_is_409(calendar, person):
    client = _client(person)
    slot = _first_slot()
    reference = _provisional(client, slot)
    cancel = f"{BOOKINGS}/{reference}/cancel"
    response = client.post(cancel, HTTP_IDEMPOTENCY_KEY="c1")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Booking.objects.get().status == "cancelled" and not Booking.objects.get().occupancies.filter(active=True)
    replay = client.post(cancel, HTTP_IDEMPOTENCY_KEY="c1")
    assert replay.status_code == 200 and replay.json() == response.json()
    response = client.post(cancel, HTTP_IDEMPOTENCY_KEY="c2")
    assert response.status_code == 409 and response.json()["error"] == {
        "code": "not_active",
        "message": "This booking is cancelled, released or finished, so it cannot be changed",
    }
    assert _hold(_client(UserFactory()), slot).status_code == 201


# --- The OpenAPI document -----------------------------------------------------------------------


def test_the_booking_api_is_documented(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    availability = {p["name"] for p in paths["/api/v1/booking/availability"]["get"]["parameters"]}
    assert {"kind", "place", "lat", "lon", "from", "to", "weekdays", "time_of_day", "limit"} <= availability
    posts = [
        "/api/v1/booking/holds",
        "/api/v1/booking/holds/{reference}/confirm",
        "/api/v1/booking/bookings/{reference}/reschedule",
        "/api/v1/booking/bookings/{reference}/cancel",
    ]
    for path in posts:
        operation = paths[path]["post"]
        assert "Idempotency-Key" in {p["name"] for p in operation["parameters"]}, path
        assert {"400", "401", "409", "422"} <= set(operation["responses"]), path
    assert "text/calendar" in paths["/api/v1/booking/bookings/{reference}.ics"]["get"]["responses"]["200"]["content"]


def test_a_swept_hold_is_a_409_even_when_details_are_missing(calendar, person):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    Booking.objects.filter(reference=reference).update(hold_expires_at=timezone.now() - timedelta(seconds=1))
    assert services.release_expired_holds() == 1
    response = client.post(f"{HOLDS}/{reference}/confirm", {}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "hold_expired"


def test_an_expired_hold_frees_its_slot_before_the_sweeper_runs(calendar, person):
    # From midday, so the sixteen minutes never cross midnight and move the first bookable day.
    midday = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    with time_machine.travel(midday, tick=False):
        slot = _first_slot()
        assert _hold(_client(person), slot).status_code == 201
    with time_machine.travel(midday + timedelta(minutes=16), tick=False):
        assert _hold(_client(UserFactory()), slot).status_code == 201
