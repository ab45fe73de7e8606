"""The office diary for staff: who may see it, the day and week views in UK time, previous and
next links, bad dates, and a bounded number of queries however busy the day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors, services
from booking.selectors import UK, SlotSearch, find_slots
from identity import roles
from identity.models import AuditEntry
from tests.factories import (
    StaffFactory,
    UserFactory,
    book_ceremony,
    ceremony_slots,
    make_bookable_office,
    staff_session,
)

pytestmark = pytest.mark.django_db


def diary_url(office, **query) -> str:
    url = reverse("booking-staff:diary", args=[office.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_offices_page_lists_only_the_staff_members_offices(client, registrar, office):
    other, *_rest = make_bookable_office(code="E-OTHER")
    page = client.get(reverse("booking-staff:offices")).content.decode()
    assert office.name in page and reverse("booking-staff:diary", args=[office.code]) in page
    assert other.name not in page


def test_the_day_view_shows_a_booking_in_uk_time_with_officers_parties_and_status(client, registrar, office, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    response = client.get(diary_url(office, date=day.isoformat()))
    page = response.content.decode()
    assert response.status_code == 200
    assert ceremony.reference in page
    assert ceremony.starts_at.astimezone(UK).strftime("%H:%M") in page
    assert "Provisionally booked" in page and "Ceremony room" in page
    assert ceremony.superintendent.full_name in page and ceremony.registrar.full_name in page
    for party in ceremony.parties.all():
        assert party.full_name in page
    assert f"date={(day - timedelta(days=1)).isoformat()}" in page
    assert f"date={(day + timedelta(days=1)).isoformat()}" in page
    assert AuditEntry.objects.filter(action="booking.diary_viewed", actor=registrar, object_id=office.code).exists()


@pytest.mark.parametrize("month", [1, 7])
def test_the_diary_shows_uk_wall_clock_times_in_winter_and_summer(client, registrar, office, month):
    """In British Summer Time a 10:00 ceremony is 09:00 UTC; the diary says 10:00."""
    today = timezone.localdate()
    first = date(today.year, month, 10)
    while first < today + timedelta(days=35):
        first = date(first.year + 1, month, 10)
    slots = find_slots(
        SlotSearch(
            kind="ceremony", date_from=first, date_to=first + timedelta(days=7), office_ids=frozenset([office.pk])
        )
    )
    booking = book_ceremony(slots[0])
    local = booking.starts_at.astimezone(UK)
    assert local.hour == 10
    page = client.get(diary_url(office, date=local.date().isoformat())).content.decode()
    assert "10:00–10:45" in page


def test_the_week_view_covers_monday_to_sunday(client, registrar, office, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    monday = day - timedelta(days=day.weekday())
    page = client.get(diary_url(office, date=(monday + timedelta(days=3)).isoformat(), view="week")).content.decode()
    assert ceremony.reference in page
    assert f"{monday:%-d} {monday:%B}" in page
    assert f"date={(monday + timedelta(days=3) - timedelta(days=7)).isoformat()}" in page
    assert "Next week" in page


def test_a_day_without_bookings_says_so(client, registrar, office, ceremony):
    day = ceremony.starts_at.astimezone(UK).date() + timedelta(days=1)
    page = client.get(diary_url(office, date=day.isoformat())).content.decode()
    assert "No bookings." in page and ceremony.reference not in page


@pytest.mark.parametrize("bad", ["2027-13-01", "tomorrow", "1066-10-14", "2027-02-30"])
def test_a_bad_date_is_a_400_with_a_clear_message(client, registrar, office, bad):
    response = client.get(diary_url(office, date=bad))
    assert response.status_code == 400
    assert "The diary has no such day" in response.content.decode()


def test_an_unknown_view_is_a_400(client, registrar, office):
    response = client.get(diary_url(office, view="month"))
    assert response.status_code == 400 and "Choose a day view or a week view" in response.content.decode()


def test_an_unknown_office_is_a_404(client, registrar):
    response = client.get(reverse("booking-staff:diary", args=["E-NOWHERE"]))
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_citizen_is_sent_to_the_staff_sign_in(client, office):
    client.force_login(UserFactory())
    response = client.get(diary_url(office))
    assert response.status_code == 302 and reverse("identity:staff-sign-in") in response["Location"]


def test_staff_without_the_diary_role_are_refused(client, office):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    staff.offices.add(office)
    staff_session(client, staff)
    assert client.get(diary_url(office)).status_code == 403
    assert client.get(reverse("booking-staff:offices")).status_code == 403


def test_staff_of_another_office_are_refused(client, office, ceremony):
    other, *_rest = make_bookable_office(code="E-ELSEWHERE")
    staff = StaffFactory(roles=[roles.SUPERINTENDENT_REGISTRAR])
    staff.offices.add(other)
    staff_session(client, staff)
    day = ceremony.starts_at.astimezone(UK).date().isoformat()
    response = client.get(diary_url(office, date=day))
    assert response.status_code == 403 and ceremony.reference not in response.content.decode()
    assert client.get(reverse("booking-staff:booking", args=[office.code, ceremony.reference])).status_code == 403
    assert client.get(reverse("booking-staff:closures", args=[office.code])).status_code == 403


def test_staff_signed_in_without_the_second_factor_are_sent_to_sign_in(client, office):
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    client.force_login(staff)
    response = client.get(diary_url(office))
    assert response.status_code == 302 and reverse("identity:staff-sign-in") in response["Location"]


def test_a_busy_week_takes_a_fixed_number_of_queries(client, registrar, office, django_assert_max_num_queries):
    slots = ceremony_slots(office, span=6)
    day = slots[0].starts_at.astimezone(UK).date()
    week = [slot for slot in slots if slot.starts_at.astimezone(UK).date() - day < timedelta(days=7)]
    bookings = [book_ceremony(slot) for slot in week[:8]]
    assert len(bookings) == 8
    with django_assert_max_num_queries(16):
        response = client.get(diary_url(office, date=day.isoformat(), view="week"))
    page = response.content.decode()
    assert all(booking.reference in page for booking in bookings)


def test_office_diary_selector_leaves_out_cancelled_bookings(office, ceremony):
    services.cancel_booking(booking=ceremony, actor=ceremony.person)
    day = ceremony.starts_at.astimezone(UK).date()
    assert list(selectors.office_diary(office_id=office.pk, first=day, last=day)) == []
