"""The booking API under contention on PostgreSQL (DESIGN.md invariant 2): 100 clients holding
one slot, one pair of officers wanted at four venues at once, a hold expiring while it is
confirmed, parallel retries with one Idempotency-Key, and two bookings moving into one slot."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from booking import selectors, services
from booking.demo import ensure_patterns
from booking.models import Booking, IdempotentRequest, Occupancy, RotaShift
from identity.roles import REGISTRAR, SUPERINTENDENT_REGISTRAR
from identity.services import issue_api_token
from tests.factories import RoomFactory, UserFactory, VenueFactory, add_parties, make_bookable_office

PARTIES = [
    {
        "full_name": f"Person {n}",  # a name the register can hold: letters only
        "date_of_birth": "1990-05-17",
        "postcode": "LS1 3AD",
        "lived_there_since": "2020-01-01",
    }
    for n in ("Ann", "Bea")
]

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _client(user) -> APIClient:
    token, _expires = issue_api_token(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _slots(count=2):
    first, _last = selectors.bookable_dates("ceremony")
    return selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=14), limit=count)
    )


def _in_parallel(count, work):
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_100_clients_holding_one_slot_one_gets_it_the_rest_409():
    make_bookable_office()
    slot = _slots(1)[0]
    clients = [_client(UserFactory()) for _ in range(100)]
    body = {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}

    def hold(index):
        response = clients[index].post("/api/v1/booking/holds", body, format="json")
        return response.status_code, response.json()

    outcomes = _in_parallel(100, hold)
    codes = [code for code, _body in outcomes]
    assert codes.count(201) == 1 and codes.count(409) == 99, sorted(set(codes))
    assert all(body["error"]["code"] == "slot_unavailable" for code, body in outcomes if code == 409)
    assert Booking.objects.filter(status="held").count() == 1
    assert Occupancy.objects.filter(active=True).count() == 3


def test_one_pair_of_officers_wanted_at_four_venues_at_once_one_booking_wins():
    office, _venue, ceremony_room, _notice_room = make_bookable_office()
    # Only one superintendent registrar and one registrar work that day, so every ceremony at
    # the office's venues needs the same two people.
    RotaShift.objects.filter(office=office, officer__email__startswith="sr2.").delete()
    RotaShift.objects.filter(office=office, officer__email__startswith="r2.").delete()
    rooms = [ceremony_room]
    for offset in ("0.03", "0.05", "0.07"):
        venue = VenueFactory(office=office, kind="approved_premises", latitude=f"{53.7997 + float(offset):.4f}")
        room = RoomFactory(venue=venue)
        ensure_patterns(room, kind="ceremony", days=range(0, 6), opens=time(10), closes=time(16), duration=45, gap=15)
        rooms.append(room)
    starts_at = _slots(1)[0].starts_at
    clients = [_client(UserFactory()) for _ in range(20)]

    def hold(index):
        body = {"room_id": rooms[index % 4].pk, "starts_at": starts_at.isoformat(), "kind": "ceremony"}
        response = clients[index].post("/api/v1/booking/holds", body, format="json")
        return response.status_code, response.json()

    outcomes = _in_parallel(20, hold)
    codes = [code for code, _body in outcomes]
    assert codes.count(201) == 1 and codes.count(409) == 19, sorted(set(codes))
    assert all(body["error"]["code"] == "slot_unavailable" for code, body in outcomes if code == 409)
    held = Booking.objects.get(status="held")
    assert {held.superintendent.groups.get().name, held.registrar.groups.get().name} == {
        SUPERINTENDENT_REGISTRAR,
        REGISTRAR,
    }
    assert Occupancy.objects.filter(active=True).count() == 3


def test_a_hold_that_expires_while_it_is_confirmed_and_swept_cannot_be_confirmed():
    make_bookable_office()
    slot = _slots(1)[0]
    first, second = _client(UserFactory()), _client(UserFactory())
    body = {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}
    reference = first.post("/api/v1/booking/holds", body, format="json").json()["reference"]
    Booking.objects.filter(reference=reference).update(hold_expires_at=timezone.now() - timedelta(seconds=1))

    def act(index):
        if index == 0:
            response = first.post(f"/api/v1/booking/holds/{reference}/confirm", {"parties": PARTIES}, format="json")
            return response.status_code, response.json()
        # The beat sweeper, running at that moment; it may skip the row the confirmation locks.
        return services.release_expired_holds()

    (confirm_code, confirm_body), _swept = _in_parallel(2, act)
    assert confirm_code == 409 and confirm_body["error"]["code"] == "hold_expired"
    services.release_expired_holds()
    assert Booking.objects.get(reference=reference).status == "expired"
    response = second.post("/api/v1/booking/holds", body, format="json")
    assert response.status_code == 201, response.json()
    assert Booking.objects.filter(status="held").count() == 1
    assert Occupancy.objects.filter(active=True).count() == 3


def test_parallel_retries_with_one_idempotency_key_make_one_booking():
    make_bookable_office()
    slot = _slots(1)[0]
    person = UserFactory()
    clients = [_client(person) for _ in range(20)]
    body = {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}

    def hold(index):
        response = clients[index].post("/api/v1/booking/holds", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
        return response.status_code, response.json()

    outcomes = _in_parallel(20, hold)
    assert {code for code, _body in outcomes} == {201}
    assert all(answer == outcomes[0][1] for _code, answer in outcomes)
    assert Booking.objects.count() == 1 and IdempotentRequest.objects.count() == 1


def test_two_bookings_moving_into_one_slot_one_wins_and_the_other_keeps_its_own():
    make_bookable_office()
    first_slot, second_slot, target = _slots(3)
    bookings = []
    for slot in (first_slot, second_slot):
        booking = services.hold_published_slot(
            person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
        )
        add_parties(booking)
        bookings.append(services.confirm_hold(booking=booking, actor=booking.person))
    clients = [_client(booking.person) for booking in bookings]
    body = {"room_id": target.room.pk, "starts_at": target.starts_at.isoformat()}

    def move(index):
        url = f"/api/v1/booking/bookings/{bookings[index].reference}/reschedule"
        response = clients[index].post(url, body, format="json")
        return response.status_code, response.json()

    outcomes = _in_parallel(2, move)
    codes = [code for code, _body in outcomes]
    assert sorted(codes) == [200, 409]
    assert outcomes[codes.index(409)][1]["error"]["code"] == "slot_unavailable"
    loser = bookings[codes.index(409)]
    original = (first_slot, second_slot)[codes.index(409)]
    loser.refresh_from_db()
    assert loser.starts_at == original.starts_at and loser.status == "provisional"
    assert loser.occupancies.filter(active=True).count() == 3
    assert Booking.objects.filter(starts_at=target.starts_at, room=target.room).count() == 1
