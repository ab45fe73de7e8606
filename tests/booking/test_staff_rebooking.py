"""Closures and absences lead to the re-booking page: the bookings they affect, alternatives
in order (same time with other officers, same venue within 14 days, nearby venues the same
day), and moving them, one by one or all at once, with the couple told each time."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors, services
from booking.models import Booking, Closure, OfficerAbsence
from booking.selectors import UK
from identity.models import AuditEntry, OutboundMessage
from tests.factories import RoomFactory, VenueFactory, book_ceremony, ceremony_slots, diary_staff, make_bookable_office

pytestmark = pytest.mark.django_db


def date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def choices(page: str, reference: str) -> list[str]:
    values = re.findall(rf'name="choice-{reference}" type="radio" value="([^"]+)"', page)
    return [html.unescape(value) for value in values if value != "keep"]


def close_venue_on(client, office, venue, day, **extra):
    return client.post(
        reverse("booking-staff:closures", args=[office.code]),
        {
            "venue": venue.pk,
            "room": extra.get("room", ""),
            **date_fields("starts_on", day),
            **date_fields("ends_on", extra.get("last", day)),
            "reason": "Flooded basement",
        },
    )


def test_a_closure_is_audited_and_leads_to_the_affected_bookings(client, registrar, office, calendar, ceremony):
    venue = calendar[1]
    day = ceremony.starts_at.astimezone(UK).date()
    response = close_venue_on(client, office, venue, day)
    closure = Closure.objects.get(venue=venue)
    assert response.status_code == 302
    assert response["Location"] == reverse("booking-staff:rebook", args=[office.code]) + f"?closure={closure.pk}"
    assert AuditEntry.objects.filter(action="booking.closure_added", actor=registrar, object_id=venue.code).exists()
    page = client.get(response["Location"]).content.decode()
    assert ceremony.reference in page and "Flooded basement" in page
    assert "Same venue, another time" in page
    assert "Same time and place, other officers" not in page
    # The closed day itself is never offered.
    for value in choices(page, ceremony.reference):
        assert not value.split("|")[1].startswith(day.isoformat())


def test_moving_all_bookings_moves_them_and_tells_the_couples(client, registrar, office, calendar, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    second = book_ceremony(
        next(
            slot
            for slot in ceremony_slots(office)
            if slot.starts_at.astimezone(UK).date() == day and slot.starts_at != ceremony.starts_at
        )
    )
    close_venue_on(client, office, calendar[1], day)
    closure = Closure.objects.get()
    url = reverse("booking-staff:rebook", args=[office.code]) + f"?closure={closure.pk}"
    response = client.post(url, {"move_all": "1"})
    page = response.content.decode()
    assert response.status_code == 200, page
    for booking in (ceremony, second):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.PROVISIONAL
        assert booking.starts_at.astimezone(UK).date() != day
        assert OutboundMessage.objects.filter(to=booking.person.email, subject="Your booking has moved").exists()
        assert AuditEntry.objects.filter(action="booking.moved", object_id=booking.reference, actor=registrar).exists()
        assert f"{booking.reference} is now on" in page
    assert ceremony.starts_at != second.starts_at
    assert "No provisional or confirmed bookings are affected." in page


def test_choosing_one_alternative_moves_that_booking_there(client, registrar, office, calendar, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    close_venue_on(client, office, calendar[1], day)
    url = reverse("booking-staff:rebook", args=[office.code]) + f"?closure={Closure.objects.get().pk}"
    options = choices(client.get(url).content.decode(), ceremony.reference)
    chosen = options[1]
    response = client.post(url, {"apply": "1", f"choice-{ceremony.reference}": chosen})
    assert response.status_code == 200
    ceremony.refresh_from_db()
    room_id, starts_at, *_officers = chosen.split("|")
    assert ceremony.room_id == int(room_id) and ceremony.starts_at == datetime.fromisoformat(starts_at)


def test_nearby_venues_are_offered_on_the_same_day(client, registrar, office, calendar, ceremony):
    near_office, near_venue, *_rooms = make_bookable_office(code="E-NEXTDOOR")
    day = ceremony.starts_at.astimezone(UK).date()
    close_venue_on(client, office, calendar[1], day)
    page = client.get(
        reverse("booking-staff:rebook", args=[office.code]) + f"?closure={Closure.objects.get().pk}"
    ).content.decode()
    assert "Nearby venue, same day" in page and near_venue.name in page
    nearby = [value for value in choices(page, ceremony.reference) if int(value.split("|")[0]) != ceremony.room_id]
    assert any(value.split("|")[1].startswith(day.isoformat()) for value in nearby)


def test_a_far_venue_is_not_offered(office, calendar, ceremony):
    make_bookable_office(code="E-FARAWAY", latitude="51.5072", longitude="-0.1276")  # London, from Leeds
    proposal = selectors.rebooking_proposals(bookings=[ceremony])[0]
    assert all(slot.room.venue.office_id == office.pk for slot in proposal.alternatives)


def test_an_absence_offers_the_same_time_with_other_officers_first(client, registrar, office, ceremony):
    absent = ceremony.superintendent
    day = ceremony.starts_at.astimezone(UK).date()
    response = client.post(
        reverse("booking-staff:add-absence", args=[office.code]),
        {
            "absence-officer": absent.pk,
            "absence-kind": "sickness",
            **date_fields("absence-starts_on", day),
            **date_fields("absence-ends_on", day),
            "absence-note": "Flu",
        },
    )
    absence = OfficerAbsence.objects.get(officer=absent)
    assert response.status_code == 302 and response["Location"].endswith(f"?absence={absence.pk}")
    assert AuditEntry.objects.filter(action="booking.absence_recorded", subject=absent, actor=registrar).exists()
    page = client.get(response["Location"]).content.decode()
    assert ceremony.reference in page and "Same time and place, other officers" in page
    first = choices(page, ceremony.reference)[0]
    room_id, _starts, superintendent_id, registrar_id = first.split("|")
    assert int(room_id) == ceremony.room_id and int(superintendent_id) != absent.pk
    # The officer who is not away stays.
    assert int(registrar_id) == ceremony.registrar_id
    client.post(response["Location"], {"apply": "1", f"choice-{ceremony.reference}": first})
    ceremony.refresh_from_db()
    assert ceremony.superintendent_id == int(superintendent_id)
    assert ceremony.starts_at.astimezone(UK).date() == day
    assert OutboundMessage.objects.filter(to=ceremony.person.email, subject="A change to your booking").exists()


def test_an_absence_does_not_list_other_officers_bookings(office, ceremony):
    other = book_ceremony(next(s for s in ceremony_slots(office) if s.starts_at > ceremony.ends_at + timedelta(days=2)))
    absence = OfficerAbsence.objects.create(
        officer=ceremony.superintendent,
        kind="leave",
        starts_on=ceremony.starts_at.astimezone(UK).date(),
        ends_on=ceremony.starts_at.astimezone(UK).date(),
    )
    assert list(selectors.bookings_affected_by_absence(absence)) == [ceremony]
    assert other not in selectors.bookings_affected_by_absence(absence)


def test_a_closed_room_affects_only_that_rooms_bookings(office, calendar, ceremony):
    _office, venue, ceremony_room, notice_room = calendar
    day = ceremony.starts_at.astimezone(UK).date()
    closure = Closure.objects.create(venue=venue, room=notice_room, starts_on=day, ends_on=day, reason="Painting")
    assert list(selectors.bookings_affected_by_closure(closure)) == []
    closure.room = ceremony_room
    closure.save()
    assert list(selectors.bookings_affected_by_closure(closure)) == [ceremony]


def test_a_stale_choice_is_a_409_and_leaves_the_booking(client, registrar, office, calendar, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    close_venue_on(client, office, calendar[1], day)
    url = reverse("booking-staff:rebook", args=[office.code]) + f"?closure={Closure.objects.get().pk}"
    before = ceremony.starts_at
    response = client.post(url, {"apply": "1", f"choice-{ceremony.reference}": "1|2000-01-01T10:00:00+00:00||"})
    assert response.status_code == 409 and "no longer free" in response.content.decode()
    ceremony.refresh_from_db()
    assert ceremony.starts_at == before


def test_applying_nothing_is_a_400(client, registrar, office, calendar, ceremony):
    close_venue_on(client, office, calendar[1], ceremony.starts_at.astimezone(UK).date())
    url = reverse("booking-staff:rebook", args=[office.code]) + f"?closure={Closure.objects.get().pk}"
    response = client.post(url, {"apply": "1", f"choice-{ceremony.reference}": "keep"})
    assert response.status_code == 400 and "Choose a new time for at least one booking" in response.content.decode()


def test_a_closure_ending_before_it_starts_is_a_form_error(client, registrar, office, calendar, ceremony):
    day = ceremony.starts_at.astimezone(UK).date()
    response = close_venue_on(client, office, calendar[1], day, last=day - timedelta(days=1))
    assert response.status_code == 400
    assert "The last day must be the same as or after the first day" in response.content.decode()
    assert not Closure.objects.exists()


def test_a_room_of_another_venue_is_a_form_error(client, registrar, office, calendar, ceremony):
    other_room = RoomFactory(venue=VenueFactory(office=office))
    day = ceremony.starts_at.astimezone(UK).date()
    response = close_venue_on(client, office, calendar[1], day, room=other_room.pk)
    assert response.status_code == 400 and "That room is not at this venue" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("?closure=1&absence=1", 400, "Choose one closure or one absence"),
        ("?closure=abc", 400, "not valid"),
        ("?closure=999999", 404, "Page not found"),
        ("?absence=999999", 404, "Page not found"),
    ],
)
def test_bad_rebooking_addresses_are_4xx_with_a_message(client, registrar, office, query, status, message):
    response = client.get(reverse("booking-staff:rebook", args=[office.code]) + query)
    assert response.status_code == status and message in response.content.decode()


def test_another_offices_closure_is_not_found(client, registrar, office):
    other, other_venue, *_rooms = make_bookable_office(code="E-NOTMINE")
    closure = Closure.objects.create(
        venue=other_venue, starts_on=timezone.localdate(), ends_on=timezone.localdate(), reason="x"
    )
    response = client.get(reverse("booking-staff:rebook", args=[office.code]) + f"?closure={closure.pk}")
    assert response.status_code == 404
    assert client.get(reverse("booking-staff:rebook", args=[other.code]) + f"?closure={closure.pk}").status_code == 403


# --- The re-booking service decides each outcome ----------------------------------------------------


def _closure_on_the_day_of(booking, office) -> selectors.RebookingSubject:
    day = booking.starts_at.astimezone(UK).date()
    closure = Closure.objects.create(venue=booking.room.venue, starts_on=day, ends_on=day, reason="Flood")
    return selectors.rebooking_subject(office=office, closure=str(closure.pk), absence=None)


def test_bulk_rebooking_outcomes_come_from_the_service(office, ceremony):
    registrar = diary_staff(office)
    subject = _closure_on_the_day_of(ceremony, office)
    assert list(subject.affected) == [ceremony]
    [outcome] = services.rebook_affected(office=office, subject=subject, actor=registrar, move_all=True)
    assert outcome.moved and outcome.refusal is None and outcome.message == ""
    ceremony.refresh_from_db()
    assert outcome.booking == ceremony and ceremony.starts_at.astimezone(UK).date() != subject.cause.starts_on
    assert AuditEntry.objects.filter(action="booking.moved", object_id=ceremony.reference, actor=registrar).exists()


def test_a_choice_that_is_no_longer_offered_is_an_outcome_not_a_move(office, ceremony):
    registrar = diary_staff(office)
    subject = _closure_on_the_day_of(ceremony, office)
    before = ceremony.starts_at
    [outcome] = services.rebook_affected(
        office=office, subject=subject, actor=registrar, choices={ceremony.reference: "1|2000-01-01T10:00:00+00:00||"}
    )
    assert not outcome.moved and outcome.refusal.code == "choice_no_longer_free" and outcome.refusal.status == 409
    assert outcome.message == "That time is no longer free. Choose another"
    ceremony.refresh_from_db()
    assert ceremony.starts_at == before


def test_rebooking_nothing_is_refused_and_keeping_a_booking_moves_nothing(office, ceremony):
    registrar = diary_staff(office)
    subject = _closure_on_the_day_of(ceremony, office)
    with pytest.raises(services.BookingRefused) as refused:
        services.rebook_affected(
            office=office, subject=subject, actor=registrar, choices={ceremony.reference: services.KEEP}
        )
    assert refused.value.code == "nothing_chosen" and refused.value.status == 400


def test_staff_of_another_office_cannot_rebook_its_bookings(office, ceremony):
    outsider = diary_staff(make_bookable_office(code="E-OUTSIDE")[0])
    subject = _closure_on_the_day_of(ceremony, office)
    with pytest.raises(services.BookingRefused) as refused:
        services.rebook_affected(office=office, subject=subject, actor=outsider, move_all=True)
    assert refused.value.code == "other_office" and refused.value.status == 403
