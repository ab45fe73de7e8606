"""The booking API under contention on PostgreSQL: 100 clients holding one slot, parallel
retries with one Idempotency-Key, and two bookings moving into the same slot."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from rest_framework.test import APIClient

from booking import selectors, services
from booking.models import Booking, IdempotentRequest, Occupancy
from identity.services import issue_api_token
from tests.factories import UserFactory, add_parties, make_bookable_office

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


def test_parallel_retries_with_one_idempotency_key_make_one_booking():
    make_bookable_office()
    slot = _slots(1)[0]
    person = UserFactory()
    clients = [_client(person) for _ in range(20)]
    body = {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}

    def hold(index):
        response = clients[index].post("/api/v1/booking/holds", body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
        return response.status_code, response.json().get("reference")

    outcomes = _in_parallel(20, hold)
    assert {code for code, _ref in outcomes} == {201}
    assert len({reference for _code, reference in outcomes}) == 1
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
        return clients[index].post(url, body, format="json").status_code

    codes = _in_parallel(2, move)
    assert sorted(codes) == [200, 409]
    loser = bookings[codes.index(409)]
    original = (first_slot, second_slot)[codes.index(409)]
    loser.refresh_from_db()
    assert loser.starts_at == original.starts_at and loser.status == "provisional"
    assert loser.occupancies.filter(active=True).count() == 3
    assert Booking.objects.filter(starts_at=target.starts_at, room=target.room).count() == 1
