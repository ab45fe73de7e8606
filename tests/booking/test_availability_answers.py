"""A kept availability answer (`booking.availability_cache`) is given again only while nothing
it depends on has changed: every write path that takes or frees a room or an officer moves the
occupancy versions of the offices whose searches read that row, so the very next search after
the write shows a taken or held slot gone and a freed one back, and the answers about other
offices stay kept. The writes here run their commit hooks, as a request's do when it commits.
Each test runs with the cache in local memory and, when the suite has one, on Redis."""

from __future__ import annotations

import os
import uuid
from datetime import time, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from booking import availability_cache, selectors, services
from booking.models import Booking, RotaShift
from identity import roles
from identity.models import User
from tests.factories import UserFactory, add_parties, diary_staff, make_bookable_office
from tests.factories.booking import ceremony_slots

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def shared_cache(request, settings):
    """The cache in this process's memory, or the Redis the suite runs with (each test under a
    prefix of its own: the workers share that Redis)."""
    own = uuid.uuid4().hex
    if request.param == "redis":
        url = os.environ.get("TEST_REDIS_URL")
        if not url:
            pytest.skip("TEST_REDIS_URL not set (run through `make test`)")
        settings.CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": own}}
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": own}}
    return request.param


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A write as a request makes it: its commit hooks run when it is done."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def leeds():
    office, venue, ceremony_room, notice_room = make_bookable_office()
    return office, ceremony_room, notice_room


def _shown(office, slot) -> bool:
    return any(s.room.pk == slot.room.pk and s.starts_at == slot.starts_at for s in ceremony_slots(office))


def _kept_slot(office):
    """The first free slot, after a search whose answer is now kept."""
    slots = ceremony_slots(office)
    assert slots and ceremony_slots(office) == slots
    return slots[0]


def _held(committed, slot, person=None):
    """`slot` held for `person` (a new one by default) in one write that commits."""
    person = person or UserFactory()
    with committed():
        booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="ceremony")
    return booking, person


def _booked(committed, slot):
    booking, person = _held(committed, slot)
    add_parties(booking)
    with committed():
        booking = services.book_held_slot(booking=booking, actor=person)
    return booking, person


def test_a_search_asked_again_is_answered_without_reading_the_occupancy(leeds, django_assert_max_num_queries):
    office, _room, _notice_room = leeds
    first = ceremony_slots(office)
    with django_assert_max_num_queries(1):  # the calendar's stamp only
        again = ceremony_slots(office)
    assert again == first and again


