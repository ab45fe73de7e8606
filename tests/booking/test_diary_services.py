"""The diary services check who is acting: staff change only the diaries of the offices they
belong to, with the permission the work needs, whichever page, command or test calls them."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from booking import services
from booking.models import Closure, OfficerAbsence, RoomPattern, RotaShift
from identity import roles
from tests.factories import StaffFactory, diary_staff, make_bookable_office

pytestmark = pytest.mark.django_db


def _officer(office):
    return office.rota_shifts.select_related("officer").first().officer


def _changes(calendar, ceremony):
    """Each diary service, as a call of its own office's diary by `actor`."""
    office, venue, ceremony_room, _notice_room = calendar
    day = timezone.localdate() + timedelta(days=3)
    pattern = RoomPattern.objects.filter(room=ceremony_room).first()
    shift = RotaShift.objects.filter(office=office).first()
    return {
        "closure": lambda actor: services.add_closure(
            venue=venue, room=None, starts_on=day, ends_on=day, reason="Flood", actor=actor
        ),
        "absence": lambda actor: services.record_absence(
            office=office, officer=_officer(office), kind="leave", starts_on=day, ends_on=day, note="", actor=actor
        ),
        "pattern": lambda actor: services.add_room_pattern(
            room=ceremony_room,
            kind="ceremony",
            weekday=6,
            opens=time(10),
            closes=time(12),
            duration_minutes=45,
            gap_minutes=15,
            actor=actor,
        ),
        "pattern removed": lambda actor: services.remove_room_pattern(pattern=pattern, actor=actor),
        "shift": lambda actor: services.add_rota_shift(
            officer=_officer(office), office=office, weekday=6, starts=time(9), ends=time(12), actor=actor
        ),
        "shift removed": lambda actor: services.remove_rota_shift(shift=shift, actor=actor),
        "feed": lambda actor: services.create_calendar_feed(actor=actor, office=office),
        "officers": lambda actor: services.reassign_officers(
            booking=ceremony, superintendent=ceremony.registrar, registrar=ceremony.superintendent, actor=actor
        ),
    }


CHANGES = ["closure", "absence", "pattern", "pattern removed", "shift", "shift removed", "feed", "officers"]


@pytest.mark.parametrize("change", CHANGES)
def test_staff_of_another_office_are_refused(calendar, ceremony, change):
    outsider = diary_staff(make_bookable_office(code="E-OTHERDIARY")[0])
    before = (
        Closure.objects.count(),
        OfficerAbsence.objects.count(),
        RoomPattern.objects.count(),
        RotaShift.objects.count(),
    )
    with pytest.raises(services.BookingRefused) as refused:
        _changes(calendar, ceremony)[change](outsider)
    assert (refused.value.code, refused.value.status) == ("other_office", 403)
    assert refused.value.message == "That is another office's diary"
    after = (
        Closure.objects.count(),
        OfficerAbsence.objects.count(),
        RoomPattern.objects.count(),
        RotaShift.objects.count(),
    )
    assert after == before


@pytest.mark.parametrize("change", CHANGES)
def test_staff_without_the_diary_permission_are_refused(calendar, ceremony, change):
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    support.offices.add(calendar[0])
    with pytest.raises(services.BookingRefused) as refused:
        _changes(calendar, ceremony)[change](support)
    assert (refused.value.code, refused.value.status) == ("not_allowed", 403)


@pytest.mark.parametrize("change", CHANGES)
def test_staff_of_the_office_may(calendar, ceremony, change):
    _changes(calendar, ceremony)[change](diary_staff(calendar[0]))


def test_an_absence_is_only_for_an_officer_of_the_office(calendar):
    office = calendar[0]
    stranger = StaffFactory(roles=[roles.REGISTRAR])
    day = timezone.localdate()
    with pytest.raises(services.BookingRefused) as refused:
        services.record_absence(
            office=office,
            officer=stranger,
            kind="leave",
            starts_on=day,
            ends_on=day,
            note="",
            actor=diary_staff(office),
        )
    assert refused.value.code == "not_an_officer_here" and not OfficerAbsence.objects.exists()
