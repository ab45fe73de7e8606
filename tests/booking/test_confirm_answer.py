"""Booking a hold over the API answers from what the service has just written, without reading
the parties back, and without reading the witnesses when there are none: the answer is still the
booking as a later GET reads it, whatever was saved on the hold before, and nobody else's hold
can be booked."""

from __future__ import annotations

import pytest

from booking import services
from booking.models import Booking
from booking.refusals import BookingRefused
from booking.services.parties import record_parties
from tests.factories import API_PARTIES, UserFactory, add_parties, api_client, first_api_slot

pytestmark = pytest.mark.django_db

HOLDS = "/api/v1/booking/holds"


def _held(client) -> str:
    slot = first_api_slot()
    response = client.post(
        HOLDS, {"room_id": slot["room_id"], "starts_at": slot["starts_at"], "kind": "ceremony"}, format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()["reference"]


def _confirmed_answer_is_what_a_get_reads(client, reference: str, body: dict) -> dict:
    response = client.post(f"{HOLDS}/{reference}/confirm", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 200, response.json()
    assert client.get(f"/api/v1/booking/bookings/{reference}").json() == response.json()
    return response.json()


def test_witnesses_saved_on_the_hold_before_are_in_the_answer(calendar, person):
    client = api_client(person)
    reference = _held(client)
    services.save_witnesses(
        booking=Booking.objects.get(reference=reference), names=["Wyn Early", "Wen Early"], aged_16_or_over=True
    )
    answer = _confirmed_answer_is_what_a_get_reads(client, reference, {"parties": API_PARTIES})
    assert answer["witnesses"] == ["Wyn Early", "Wen Early"]
    assert [party["full_name"] for party in answer["parties"]] == ["Ada Example", "Bo Example"]


def test_parties_saved_before_are_replaced_by_those_given_and_answered_so(calendar, person):
    client = api_client(person)
    reference = _held(client)
    add_parties(Booking.objects.get(reference=reference), full_name="Old Name")
    answer = _confirmed_answer_is_what_a_get_reads(client, reference, {"parties": API_PARTIES})
    assert answer["parties"] == [
        {"position": 1, "full_name": "Ada Example", "postcode": "LS1 3AD"},
        {"position": 2, "full_name": "Bo Example", "postcode": "LS1 3AD"},
    ]
    assert answer["witnesses"] == [] and answer["status"] == "provisional"


def test_witnesses_given_with_the_parties_are_answered_without_a_read(calendar, person):
    client = api_client(person)
    reference = _held(client)
    answer = _confirmed_answer_is_what_a_get_reads(
        client,
        reference,
        {"parties": API_PARTIES, "witnesses": {"names": ["Wyn  Now", "Wen Now"], "aged_16_or_over": True}},
    )
    assert answer["witnesses"] == ["Wyn Now", "Wen Now"]


def test_a_replayed_confirmation_gives_the_same_answer(calendar, person):
    client = api_client(person)
    reference = _held(client)
    first = _confirmed_answer_is_what_a_get_reads(client, reference, {"parties": API_PARTIES})
    again = client.post(
        f"{HOLDS}/{reference}/confirm", {"parties": API_PARTIES}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true" and again.json() == first


def test_nobody_elses_hold_can_be_booked(calendar, person):
    reference = _held(api_client(UserFactory()))
    response = api_client(person).post(f"{HOLDS}/{reference}/confirm", {"parties": API_PARTIES}, format="json")
    assert response.status_code == 404
    assert Booking.objects.get(reference=reference).status == Booking.Status.HELD
    assert not Booking.objects.get(reference=reference).parties.exists()


def test_a_booking_already_booked_is_refused_and_keeps_its_people(calendar, person):
    client = api_client(person)
    reference = _held(client)
    _confirmed_answer_is_what_a_get_reads(client, reference, {"parties": API_PARTIES})
    changed = [API_PARTIES[0] | {"full_name": "Someone Else"}, API_PARTIES[1]]
    response = client.post(f"{HOLDS}/{reference}/confirm", {"parties": changed}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "not_held"
    assert Booking.objects.get(reference=reference).parties.get(position=1).full_name == "Ada Example"


def test_recording_both_parties_is_only_for_a_hold_being_booked(calendar, person):
    client = api_client(person)
    reference = _held(client)
    _confirmed_answer_is_what_a_get_reads(client, reference, {"parties": API_PARTIES})
    with pytest.raises(BookingRefused) as refused:
        record_parties(booking=Booking.objects.get(reference=reference), parties=[])
    assert refused.value.code == "not_held"
