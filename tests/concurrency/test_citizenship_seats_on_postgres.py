"""No group citizenship ceremony is ever overbooked on PostgreSQL: many new citizens booking at
once (threads with their own connections, released together by a barrier) get exactly the seats
and guest places there are; moves racing bookings and each other neither overbook nor deadlock;
a cancellation racing bookings leaves no live seat behind; and the database itself refuses a
count over capacity written behind the service's back."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from booking import services
from booking.models import CitizenshipCeremony, CitizenshipSeat
from booking.refusals import BookingRefused
from tests.factories import UserFactory, diary_staff, make_bookable_office
from tests.factories.citizenship_booking import ceremony_day, make_group_ceremony, new_invitation_reference, take_seat

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 12


def _in_parallel(work, count: int = THREADS) -> list[str]:
    """Run work(index) in `count` threads released at once; each returns "ok" or a refusal code."""
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            work(index)
            return "ok"
        except BookingRefused as refused:
            return refused.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _live(ceremony) -> int:
    return CitizenshipSeat.objects.filter(ceremony=ceremony, status="booked").count()


def _book(ceremony, people, *, guests=0):
    attend_by = ceremony_day(90)

    def work(index):
        services.book_seat(
            ceremony=ceremony,
            person=people[index],
            invitation_reference=new_invitation_reference(),
            guests=guests,
            attend_by=attend_by,
            actor=people[index],
        )

    return work


def test_parallel_bookings_of_a_ceremony_with_n_seats_give_exactly_n_seats_on_postgres():
    ceremony = make_group_ceremony(seats=5, guest_places=0, guests_per_attendee=0)
    people = [UserFactory() for _ in range(THREADS)]
    outcomes = _in_parallel(_book(ceremony, people))
    ceremony.refresh_from_db()
    assert outcomes.count("ok") == 5
    assert outcomes.count("citizenship_full") == THREADS - 5
    assert ceremony.seats_taken == 5 == _live(ceremony)


def test_parallel_bookings_never_take_more_guest_places_than_the_room_has_on_postgres():
    ceremony = make_group_ceremony(seats=THREADS, guest_places=7, guests_per_attendee=2)
    people = [UserFactory() for _ in range(THREADS)]
    outcomes = _in_parallel(_book(ceremony, people, guests=2))
    ceremony.refresh_from_db()
    # Three attendees with two guests each fit in seven guest places; a fourth would need eight.
    assert outcomes.count("ok") == 3
    assert outcomes.count("citizenship_guests_full") == THREADS - 3
    assert (
        ceremony.guests_taken
        == 6
        == sum(CitizenshipSeat.objects.filter(ceremony=ceremony, status="booked").values_list("guests", flat=True))
    )
    assert ceremony.seats_taken == 3 == _live(ceremony)


def test_one_invitation_booked_twice_at_once_gets_one_seat_on_postgres():
    office = make_bookable_office()[0]
    ceremonies = [make_group_ceremony(office, day=ceremony_day(20 + 7 * n)) for n in range(4)]
    person = UserFactory()

    def work(index):
        services.book_seat(
            ceremony=ceremonies[index % 4],
            person=person,
            invitation_reference="HO-INV-TWICE",
            guests=0,
            attend_by=ceremony_day(90),
            actor=person,
        )

    outcomes = _in_parallel(work, 8)
    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "citizenship_already_booked"}
    assert CitizenshipSeat.objects.filter(invitation_reference="HO-INV-TWICE", status="booked").count() == 1
    assert sum(CitizenshipCeremony.objects.values_list("seats_taken", flat=True)) == 1


def test_moves_racing_bookings_for_the_last_seats_never_overbook_on_postgres():
    office = make_bookable_office()[0]
    target = make_group_ceremony(office, seats=4, guest_places=0, guests_per_attendee=0)
    source = make_group_ceremony(office, day=ceremony_day(30), seats=THREADS, guest_places=0, guests_per_attendee=0)
    movers = [take_seat(source) for _ in range(THREADS // 2)]
    bookers = [UserFactory() for _ in range(THREADS // 2)]
    book = _book(target, bookers)

    def work(index):
        if index % 2:
            book(index // 2)
        else:
            seat = movers[index // 2]
            services.move_seat(seat=seat, to=target, attend_by=ceremony_day(90), actor=seat.person)

    outcomes = _in_parallel(work)
    target.refresh_from_db()
    source.refresh_from_db()
    assert outcomes.count("ok") == 4
    assert target.seats_taken == 4 == _live(target)
    moved = sum(1 for index, outcome in enumerate(outcomes) if index % 2 == 0 and outcome == "ok")
    assert source.seats_taken == THREADS // 2 - moved == _live(source)


def test_moves_in_opposite_directions_at_once_neither_deadlock_nor_lose_a_seat_on_postgres():
    office = make_bookable_office()[0]
    first = make_group_ceremony(office, seats=THREADS, guest_places=0, guests_per_attendee=0)
    second = make_group_ceremony(office, day=ceremony_day(30), seats=THREADS, guest_places=0, guests_per_attendee=0)
    seats = [take_seat(first if n % 2 else second) for n in range(THREADS)]

    def work(index):
        seat = seats[index]
        services.move_seat(seat=seat, to=second if index % 2 else first, attend_by=ceremony_day(90), actor=seat.person)

    outcomes = _in_parallel(work)
    assert outcomes == ["ok"] * THREADS
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.seats_taken == THREADS // 2 == _live(first)
    assert second.seats_taken == THREADS // 2 == _live(second)


def test_a_ceremony_cancelled_while_people_book_leaves_no_live_seat_on_postgres():
    office = make_bookable_office()[0]
    staff = diary_staff(office)
    ceremony = make_group_ceremony(office, actor=staff, seats=THREADS, guest_places=0, guests_per_attendee=0)
    people = [UserFactory() for _ in range(THREADS - 1)]
    book = _book(ceremony, people)

    def work(index):
        if index == THREADS - 1:
            services.cancel_group_ceremony(ceremony=ceremony, actor=staff)
        else:
            book(index)

    outcomes = _in_parallel(work)
    assert outcomes[-1] == "ok"
    assert set(outcomes[:-1]) <= {"ok", "citizenship_cancelled"}
    ceremony.refresh_from_db()
    assert ceremony.seats_taken == 0 == _live(ceremony)


def test_the_database_refuses_a_count_over_capacity_written_directly_on_postgres():
    ceremony = make_group_ceremony(seats=2, guest_places=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenshipCeremony.objects.filter(pk=ceremony.pk).update(seats_taken=F("seats") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenshipCeremony.objects.filter(pk=ceremony.pk).update(guests_taken=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenshipCeremony.objects.filter(pk=ceremony.pk).update(seats=0)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE booking_citizenshipceremony SET seats_taken = 3 WHERE id = %s", [ceremony.pk])
    ceremony.refresh_from_db()
    assert (ceremony.seats_taken, ceremony.guests_taken) == (0, 0)


def test_a_second_live_seat_for_one_invitation_is_refused_by_the_database_on_postgres():
    seat = take_seat(make_group_ceremony())
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenshipSeat.objects.create(
            reference="CS-DIRECT",
            ceremony=seat.ceremony,
            person=seat.person,
            invitation_reference=seat.invitation_reference,
        )
