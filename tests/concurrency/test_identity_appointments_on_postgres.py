"""Identity appointments under parallel requests on PostgreSQL: people racing for video calls at one
time get at most one each of the free officers, a visit's room goes to one person only, and one
person's double submission leaves one appointment for their check."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from booking import services
from booking.models import Booking, Occupancy
from booking.refusals import BookingRefused
from tests.factories import UserFactory, identity_slots, make_identity_office, submit_passport_check

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _waiting_people(count: int):
    people = [UserFactory() for _ in range(count)]
    for person in people:
        submit_passport_check(person=person)
    return people


def _race(people, slot):
    barrier = threading.Barrier(len(people))

    def hold(person):
        barrier.wait()
        try:
            services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind=slot.kind)
            return "held"
        except BookingRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(hold, people))


def test_parallel_video_calls_at_one_time_get_at_most_the_free_officers_on_postgres():
    make_identity_office()  # four officers on the rota
    slot = identity_slots("identity_video")[0]
    outcomes = _race(_waiting_people(8), slot)
    assert outcomes.count("held") == 4 and set(outcomes) == {"held", "slot_unavailable"}
    officers = Occupancy.objects.filter(active=True, officer__isnull=False).values_list("officer_id", flat=True)
    assert len(set(officers)) == 4 and not Occupancy.objects.filter(room__isnull=False).exists()


def test_parallel_visits_to_one_room_at_one_time_one_wins_on_postgres():
    make_identity_office()
    slot = identity_slots("identity_in_person")[0]
    outcomes = _race(_waiting_people(6), slot)
    assert outcomes.count("held") == 1 and set(outcomes) == {"held", "slot_unavailable"}
    assert Booking.objects.filter(status="held").count() == 1


def test_one_persons_double_submission_leaves_one_appointment_on_postgres():
    make_identity_office()
    (person,) = _waiting_people(1)
    slots = identity_slots("identity_video")
    barrier = threading.Barrier(2)

    def hold(slot):
        barrier.wait()
        try:
            services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind=slot.kind)
            return "held"
        except BookingRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(hold, [slots[0], slots[2]]))
    assert sorted(outcomes) == ["held", "identity_appointment_booked"]
    assert Booking.objects.filter(person=person, status="held").count() == 1
