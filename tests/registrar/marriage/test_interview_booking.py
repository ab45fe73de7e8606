"""The person books their interview once their notice is sent: in person at any register office
(their own district or another), held, checked and booked like other appointments; the notice
then names the interview, how it is held and the district it is given in."""

from __future__ import annotations

import datetime
from datetime import time

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors as booking_selectors
from booking.demo import ensure_patterns
from booking.models import Booking, Room
from identity.models import IdentityCase
from registrar.models import Notice
from tests.factories.booking import diary_staff, make_bookable_office
from tests.factories.identity import RegisterOfficeFactory, UserFactory
from tests.factories.marriage import make_proposal

pytestmark = pytest.mark.django_db


def _slot(office, kind="notice"):
    first = timezone.localdate() + datetime.timedelta(days=3)
    while first.weekday() > 4:
        first += datetime.timedelta(days=1)
    return booking_selectors.find_slots(
        booking_selectors.SlotSearch(
            kind=kind,
            date_from=first,
            date_to=first + datetime.timedelta(days=7),
            office_ids=frozenset([office.pk]),
        )
    )[0]


@pytest.fixture
def sent():
    proposal = make_proposal(notices="sent")
    return proposal.notices.get(position=1)


def _hold(client, notice, slot, way="in-person"):
    return client.post(
        reverse("marriage:interview-hold", args=[notice.reference, way]),
        {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()},
    )


