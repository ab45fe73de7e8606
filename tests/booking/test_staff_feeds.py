"""Secret calendar feeds of an office's or an officer's diary: created and revoked by staff
(audited), the URL shown once and only its hash stored, served without signing in as a
valid iCalendar file, and gone once revoked."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse
from icalendar import Calendar

from booking import services
from booking.models import CalendarFeed, OfficerAbsence
from booking.selectors import UK
from identity import roles
from identity.models import AuditEntry
from tests.factories import StaffFactory, book_ceremony, ceremony_slots, diary_staff, make_bookable_office

pytestmark = pytest.mark.django_db


def create_feed(client, office, owner="office") -> str:
    response = client.post(reverse("booking-staff:feeds", args=[office.code]), {"owner": owner})
    assert response.status_code == 201
    match = re.search(r'id="new-feed-url" type="text" value="([^"]+)"', response.content.decode())
    assert match
    return match.group(1)


def events(response) -> dict[str, object]:
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def test_an_office_feed_lists_the_offices_bookings_without_signing_in(client, registrar, office, ceremony):
    url = create_feed(client, office)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get()
    assert feed.office == office and feed.created_by == registrar
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in feed.token_hash
    assert AuditEntry.objects.filter(action="booking.calendar_feed_created", actor=registrar).exists()
    client.logout()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    event = found[f"Ceremony {ceremony.reference}"]
    assert event.decoded("dtstart") == ceremony.starts_at
    assert event.decoded("dtend") == ceremony.ends_at
    assert "Ceremony room" in str(event["location"])
    assert ceremony.superintendent.full_name in str(event["description"])


def test_the_url_is_shown_once(client, registrar, office):
    url = create_feed(client, office)
    page = client.get(reverse("booking-staff:feeds", args=[office.code])).content.decode()
    assert url not in page and url.rsplit("/", 1)[1] not in page
    assert office.name in page


def test_an_officer_feed_lists_only_that_officers_bookings(client, registrar, office, ceremony):
    # On a day the ceremony's superintendent registrar is on leave, the other one officiates.
    later = next(s for s in ceremony_slots(office) if s.local_start.date() != ceremony.starts_at.astimezone(UK).date())
    day = later.local_start.date()
    OfficerAbsence.objects.create(officer=ceremony.superintendent, kind="leave", starts_on=day, ends_on=day)
    other = book_ceremony(later)
    assert other.superintendent_id != ceremony.superintendent_id
    url = create_feed(client, office, owner=str(ceremony.superintendent_id))
    found = events(client.get(url))
    assert f"Ceremony {ceremony.reference}" in found
    assert f"Ceremony {other.reference}" not in found


def test_cancelled_bookings_and_other_offices_are_left_out(client, registrar, office, ceremony):
    other_office, *_rest = make_bookable_office(code="E-FEEDSOTHER")
    elsewhere = book_ceremony(ceremony_slots(other_office)[0])
    cancelled = book_ceremony(next(s for s in ceremony_slots(office) if s.starts_at != ceremony.starts_at))
    services.cancel_booking(booking=cancelled, actor=cancelled.person)
    found = events(client.get(create_feed(client, office)))
    assert list(found) == [f"Ceremony {ceremony.reference}"]
    assert elsewhere.reference not in str(found)


def test_a_revoked_feed_is_gone_and_the_revocation_audited(client, registrar, office, ceremony):
    url = create_feed(client, office)
    feed = CalendarFeed.objects.get()
    response = client.post(reverse("booking-staff:revoke-feed", args=[office.code, feed.pk]))
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()
    assert AuditEntry.objects.filter(action="booking.calendar_feed_revoked", actor=registrar).exists()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("token", ["not-a-real-token", "x" * 200])
def test_an_unknown_token_is_a_404(client, token):
    assert client.get(reverse("booking-staff:feed", args=[token])).status_code == 404


def test_an_officer_from_another_office_cannot_be_chosen(client, registrar, office):
    outsider = StaffFactory(roles=[roles.REGISTRAR])
    response = client.post(reverse("booking-staff:feeds", args=[office.code]), {"owner": str(outsider.pk)})
    assert response.status_code == 400 and "Select the office or an officer" in response.content.decode()
    assert not CalendarFeed.objects.exists()


def test_another_offices_feed_cannot_be_revoked(client, registrar, office):
    other_office, *_rest = make_bookable_office(code="E-FEEDSTHEIRS")
    feed, _token = services.create_calendar_feed(actor=diary_staff(other_office), office=other_office)
    assert client.post(reverse("booking-staff:revoke-feed", args=[office.code, feed.pk])).status_code == 404
    assert client.post(reverse("booking-staff:revoke-feed", args=[other_office.code, feed.pk])).status_code == 403
    assert CalendarFeed.objects.filter(pk=feed.pk).exists()


def test_revoking_needs_a_post(client, registrar, office):
    feed, _token = services.create_calendar_feed(actor=registrar, office=office)
    assert client.get(reverse("booking-staff:revoke-feed", args=[office.code, feed.pk])).status_code == 405
