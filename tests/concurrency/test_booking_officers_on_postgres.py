"""DESIGN.md invariant 2 on PostgreSQL with officers shared between rooms and venues: parallel holds
that need the same officers, in the service and over the API. Every attempt is counted; every
loser gets the documented 409 refusal (never a 500 or a database error), and afterwards no
officer is in two places at once and no room is held twice. Run with `-s` to see the figures."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from booking import commitments, selectors, services
from booking.demo import ensure_patterns
from booking.models import Booking, Occupancy, RotaShift
from identity.services import issue_api_token
from tests.factories import (
    RoomFactory,
    StaffFactory,
    UserFactory,
    VenueFactory,
    diary_staff,
    make_bookable_office,
)

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

# Rounds of parallel attempts in each race; each round races for a time of its own.
ROUNDS = 60


def _in_parallel(count, work):
    barrier = threading.Barrier(count)

    def run(index):
        barrier.wait()
        try:
            return work(index)
        except services.BookingRefused as refused:
            return f"{refused.status} {refused.code}"
        except Exception as error:  # noqa: BLE001 - counted: any other outcome fails the test
            return f"unexpected {type(error).__name__}: {error}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _report(name: str, outcomes: Counter) -> None:
    print(f"\n[race] {name}: {sum(outcomes.values())} attempts, " + ", ".join(f"{k}: {v}" for k, v in outcomes.items()))


def _assert_no_officer_in_two_places_and_no_room_twice() -> None:
    """Read back from the rows themselves, by the rule the constraints enforce."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM booking_occupancy a JOIN booking_occupancy b
              ON a.id < b.id AND a.active AND b.active AND a.officer_id = b.officer_id
             WHERE tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
                OR (a.venue_id <> b.venue_id
                    AND tstzrange(a.away_from, a.away_until) && tstzrange(b.away_from, b.away_until))
            """
        )
        assert cursor.fetchone()[0] == 0, "an officer is in two places at once"
        cursor.execute(
            """
            SELECT count(*) FROM booking_occupancy a JOIN booking_occupancy b
              ON a.id < b.id AND a.active AND b.active AND a.room_id = b.room_id
             WHERE tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
            """
        )
        assert cursor.fetchone()[0] == 0, "a room is held twice"


def _round_start(round_number: int):
    """A time of its own for each round: whole hours apart, days ahead."""
    base = (timezone.now() + timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    return base + timedelta(hours=2 * round_number)


def test_two_holds_at_two_rooms_wanting_two_officers_in_opposite_roles_never_deadlock_into_a_500():
    # Each hold writes its superintendent's row first, so two ceremonies that swap the two
    # officers' roles reach for the same two rows in opposite orders: the classic deadlock.
    first, second = StaffFactory(), StaffFactory()
    rooms = [RoomFactory(), RoomFactory()]
    people = [UserFactory(), UserFactory()]
    outcomes = Counter()
    for round_number in range(ROUNDS):
        starts_at = _round_start(round_number)

        def hold(index, starts_at=starts_at):
            superintendent, registrar = (first, second) if index == 0 else (second, first)
            services.hold_slot(
                person=people[index],
                room=rooms[index],
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=45),
                kind="ceremony",
                superintendent=superintendent,
                registrar=registrar,
            )
            return "201 held"

        answers = _in_parallel(2, hold)
        outcomes.update(answers)
        assert answers.count("201 held") == 1, answers
    _report("two rooms, two officers in opposite roles", outcomes)
    assert set(outcomes) == {"201 held", "409 slot_unavailable"}, outcomes
    assert Booking.objects.filter(status="held").count() == ROUNDS
    _assert_no_officer_in_two_places_and_no_room_twice()


def test_officers_shared_across_rooms_and_venues_under_parallel_holds_each_lost_race_is_a_409():
    # Three officers, three rooms at three venues (one the office, two approved premises out of
    # town): every ceremony needs two of the three, so any two holds at one time share one.
    office_venue = VenueFactory()
    venues = [
        office_venue,
        VenueFactory(office=office_venue.office, kind="approved_premises", latitude="53.9797"),
        VenueFactory(office=office_venue.office, kind="approved_premises", latitude="53.6197"),
    ]
    rooms = [RoomFactory(venue=venue) for venue in venues]
    officers = [StaffFactory() for _ in range(3)]
    pairs = [(officers[0], officers[1]), (officers[1], officers[2]), (officers[2], officers[0])]
    people = [UserFactory() for _ in range(3)]
    outcomes = Counter()
    for round_number in range(ROUNDS // 2):
        starts_at = _round_start(round_number)

        def hold(index, starts_at=starts_at):
            # The third room's hold starts half an hour later: a clash only through travel.
            starts = starts_at + timedelta(minutes=30 * (index == 2))
            services.hold_slot(
                person=people[index],
                room=rooms[index],
                starts_at=starts,
                ends_at=starts + timedelta(minutes=45),
                kind="ceremony",
                superintendent=pairs[index][0],
                registrar=pairs[index][1],
            )
            return "201 held"

        answers = _in_parallel(3, hold)
        outcomes.update(answers)
        assert answers.count("201 held") == 1, answers
    _report("three rooms at three venues, three officers", outcomes)
    assert set(outcomes) == {"201 held", "409 slot_unavailable"}, outcomes
    _assert_no_officer_in_two_places_and_no_room_twice()


def test_a_change_of_officers_racing_a_hold_for_the_same_two_is_one_win_and_one_409():
    # A registrar moves a booked ceremony onto two officers (registrar first, so its rows go in
    # the other order) while a citizen's hold at another venue wants the same two at that time.
    office_venue = VenueFactory()
    staff = diary_staff(office_venue.office)
    first, second = StaffFactory(), StaffFactory()
    booked_room, other_room = RoomFactory(venue=office_venue), RoomFactory()
    couple, citizen, before = UserFactory(), UserFactory(), (StaffFactory(), StaffFactory())
    outcomes = Counter()
    for round_number in range(ROUNDS // 2):
        starts_at = _round_start(round_number)
        booked = services.hold_slot(
            person=couple,
            room=booked_room,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=45),
            kind="ceremony",
            superintendent=before[0],
            registrar=before[1],
        )
        Booking.objects.filter(pk=booked.pk).update(status="provisional", hold_expires_at=None)

        def race(index, starts_at=starts_at, booked=booked):
            if index == 0:
                services.reassign_officers(booking=booked, superintendent=second, registrar=first, actor=staff)
                return "200 moved"
            services.hold_slot(
                person=citizen,
                room=other_room,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=45),
                kind="ceremony",
                superintendent=first,
                registrar=second,
            )
            return "201 held"

        answers = _in_parallel(2, race)
        outcomes.update(answers)
        assert sum(answer in ("200 moved", "201 held") for answer in answers) == 1, answers
    _report("a change of officers against a hold, the same two officers", outcomes)
    assert set(outcomes) <= {"200 moved", "201 held", "409 officers_busy", "409 slot_unavailable"}, outcomes
    _assert_no_officer_in_two_places_and_no_room_twice()


def _client(user) -> APIClient:
    token, _expires = issue_api_token(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_one_pair_of_officers_wanted_at_four_venues_over_the_api_every_loser_gets_the_409():
    office, _venue, ceremony_room, _notice_room = make_bookable_office()
    # One superintendent registrar and one registrar: every ceremony at the office's four
    # venues needs the same two people.
    RotaShift.objects.filter(office=office, officer__email__startswith="sr2.").delete()
    RotaShift.objects.filter(office=office, officer__email__startswith="r2.").delete()
    rooms = [ceremony_room]
    for offset in ("0.03", "0.05", "0.07"):
        venue = VenueFactory(office=office, kind="approved_premises", latitude=f"{53.7997 + float(offset):.4f}")
        room = RoomFactory(venue=venue)
        ensure_patterns(room, kind="ceremony", days=range(0, 6), opens=time(10), closes=time(16), duration=45, gap=15)
        rooms.append(room)
    first, _last = selectors.bookable_dates("ceremony")
    starts = [
        slot.starts_at
        for slot in selectors.find_slots(
            selectors.SlotSearch(
                kind="ceremony",
                date_from=first,
                date_to=first + timedelta(days=21),
                venue_ids=frozenset([ceremony_room.venue_id]),
                limit=200,
            )
        )
    ][::3][:8]
    clients = [_client(UserFactory()) for _ in range(16)]
    outcomes = Counter()
    for starts_at in starts:

        def hold(index, starts_at=starts_at):
            body = {"room_id": rooms[index % 4].pk, "starts_at": starts_at.isoformat(), "kind": "ceremony"}
            response = clients[index].post("/api/v1/booking/holds", body, format="json")
            if response.status_code == 201:
                return "201 held"
            return f"{response.status_code} {response.json().get('error', {}).get('code')}"

        answers = _in_parallel(16, hold)
        outcomes.update(answers)
        assert answers.count("201 held") == 1, answers
    _report("API: four venues, one pair of officers", outcomes)
    assert set(outcomes) == {"201 held", "409 slot_unavailable"}, outcomes
    assert Booking.objects.filter(status="held").count() == len(starts)
    _assert_no_officer_in_two_places_and_no_room_twice()


def test_every_lost_race_of_published_holds_at_one_office_is_a_409_and_each_slot_is_held_once():
    # Parallel citizens over the API for every slot of one day at one room, with one pair of
    # officers on the rota: back-to-back ceremonies are allowed, so each slot goes to one person.
    office, _venue, ceremony_room, _notice_room = make_bookable_office()
    RotaShift.objects.filter(office=office, officer__email__startswith="sr2.").delete()
    RotaShift.objects.filter(office=office, officer__email__startswith="r2.").delete()
    first, _last = selectors.bookable_dates("ceremony")
    day_slots = selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=7), limit=6)
    )
    day = day_slots[0].local_start.date()
    day_slots = [slot for slot in day_slots if slot.local_start.date() == day]
    assert len(day_slots) == 6
    clients = [_client(UserFactory()) for _ in range(18)]

    def hold(index):
        slot = day_slots[index % 6]
        body = {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat(), "kind": "ceremony"}
        response = clients[index].post("/api/v1/booking/holds", body, format="json")
        if response.status_code == 201:
            return "201 held"
        return f"{response.status_code} {response.json().get('error', {}).get('code')}"

    outcomes = Counter(_in_parallel(18, hold))
    _report("API: six back-to-back slots, one pair of officers, three people each", outcomes)
    assert outcomes == {"201 held": 6, "409 slot_unavailable": 12}, outcomes
    held = Booking.objects.filter(status="held")
    assert held.values("superintendent", "registrar").distinct().count() == 1
    _assert_no_officer_in_two_places_and_no_room_twice()


@pytest.mark.django_db
def test_the_database_refuses_exactly_the_officer_rows_the_rule_calls_a_clash():
    # Rows written behind the service's back: the constraints and `Commitment.clashes` agree,
    # for a second booking at the same venue or another one, from inside the first one's
    # changeover to well past the journeys between them.
    office_venue = VenueFactory()
    near = VenueFactory(office=office_venue.office, kind="approved_premises", latitude="53.9797")
    other = VenueFactory(office=office_venue.office, kind="approved_premises", latitude="53.6197")
    officer, person = StaffFactory(), UserFactory()
    base = _round_start(0)
    first = _commitment_row(near, officer, person, base)
    verdicts = Counter()
    for minutes in (30, 50, 59, 60, 100, 139, 140, 200):
        for venue in (near, other):
            starts_at = base + timedelta(minutes=minutes)
            clash = commitments.row_commitment(first).clashes(
                commitments.officer_commitment(venue, starts_at, starts_at + timedelta(minutes=45))
            )
            try:
                with transaction.atomic():
                    _commitment_row(venue, officer, person, starts_at)
                    raise _Accepted
            except IntegrityError:
                refused = True
            except _Accepted:
                refused = False
            assert refused is clash, (minutes, venue == near)
            verdicts[("refused" if refused else "accepted", "same venue" if venue == near else "other venue")] += 1
    assert verdicts[("accepted", "same venue")] and verdicts[("refused", "other venue")]


class _Accepted(Exception):
    """The row went in; roll it back so the next case starts from the first row alone."""


def _commitment_row(venue, officer, person, starts_at):
    booking = Booking.objects.create(
        reference=f"BK-T{Booking.objects.count()}-{starts_at:%H%M}-{venue.pk}",
        kind="notice",
        person=person,
        room=venue.rooms.first() or RoomFactory(venue=venue),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=45),
        hold_expires_at=timezone.now() + timedelta(minutes=15),
    )
    commitment = commitments.officer_commitment(venue, booking.starts_at, booking.ends_at)
    return Occupancy.objects.create(
        booking=booking,
        officer=officer,
        venue_id=commitment.venue_id,
        starts_at=commitment.starts_at,
        ends_at=commitment.ends_at,
        away_from=commitment.away_from,
        away_until=commitment.away_until,
    )
