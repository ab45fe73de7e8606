"""A kept availability answer (`booking.availability_cache`) is given again only while nothing
it depends on has changed: every write path that takes or frees a room or an officer moves the
occupancy version, so the very next search after the write shows a taken or held slot gone and a
freed one back. The writes here run their commit hooks, as a request's do when it commits."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from booking import availability_cache, selectors, services
from booking.models import Booking
from identity import roles
from identity.models import User
from tests.factories import UserFactory, add_parties, diary_staff, make_bookable_office
from tests.factories.booking import ceremony_slots

pytestmark = pytest.mark.django_db


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


def test_the_version_moves_inside_the_write_and_again_when_it_commits(leeds, committed):
    office, _room, _notice_room = leeds
    slot = _kept_slot(office)
    before = availability_cache.occupancy_version()
    with committed():
        services.hold_published_slot(person=UserFactory(), room=slot.room, starts_at=slot.starts_at, kind="ceremony")
        inside = availability_cache.occupancy_version()
    assert before < inside < availability_cache.occupancy_version()


def test_a_version_lost_by_the_cache_starts_above_every_one_handed_out(leeds):
    version = availability_cache.occupancy_version()
    availability_cache.occupancy_changed()
    moved = availability_cache.occupancy_version()
    assert moved > version
    cache.delete(availability_cache.VERSION_KEY)
    assert availability_cache.occupancy_version() > moved
