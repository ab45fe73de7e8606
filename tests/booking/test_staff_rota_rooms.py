"""Rooms and their weekly opening times, and the officers' rota: listed for the office, added
and removed by staff (audited), with bad times refused as form errors."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from booking.models import RoomPattern, RotaShift
from identity import roles
from identity.models import AuditEntry
from tests.factories import RoomFactory, StaffFactory, VenueFactory, make_bookable_office

pytestmark = pytest.mark.django_db


def test_the_rooms_page_lists_rooms_and_weekly_patterns(
    client, registrar, office, calendar, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("booking-staff:rooms", args=[office.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ceremony room" in page and "Notice room" in page
    assert "10:00–16:00" in page and "45 minutes, 15 minutes apart" in page and "Saturday" in page


def test_adding_a_pattern_publishes_it_and_is_audited(client, registrar, office, calendar):
    room = calendar[2]
    response = client.post(
        reverse("booking-staff:add-pattern", args=[office.code]),
        {
            "room": room.pk,
            "kind": "ceremony",
            "weekday": "6",
            "opens": "11:00",
            "closes": "15:00",
            "duration_minutes": "60",
            "gap_minutes": "30",
        },
    )
    assert response.status_code == 302
    pattern = RoomPattern.objects.get(room=room, weekday=6)
    assert (pattern.opens, pattern.closes, pattern.duration_minutes) == (time(11), time(15), 60)
    assert AuditEntry.objects.filter(action="booking.room_pattern_added", actor=registrar).exists()


def test_a_pattern_closing_before_it_opens_is_a_form_error(client, registrar, office, calendar):
    response = client.post(
        reverse("booking-staff:add-pattern", args=[office.code]),
        {
            "room": calendar[2].pk,
            "kind": "ceremony",
            "weekday": "6",
            "opens": "15:00",
            "closes": "11:00",
            "duration_minutes": "60",
            "gap_minutes": "30",
        },
    )
    assert response.status_code == 400
    assert "The closing time must be after the opening time" in response.content.decode()
    assert not RoomPattern.objects.filter(weekday=6).exists()


def test_a_room_of_another_office_cannot_be_given_a_pattern(client, registrar, office):
    elsewhere = RoomFactory(venue=VenueFactory())
    response = client.post(
        reverse("booking-staff:add-pattern", args=[office.code]),
        {"room": elsewhere.pk, "kind": "ceremony", "weekday": "1", "opens": "10:00", "closes": "12:00"},
    )
    assert response.status_code == 400 and "Select a room of this office" in response.content.decode()


def test_removing_a_pattern_is_audited_and_another_offices_is_not_found(client, registrar, office, calendar):
    pattern = RoomPattern.objects.filter(room=calendar[2]).first()
    assert client.post(reverse("booking-staff:delete-pattern", args=[office.code, pattern.pk])).status_code == 302
    assert not RoomPattern.objects.filter(pk=pattern.pk).exists()
    assert AuditEntry.objects.filter(action="booking.room_pattern_removed", actor=registrar).exists()
    _other, _venue, other_room, _notice = make_bookable_office(code="E-ROTAOTHER")
    theirs = RoomPattern.objects.filter(room=other_room).first()
    assert client.post(reverse("booking-staff:delete-pattern", args=[office.code, theirs.pk])).status_code == 404


def test_the_rota_lists_shifts_and_a_shift_can_be_added_and_removed(client, registrar, office):
    page = client.get(reverse("booking-staff:rota", args=[office.code])).content.decode()
    assert "Superintendent registrar 1" in page and "08:30–18:30" in page
    newcomer = StaffFactory(roles=[roles.REGISTRAR], full_name="Nia Newcomer")
    newcomer.offices.add(office)
    response = client.post(
        reverse("booking-staff:add-shift", args=[office.code]),
        {"shift-officer": newcomer.pk, "shift-weekday": "2", "shift-starts": "09:00", "shift-ends": "13:00"},
    )
    assert response.status_code == 302
    shift = RotaShift.objects.get(officer=newcomer)
    assert (shift.office, shift.weekday, shift.starts, shift.ends) == (office, 2, time(9), time(13))
    assert AuditEntry.objects.filter(action="booking.shift_added", subject=newcomer).exists()
    assert "Nia Newcomer" in client.get(reverse("booking-staff:rota", args=[office.code])).content.decode()
    assert client.post(reverse("booking-staff:delete-shift", args=[office.code, shift.pk])).status_code == 302
    assert not RotaShift.objects.filter(pk=shift.pk).exists()
    assert AuditEntry.objects.filter(action="booking.shift_removed", subject=newcomer).exists()


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [("13:00", "09:00", "The end time must be after the start time"), ("9am", "13:00", "as a time, like 09:30")],
)
def test_bad_shift_times_are_form_errors(client, registrar, office, starts, ends, message):
    response = client.post(
        reverse("booking-staff:add-shift", args=[office.code]),
        {"shift-officer": registrar.pk, "shift-weekday": "2", "shift-starts": starts, "shift-ends": ends},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not RotaShift.objects.filter(officer=registrar).exists()


def test_a_duplicate_shift_is_a_form_error(client, registrar, office):
    officer = RotaShift.objects.filter(office=office).first().officer
    response = client.post(
        reverse("booking-staff:add-shift", args=[office.code]),
        {"shift-officer": officer.pk, "shift-weekday": "0", "shift-starts": "08:30", "shift-ends": "12:00"},
    )
    assert response.status_code == 400 and "already has a shift starting then" in response.content.decode()


def test_an_absence_ending_before_it_starts_is_a_form_error(client, registrar, office):
    officer = RotaShift.objects.filter(office=office).first().officer
    response = client.post(
        reverse("booking-staff:add-absence", args=[office.code]),
        {
            "absence-officer": officer.pk,
            "absence-kind": "leave",
            "absence-starts_on_0": "10",
            "absence-starts_on_1": "6",
            "absence-starts_on_2": "2030",
            "absence-ends_on_0": "9",
            "absence-ends_on_1": "6",
            "absence-ends_on_2": "2030",
        },
    )
    assert response.status_code == 400
    assert "The last day must be the same as or after the first day" in response.content.decode()
