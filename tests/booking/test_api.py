"""The booking API: availability, holds, confirmation, moves, cancellation and calendar files;
Idempotency-Key retries; clear 4xx JSON errors for bad input, never a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from icalendar import Calendar
from rest_framework.test import APIClient

from booking import selectors
from booking.models import Booking, IdempotentRequest
from identity.services import issue_api_token
from tests.factories import StaffFactory, UserFactory, make_bookable_office

pytestmark = pytest.mark.django_db

AVAILABILITY = "/api/v1/booking/availability"
HOLDS = "/api/v1/booking/holds"
PARTIES = [
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


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _expires = issue_api_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def calendar():
    return make_bookable_office()


@pytest.fixture
def person():
    return UserFactory()


def _dates(days=14):
    first, _last = selectors.bookable_dates("ceremony")
    return first.isoformat(), (first + timedelta(days=days)).isoformat()


def _first_slot(client=None) -> dict:
    first, last = _dates()
    response = (client or _client()).get(AVAILABILITY, {"kind": "ceremony", "from": first, "to": last, "limit": 1})
    assert response.status_code == 200, response.json()
    return response.json()[0]


def _hold(client, slot, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(
        HOLDS,
        {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony", **extra},
        format="json",
        **headers,
    )


def test_availability_is_public_and_lists_slots_near_a_place(calendar):
    first, last = _dates()
    response = _client().get(
        AVAILABILITY, {"kind": "ceremony", "place": "LS1 3AD", "from": first, "to": last, "order": "distance"}
    )
    assert response.status_code == 200
    slots = response.json()
    assert slots and slots[0]["venue"]["code"] == calendar[1].code and slots[0]["distance_km"] == 0.0
    assert slots[0]["starts_at"].endswith(("Z", "+01:00"))  # UK time: GMT or BST


def test_availability_by_coordinates_and_filters(calendar):
    first, last = _dates()
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
        },
    )
    assert response.status_code == 200
    for slot in response.json():
        assert slot["starts_at"][11:13] >= "12"
    assert len(response.json()) == 20 or response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "ceremony", "from": "2027-03-10", "to": "2027-03-01"}, "to"),
        ({"kind": "ceremony", "from": "2020-01-01", "to": "2020-02-01"}, "to"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-12-31"}, "to"),
        ({"kind": "ceremony", "from": "2031-01-01", "to": "2031-01-10"}, "from"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "place": "Atlantis"}, "place"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "place": "ZZ9 9ZZ"}, "place"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "lat": "91", "lon": "0"}, "lat"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "lat": "52"}, "lat"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "order": "distance"}, "order"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "weekdays": "funday"}, "weekdays"),
        ({"kind": "ceremony", "from": "2027-01-01", "to": "2027-01-10", "limit": "1000"}, "limit"),
        ({"kind": "party", "from": "2027-01-01", "to": "2027-01-10"}, "kind"),
        ({"kind": "ceremony", "from": "soon", "to": "2027-01-10"}, "date_from"),
    ],
)
def test_availability_bad_input_is_a_clear_400(calendar, params, field):
    response = _client().get(AVAILABILITY, params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(["kind", "place", "lat", "lon", "from", "to", "weekdays", "time_of_day", "guests", "order"]),
        st.text(max_size=30),
    )
)
def test_availability_never_fails_on_any_query(calendar, params):
    response = _client().get(AVAILABILITY, params)
    assert response.status_code in (200, 400)


def test_hold_confirm_and_fetch_through_the_api(calendar, person):
    client = _client(person)
    slot = _first_slot()
    response = _hold(client, slot, guests=12)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "held" and body["guests"] == 12 and body["hold_expires_at"]
    reference = body["reference"]
    response = client.post(f"{HOLDS}/{reference}/confirm", {}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "details_missing"
    response = client.post(
        f"{HOLDS}/{reference}/confirm",
        {"parties": PARTIES, "witnesses": {"names": ["W One", "W Two"], "aged_16_or_over": True}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "provisional" and [p["full_name"] for p in body["parties"]] == [
        "Ada Example",
        "Bo Example",
    ]
    assert body["witnesses"] == ["W One", "W Two"]
    assert client.get(f"/api/v1/booking/bookings/{reference}").json()["reference"] == reference
    ics = client.get(f"/api/v1/booking/bookings/{reference}.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.content).walk("VEVENT")[0]["SUMMARY"].endswith(reference)


def test_a_taken_slot_is_a_409_with_a_message(calendar, person):
    slot = _first_slot()
    assert _hold(_client(person), slot).status_code == 201
    response = _hold(_client(UserFactory()), slot)
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "slot_unavailable",
        "message": "Sorry, that time has just been taken. Choose another time",
    }


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"room_id": "x", "starts_at": "2027-01-01T10:00:00Z"},
        {"room_id": 999999, "starts_at": "2027-01-01T10:00:00Z"},
        {"room_id": 1, "starts_at": "yesterday"},
        {"room_id": 1, "starts_at": "2027-01-01T10:00:00Z", "guests": -1},
        {"room_id": 1, "starts_at": "2027-01-01T10:00:00Z", "kind": "party"},
    ],
)
def test_hold_bad_input_is_400(calendar, person, body):
    response = _client(person).post(HOLDS, body, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"
    assert not Booking.objects.exists()


def test_a_made_up_time_is_a_409_not_a_booking(calendar, person):
    slot = _first_slot()
    response = _client(person).post(
        HOLDS, {"room_id": slot["room_id"], "starts_at": "2020-01-01T10:07:00Z"}, format="json"
    )
    assert response.status_code in (400, 409)
    assert not Booking.objects.exists()


def test_holds_need_a_signed_in_citizen(calendar):
    slot = _first_slot()
    assert _hold(_client(), slot).status_code == 401
    assert _hold(_client(StaffFactory()), slot).status_code == 403


def test_another_persons_booking_is_not_found(calendar, person):
    slot = _first_slot()
    reference = _hold(_client(person), slot).json()["reference"]
    other = _client(UserFactory())
    assert other.get(f"/api/v1/booking/bookings/{reference}").status_code == 404
    assert other.post(f"/api/v1/booking/bookings/{reference}/cancel").status_code == 404
    assert other.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json").status_code == 404
    assert other.get(f"/api/v1/booking/bookings/{reference}.ics").status_code == 404


def test_retries_with_the_same_idempotency_key_return_the_first_answer(calendar, person):
    client = _client(person)
    slot = _first_slot()
    first = _hold(client, slot, key="hold-1")
    again = _hold(client, slot, key="hold-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Booking.objects.count() == 1
    # A first answer of 409 is replayed too, even after the slot frees up.
    other = _client(UserFactory())
    refused = _hold(other, slot, key="k")
    assert refused.status_code == 409
    client.post(f"/api/v1/booking/bookings/{first.json()['reference']}/cancel")  # a hold cannot be cancelled
    assert _hold(other, slot, key="k").status_code == 409


def test_an_idempotency_key_reused_for_another_request_is_refused(calendar, person):
    client = _client(person)
    slot = _first_slot()
    _hold(client, slot, key="same")
    response = _hold(client, slot, key="same", guests=5)
    assert response.status_code == 422 and response.json()["error"]["code"] == "idempotency_key_reused"
    assert _hold(client, slot, key="x" * 101).status_code == 400
    assert Booking.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def _provisional(client) -> str:
    slot = _first_slot()
    reference = _hold(client, slot).json()["reference"]
    assert client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json").status_code == 200
    return reference


def test_reschedule_and_cancel(calendar, person):
    client = _client(person)
    reference = _provisional(client)
    booking = Booking.objects.get(reference=reference)
    later = (booking.starts_at + timedelta(hours=1)).isoformat()
    url = f"/api/v1/booking/bookings/{reference}/reschedule"
    response = client.post(
        url, {"room_id": booking.room_id, "starts_at": later}, format="json", HTTP_IDEMPOTENCY_KEY="m1"
    )
    assert response.status_code == 200 and response.json()["starts_at"].startswith(later[:16])
    assert client.post(url, {"room_id": booking.room_id, "starts_at": "nope"}, format="json").status_code == 400
    taken = (booking.starts_at + timedelta(hours=2)).isoformat()
    _hold(_client(UserFactory()), {"room_id": booking.room_id, "starts_at": taken})
    response = client.post(url, {"room_id": booking.room_id, "starts_at": taken}, format="json")
    assert response.status_code == 409
    booking.refresh_from_db()
    assert booking.starts_at.isoformat().startswith(later[:16])
    cancel = f"/api/v1/booking/bookings/{reference}/cancel"
    assert client.post(cancel, HTTP_IDEMPOTENCY_KEY="c1").json()["status"] == "cancelled"
    assert client.post(cancel, HTTP_IDEMPOTENCY_KEY="c1").status_code == 200  # replayed
    response = client.post(cancel, HTTP_IDEMPOTENCY_KEY="c2")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_active"


def test_expired_hold_cannot_be_confirmed(calendar, person):
    import time_machine
    from django.utils import timezone

    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "hold_expired"


def test_bad_party_details_are_400(calendar, person):
    client = _client(person)
    reference = _hold(client, _first_slot()).json()["reference"]
    bad = [PARTIES[0] | {"postcode": "nowhere"}, PARTIES[1]]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": bad}, format="json")
    assert response.status_code == 400 and "parties" in response.json()["error"]["fields"]
    young = [PARTIES[0] | {"date_of_birth": "2015-01-01"}, PARTIES[1]]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": young}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "too_young"
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": PARTIES[:1]}, format="json")
    assert response.status_code == 400