def test_a_hold_hides_a_kept_slot_and_cancelling_it_brings_it_back(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    booking, person = _held(committed, slot)
    assert not _shown(office, slot)
    with committed():
        services.cancel_booking(booking=booking, actor=person)
    assert _shown(office, slot)


def test_a_confirmed_booking_stays_hidden_and_its_cancellation_shows_it_again(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    booking, person = _booked(committed, slot)
    assert booking.status in Booking.BOOKED
    assert not _shown(office, slot)
    with committed():
        services.cancel_booking(booking=booking, actor=person)
    assert _shown(office, slot)


def test_a_hold_that_runs_out_shows_its_slot_again_before_the_sweeper_runs(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    booking, _person = _held(committed, slot)
    assert not _shown(office, slot)
    with time_machine.travel(booking.hold_expires_at + timedelta(seconds=1)):
        assert _shown(office, slot)
        with committed():
            assert services.release_expired_holds() == 1
        assert _shown(office, slot)


def test_the_sweeper_releasing_holds_shows_their_slots_at_once(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    booking, _person = _held(committed, slot)
    assert not _shown(office, slot)
    # Time the kept answer cannot see pass: only the sweeper's write tells the search.
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    with committed():
        assert services.release_expired_holds() == 1
    assert _shown(office, slot)


def test_a_move_frees_the_old_slot_and_takes_the_new_one_at_once(leeds, committed):
    office, _room, _notice_room = leeds
    old = _kept_slot(office)
    booking, person = _booked(committed, old)
    new = next(s for s in ceremony_slots(office) if s.starts_at > old.starts_at + timedelta(days=1))
    assert _shown(office, new)
    with committed():
        services.reschedule_booking(booking=booking, room=new.room, starts_at=new.starts_at, actor=person)
    assert _shown(office, old)
    assert not _shown(office, new)


def test_reassigning_officers_frees_the_old_ones_and_takes_the_new_ones_at_once(leeds, committed):
    office, _room, _notice_room = leeds
    manager = diary_staff(office, role=roles.SUPERINTENDENT_REGISTRAR)
    slot = _kept_slot(office)
    booking, _person = _booked(committed, slot)
    day = slot.local_start.date()
    search = selectors.SlotSearch(kind="notice", date_from=day, date_to=day, limit=200)

    def registrars_offered_during_the_ceremony() -> set[int]:
        return {
            s.registrar_id
            for s in selectors.find_slots(search)
            if s.starts_at < slot.ends_at and s.ends_at > slot.starts_at
        }

    before = registrars_offered_during_the_ceremony()
    assert before and booking.registrar_id not in before
    assert registrars_offered_during_the_ceremony() == before  # kept
    other = User.objects.get(pk=sorted(before)[0])
    with committed():
        services.reassign_officers(
            booking=booking, superintendent=booking.superintendent, registrar=other, actor=manager
        )
    after = registrars_offered_during_the_ceremony()
    assert other.pk not in after
    assert booking.registrar_id in after


def test_a_notice_appointment_held_and_cancelled_is_seen_at_once(leeds, committed):
    office, _room, _notice_room = leeds
    first, _last = selectors.bookable_dates("notice")
    search = selectors.SlotSearch(kind="notice", date_from=first, date_to=first + timedelta(days=14))
    slots = selectors.find_slots(search)
    assert slots and selectors.find_slots(search) == slots
    slot, person = slots[0], UserFactory()
    with committed():
        booking = services.hold_published_slot(person=person, room=slot.room, starts_at=slot.starts_at, kind="notice")
    assert slot.starts_at not in {s.starts_at for s in selectors.find_slots(search) if s.room.pk == slot.room.pk}
    with committed():
        services.cancel_booking(booking=booking, actor=person)
    assert slot.starts_at in {s.starts_at for s in selectors.find_slots(search) if s.room.pk == slot.room.pk}


def test_a_hold_that_rolls_back_leaves_the_slot_shown(leeds):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")
        # Inside the writer's own transaction its hold is seen, and that answer is not kept.
        assert not _shown(office, slot)
        raise RuntimeError("rolled back")
    assert _shown(office, slot)
    assert not Booking.objects.exists()


def _office_version(office) -> int:
    return availability_cache.occupancy_versions([availability_cache.office_key(office.pk)])[0]


def test_the_version_moves_inside_the_write_and_again_when_it_commits(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    before = _office_version(office)
    with committed():
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")
        inside = _office_version(office)
    assert before < inside < _office_version(office)


def test_a_version_lost_by_the_cache_starts_above_every_one_handed_out(leeds):
    office, _room, _notice_room = leeds
    version = _office_version(office)
    availability_cache.occupancy_changed(office_ids=[office.pk])
    moved = _office_version(office)
    assert moved > version
    cache.delete(availability_cache.office_key(office.pk))
    assert _office_version(office) > moved


# Two offices: a write in one leaves the other's answers kept, and drops the national ones.


@pytest.fixture
def york(leeds):
    office, _venue, ceremony_room, notice_room = make_bookable_office(
        postcode="YO1 7HH", latitude="53.9590", longitude="-1.0815"
    )
    return office, ceremony_room, notice_room


def _national_slots():
    first = timezone.localdate() + timedelta(days=45)
    while first.weekday() > 4:
        first += timedelta(days=1)
    return selectors.find_slots(
        selectors.SlotSearch(kind="ceremony", date_from=first, date_to=first + timedelta(days=10), limit=500)
    )


def _shown_nationally(slot) -> bool:
    return any(s.room.pk == slot.room.pk and s.starts_at == slot.starts_at for s in _national_slots())


def _kept_without_reading(django_assert_max_num_queries, office, expected):
    with django_assert_max_num_queries(1):  # the calendar's stamp only: the answer was kept
        assert ceremony_slots(office) == expected


def test_a_hold_in_one_office_keeps_the_answer_for_another_and_drops_the_national_one(
    leeds, york, committed, django_assert_max_num_queries
):
    leeds_office, york_office = leeds[0], york[0]
    york_answer = ceremony_slots(york_office)
    slot = _kept_slot(leeds_office)
    assert _shown_nationally(slot) and _shown_nationally(slot)  # the national answer kept
    _held(committed, slot)
    _kept_without_reading(django_assert_max_num_queries, york_office, york_answer)
    assert not _shown_nationally(slot)
    assert not _shown(leeds_office, slot)


def test_a_cancellation_in_one_office_keeps_the_answer_for_another_and_shows_the_slot_nationally(
    leeds, york, committed, django_assert_max_num_queries
):
    leeds_office, york_office = leeds[0], york[0]
    slot = _kept_slot(leeds_office)
    booking, person = _booked(committed, slot)
    york_answer = ceremony_slots(york_office)
    assert not _shown_nationally(slot) and not _shown_nationally(slot)
    with committed():
        services.cancel_booking(booking=booking, actor=person)
    _kept_without_reading(django_assert_max_num_queries, york_office, york_answer)
    assert _shown_nationally(slot)
    assert _shown(leeds_office, slot)


def test_the_sweeper_in_one_office_keeps_the_answer_for_another(leeds, york, committed, django_assert_max_num_queries):
    leeds_office, york_office = leeds[0], york[0]
    slot = _kept_slot(leeds_office)
    booking, _person = _held(committed, slot)
    york_answer = ceremony_slots(york_office)
    assert not _shown_nationally(slot) and not _shown(leeds_office, slot)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - timedelta(minutes=1))
    with committed():
        assert services.release_expired_holds() == 1
    _kept_without_reading(django_assert_max_num_queries, york_office, york_answer)
    assert _shown(leeds_office, slot)
    assert _shown_nationally(slot)


def test_a_move_within_one_office_keeps_the_answer_for_another(leeds, york, committed, django_assert_max_num_queries):
    leeds_office, york_office = leeds[0], york[0]
    old = _kept_slot(leeds_office)
    booking, person = _booked(committed, old)
    new = next(s for s in ceremony_slots(leeds_office) if s.starts_at > old.starts_at + timedelta(days=1))
    york_answer = ceremony_slots(york_office)
    assert _shown_nationally(new) and not _shown_nationally(old)
    with committed():
        services.reschedule_booking(booking=booking, room=new.room, starts_at=new.starts_at, actor=person)
    _kept_without_reading(django_assert_max_num_queries, york_office, york_answer)
    assert _shown(leeds_office, old) and not _shown(leeds_office, new)
    assert _shown_nationally(old) and not _shown_nationally(new)


def test_a_move_to_another_office_is_seen_in_both(leeds, york, committed):
    leeds_office, york_office = leeds[0], york[0]
    old = _kept_slot(leeds_office)
    booking, person = _booked(committed, old)
    new = _kept_slot(york_office)
    with committed():
        services.reschedule_booking(booking=booking, room=new.room, starts_at=new.starts_at, actor=person)
    assert _shown(leeds_office, old)
    assert not _shown(york_office, new)
    assert _shown_nationally(old) and not _shown_nationally(new)


def test_an_officer_on_two_offices_rotas_booked_in_one_is_seen_busy_in_the_other(leeds, york, committed):
    leeds_office, york_office = leeds[0], york[0]
    slot = _kept_slot(leeds_office)
    officer_id = slot.superintendent_id
    # The Leeds superintendent also works in York that day (a rota change: every answer goes).
    RotaShift.objects.create(
        officer_id=officer_id,
        office=york_office,
        weekday=slot.local_start.weekday(),
        starts=time(8, 31),
        ends=time(18, 30),
    )

    def york_at_that_time():
        return next(s for s in ceremony_slots(york_office) if s.starts_at == slot.starts_at)

    assert york_at_that_time().superintendent_id == officer_id
    assert york_at_that_time().superintendent_id == officer_id  # kept
    booking, _person = _held(committed, slot)
    assert booking.superintendent_id == officer_id
    assert york_at_that_time().superintendent_id != officer_id
    offices = availability_cache.written_offices(officer_ids=[officer_id])
    assert {pk for pk, _region in offices} == {leeds_office.pk, york_office.pk}


def test_a_write_whose_offices_are_not_known_drops_every_answer(leeds, york, committed, django_assert_max_num_queries):
    york_office = york[0]
    york_answer = ceremony_slots(york_office)
    _kept_without_reading(django_assert_max_num_queries, york_office, york_answer)
    with committed():
        availability_cache.occupancy_changed()
    with django_assert_max_num_queries(10) as searched:
        assert ceremony_slots(york_office) == york_answer
    assert len(searched.captured_queries) > 1  # read again


def test_a_national_answer_checks_region_versions_and_a_local_one_its_offices(leeds, york):
    leeds_office, york_office = leeds[0], york[0]
    region = leeds_office.region
    counts = {region: 2}
    region_of = {leeds_office.pk: region, york_office.pk: region}
    national = availability_cache.version_keys({leeds_office.pk, york_office.pk}, region_of, counts)
    local = availability_cache.version_keys({york_office.pk}, region_of, counts)
    assert national == [availability_cache.EVERYTHING_KEY, availability_cache.region_key(region)]
    assert local == [availability_cache.EVERYTHING_KEY, availability_cache.office_key(york_office.pk)]


@pytest.mark.django_db(transaction=True)
def test_a_hold_rolled_back_in_its_own_transaction_leaves_answers_usable(django_assert_max_num_queries):
    office, _venue, _room, _notice_room = make_bookable_office()
    slot = _kept_slot(office)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")
        assert not availability_cache.answers_usable()
        raise RuntimeError("rolled back")
    assert availability_cache.answers_usable()
    answer = ceremony_slots(office)
    assert _shown(office, slot)
    _kept_without_reading(django_assert_max_num_queries, office, answer)
