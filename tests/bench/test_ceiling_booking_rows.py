"""The ceiling project's bare insert over HTTP (bench/ceiling/urls.py `booking_rows`), which the
booking benchmark measures the service against: it writes a booking's rows as given, in one
transaction, and answers a refused row 409 and a body that is not such rows 400, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from bench.bench_booking import _json_rows
from bench.ceiling.urls import booking_rows
from booking import selectors, services
from booking.models import Booking, Occupancy, Party
from tests.factories import UserFactory, add_parties, make_bookable_office
from tests.factories.booking import ceremony_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def template():
    """A held ceremony's rows, by column, as the benchmark posts them; the hold is then freed."""
    office, *_rooms = make_bookable_office()
    selectors.current_calendar()
    slot = ceremony_slots(office)[0]
    booking = services.hold_published_slot(
        person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony"
    )
    add_parties(booking)
    body = {
        "booking": _json_rows(Booking, list(Booking.objects.filter(pk=booking.pk).values()))[0],
        "occupancies": _json_rows(Occupancy, list(Occupancy.objects.filter(booking=booking).values())),
        "parties": _json_rows(Party, list(Party.objects.filter(booking=booking).values())),
    }
    Occupancy.objects.filter(booking=booking).update(active=False)
    Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.CANCELLED)
    body["booking"] |= {"reference": "BARE000001", "status": "provisional"}
    return body


def _post(body) -> tuple[int, dict]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = booking_rows(RequestFactory().post("/booking-rows", raw, content_type="application/json"))
    return response.status_code, json.loads(response.content)


def test_a_bookings_rows_are_written_in_one_go(template):
    status, answer = _post(template)
    assert status == 201, answer
    made = Booking.objects.get(pk=answer["id"])
    assert made.reference == "BARE000001" and made.status == "provisional"
    assert Occupancy.objects.filter(booking=made, active=True).count() == 3
    assert sorted(Party.objects.filter(booking=made).values_list("position", flat=True)) == [1, 2]


def test_rows_the_constraints_refuse_are_a_409_and_leave_nothing(template):
    assert _post(template)[0] == 201
    status, answer = _post(template)  # the same reference again (and, on PostgreSQL, the same room)
    assert status == 409 and answer["error"]
    assert Booking.objects.filter(reference="BARE000001").count() == 1
    assert Occupancy.objects.filter(active=True).count() == 3


@pytest.mark.parametrize(
    "change",
    [
        lambda body: "not json",
        lambda body: [body],
        lambda body: body | {"booking": None},
        lambda body: body | {"occupancies": "rows"},
        lambda body: body | {"parties": []},
        lambda body: body | {"parties": [{"position; DROP TABLE x": 1}]},
        lambda body: body | {"parties": [body["parties"][0], {"position": 2}]},
        lambda body: body | {"parties": [{"no_such_column": 1}]},
    ],
)
def test_a_body_that_is_not_a_bookings_rows_is_a_400(template, change):
    status, answer = _post(change(template))
    assert status == 400 and answer["error"]
    assert not Booking.objects.filter(reference="BARE000001").exists()


def test_only_a_post_is_answered():
    response = booking_rows(RequestFactory().get("/booking-rows"))
    assert response.status_code == 405