def test_the_person_chooses_in_person_or_video_then_searches(client, sent):
    client.force_login(sent.person)
    response = client.get(reverse("marriage:interview-book", args=[sent.reference]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "How would you like your interview?" in page
    assert reverse("marriage:interview-search", args=[sent.reference, "video"]) in page
    response = client.get(reverse("marriage:interview-search", args=[sent.reference, "in-person"]))
    assert response.status_code == 200
    assert "Book the interview for your notice" in response.content.decode()
    assert client.get(reverse("marriage:interview-search", args=[sent.reference, "by-pigeon"])).status_code == 404


def test_a_video_interview_takes_an_officer_and_no_room(client, sent):
    office = sent.proposal.district
    notice_room = Room.objects.get(venue__office=office, venue__kind="register_office", name="Notice room")
    ensure_patterns(
        notice_room, kind="notice_video", days=range(0, 5), opens=time(9), closes=time(17), duration=30, gap=15
    )
    client.force_login(sent.person)
    assert client.get(reverse("marriage:interview-search", args=[sent.reference, "video"])).status_code == 200
    slot = _slot(office, kind="notice_video")
    response = _hold(client, sent, slot, way="video")
    booking = Booking.objects.get(person=sent.person, kind="notice_video", status="held")
    assert response["Location"] == reverse("marriage:interview-check", args=[sent.reference, booking.reference])
    assert "By video call" in client.get(response["Location"]).content.decode()
    client.post(response["Location"])
    booking.refresh_from_db()
    sent.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.video_join_url
    assert not booking.occupancies.filter(room__isnull=False).exists()
    assert booking.occupancies.filter(officer__isnull=False).count() == 1
    assert (sent.interview, sent.interview_mode, sent.office) == (booking, Notice.InterviewMode.VIDEO, office)


def test_holding_checking_and_booking_at_another_district(client, sent):
    other, _venue, _room, _notice_room = make_bookable_office(
        RegisterOfficeFactory(code="E-OTHER", postcode="M1 1AD", latitude="53.4794", longitude="-2.2453")
    )
    client.force_login(sent.person)
    response = _hold(client, sent, _slot(other))
    assert response.status_code == 302
    booking = Booking.objects.get(person=sent.person, kind="notice", status="held")
    assert response["Location"] == reverse("marriage:interview-check", args=[sent.reference, booking.reference])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Check your interview before booking" in page.content.decode()

    response = client.post(response["Location"])
    assert response.status_code == 302
    sent.refresh_from_db()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert sent.interview == booking
    assert sent.interview_mode == Notice.InterviewMode.IN_PERSON
    assert sent.office == other
    booked = client.get(reverse("marriage:interview-book", args=[sent.reference])).content.decode()
    assert "Your interview is booked" in booked
    assert reverse("booking:manage", args=[booking.reference]) in booked


def test_a_second_interview_is_refused_while_one_is_booked(client, sent):
    client.force_login(sent.person)
    office = sent.proposal.district
    _hold(client, sent, _slot(office))
    booking = Booking.objects.get(person=sent.person, kind="notice", status="held")
    client.post(reverse("marriage:interview-check", args=[sent.reference, booking.reference]))
    response = _hold(client, sent, _slot(office))
    assert response.status_code == 409
    assert Booking.objects.filter(person=sent.person, kind="notice", status="held").count() == 0


def test_a_draft_notice_books_no_interview(client):
    notice = make_proposal(notices="draft").notices.get(position=1)
    client.force_login(notice.person)
    response = client.get(reverse("marriage:interview-book", args=[notice.reference]))
    assert response.status_code == 409
    assert "Send your notice before you book your interview." in response.content.decode()


def test_without_a_confirmed_identity_no_interview(client, sent):
    IdentityCase.objects.filter(person=sent.person).delete()
    client.force_login(sent.person)
    response = client.get(reverse("marriage:interview-book", args=[sent.reference]))
    assert response.status_code == 403


def test_someone_elses_notice_is_404(client, sent):
    client.force_login(UserFactory())
    assert client.get(reverse("marriage:interview-book", args=[sent.reference])).status_code == 404
    assert _hold(client, sent, _slot(sent.proposal.district)).status_code == 404


@pytest.mark.parametrize(
    "data", [{}, {"room": "x", "starts_at": "y"}, {"room": "999999", "starts_at": "2030-01-01T10:00:00+00:00"}]
)
def test_a_bad_choice_is_a_clear_4xx(client, sent, data):
    client.force_login(sent.person)
    response = client.post(reverse("marriage:interview-hold", args=[sent.reference, "in-person"]), data)
    assert 400 <= response.status_code < 500
    assert not Booking.objects.filter(person=sent.person, kind="notice").exists()


def test_a_hold_that_ran_out_is_refused_and_nothing_changes(client, sent, settings):
    client.force_login(sent.person)
    _hold(client, sent, _slot(sent.proposal.district))
    booking = Booking.objects.get(person=sent.person, kind="notice", status="held")
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = client.post(reverse("marriage:interview-check", args=[sent.reference, booking.reference]))
    assert response.status_code == 409
    sent.refresh_from_db()
    assert sent.interview is None


def test_staff_cannot_use_the_citizen_pages(client, sent):
    client.force_login(diary_staff(sent.proposal.district))
    assert client.get(reverse("marriage:interview-book", args=[sent.reference])).status_code == 403


def test_the_interview_is_moved_or_cancelled_on_bookings_own_pages(client, sent):
    client.force_login(sent.person)
    _hold(client, sent, _slot(sent.proposal.district))
    booking = Booking.objects.get(person=sent.person, kind="notice", status="held")
    # While held, booking's page shows it and sends nobody to a check page of its own.
    assert client.get(reverse("booking:manage", args=[booking.reference])).status_code == 200
    client.post(reverse("marriage:interview-check", args=[sent.reference, booking.reference]))
    page = client.get(reverse("booking:manage", args=[booking.reference]))
    assert page.status_code == 200
    assert "Cancel booking" in page.content.decode()
    assert client.get(reverse("booking:move", args=[booking.reference])).status_code == 200
    client.post(reverse("booking:cancel", args=[booking.reference]), {"confirm": "yes"})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    # Cancelled: a new interview can be booked.
    page = client.get(reverse("marriage:interview-book", args=[sent.reference])).content.decode()
    assert "How would you like your interview?" in page
