"""Booking an identity appointment on the pages and through the API: from the identity check page
when the check is with a registrar, by video or in person, the same rules and messages on both;
nobody verified is offered one; bad input is a clear 4xx; phone support books one for the person
inside an assisted session, with their consent, and nothing without it."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from booking import selectors
from booking.models import Booking
from identity import assisted, roles
from identity.models import AuditEntry, IdentityCase
from tests.factories import (
    StaffFactory,
    UserFactory,
    api_client,
    book_identity_appointment,
    identity_slots,
    make_identity_office,
    submit_passport_check,
    verify_identity,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    return make_identity_office()


@pytest.fixture
def waiting(client):
    """A person whose check is with a registrar, signed in on `client`."""
    person = UserFactory(full_name="Sarah Morgan")
    submit_passport_check(person=person)
    client.force_login(person)
    return person


def _dates(first, last) -> dict:
    return {
        "date_from_0": first.day,
        "date_from_1": first.month,
        "date_from_2": first.year,
        "date_to_0": last.day,
        "date_to_1": last.month,
        "date_to_2": last.year,
    }


def _next_fortnight() -> dict:
    first, _last = selectors.bookable_dates("identity_video")
    return _dates(first, first + timedelta(days=14))


def test_the_identity_check_page_offers_an_appointment_once_with_a_registrar(client, calendar, waiting):
    page = client.get(reverse("identity:check")).content.decode()
    assert "Book an identity appointment" in page and reverse("booking:identity-start") in page


def test_a_verified_person_is_not_offered_an_appointment(client, calendar):
    person = UserFactory()
    verify_identity(person)
    client.force_login(person)
    assert "Book an identity appointment</a>" not in client.get(reverse("identity:check")).content.decode()
    start = client.get(reverse("booking:identity-start"))
    page = start.content.decode()
    assert start.status_code == 200 and "already confirmed" in page and 'name="kind"' not in page
    refused = client.post(reverse("booking:identity-start"), {"kind": "identity_video"})
    assert refused.status_code == 409 and "already confirmed" in refused.content.decode()
    assert client.get(reverse("booking:identity-search", args=["video"])).status_code == 409
    slot = identity_slots("identity_video")[0]
    held = client.post(
        reverse("booking:identity-hold", args=["video"]),
        {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()},
    )
    assert held.status_code == 409 and not Booking.objects.filter(person=person).exists()


def test_the_whole_video_appointment_journey(client, calendar, waiting):
    start = client.get(reverse("booking:identity-start"))
    assert start.status_code == 200 and "By video call" in start.content.decode()
    chosen = client.post(reverse("booking:identity-start"), {"kind": "identity_video"})
    assert chosen.status_code == 302 and chosen.url == reverse("booking:identity-search", args=["video"])
    results = client.post(chosen.url, _next_fortnight(), follow=True)
    page = results.content.decode()
    assert results.status_code == 200 and "Video call with a registrar" in page
    assert "Number of guests" not in page and 'name="place"' not in page
    slot = results.context["slots"][0]
    held = client.post(
        reverse("booking:identity-hold", args=["video"]),
        {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()},
    )
    booking = Booking.objects.get(person=waiting)
    assert held.url == reverse("booking:appointment-check", args=[booking.reference])
    check = client.get(held.url).content.decode()
    assert "Identity video appointment" in check and "We are holding this time for you" in check
    confirmed = client.post(reverse("booking:confirm", args=[booking.reference]))
    assert confirmed.url == reverse("booking:confirmation", args=[booking.reference])
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    done = client.get(confirmed.url).content.decode()
    assert "Identity appointment booked" in done and booking.video_join_url in done
    # The start page now shows the appointment instead of offering another.
    again = client.get(reverse("booking:identity-start")).content.decode()
    assert "You already have an identity appointment" in again and 'name="kind"' not in again
    assert client.get(reverse("booking:identity-search", args=["video"])).status_code == 302


def test_an_appointment_in_person_is_searched_near_a_place(client, calendar, waiting):
    results = client.post(
        reverse("booking:identity-search", args=["in-person"]), {**_next_fortnight(), "place": "LS1 3AD"}, follow=True
    )
    page = results.content.decode()
    assert results.status_code == 200 and calendar[1].name in page and "km away" in page
    assert "Number of guests" not in page and "ceremony fee" not in page
    assert {slot.kind for slot in results.context["slots"]} == {"identity_in_person"}


def test_bad_input_on_the_pages_is_a_clear_4xx(client, calendar, waiting):
    missing = client.post(reverse("booking:identity-start"), {})
    assert missing.status_code == 400 and "Select how you would like to meet the registrar" in missing.content.decode()
    assert client.post(reverse("booking:identity-start"), {"kind": "ceremony"}).status_code == 400
    assert client.get(reverse("booking:identity-search", args=["by-pigeon"])).status_code == 404
    today = timezone.localdate()
    reversed_dates = client.post(
        reverse("booking:identity-search", args=["video"]),
        _dates(today + timedelta(days=10), today + timedelta(days=5)),
    )
    assert (
        reversed_dates.status_code == 400
        and "The last date must be the same as or after" in reversed_dates.content.decode()
    )
    hold = reverse("booking:identity-hold", args=["video"])
    assert client.post(hold, {"room": "nope", "starts_at": "soon"}).status_code == 400
    slot = identity_slots("identity_video")[0]
    never_offered = slot.starts_at + timedelta(minutes=7)
    made_up = client.post(hold, {"room": slot.room.pk, "starts_at": never_offered.isoformat()})
    assert made_up.status_code == 409 and not Booking.objects.exists()
    assert client.get(reverse("booking:identity-hold", args=["video"])).status_code == 405


def test_a_video_appointment_is_moved_and_cancelled_from_its_page(client, calendar, waiting):
    slots = identity_slots("identity_video")
    booking = book_identity_appointment(slots[0], person=waiting)
    manage = client.get(reverse("booking:manage", args=[booking.reference])).content.decode()
    assert booking.video_join_url in manage and "Move to another date or time" in manage
    move = client.post(reverse("booking:move", args=[booking.reference]), _next_fortnight(), follow=True)
    assert move.status_code == 200
    times = [slot.starts_at for slot in move.context["slots"]]
    assert len(times) == len(set(times))  # one result per time for a video call
    later = move.context["slots"][2]
    moved = client.post(
        reverse("booking:move-confirm", args=[booking.reference]),
        {"room": later.room.pk, "starts_at": later.starts_at.isoformat()},
    )
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == later.starts_at
    cancelled = client.post(reverse("booking:cancel", args=[booking.reference]), {"confirm": "yes"})
    assert cancelled.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "By video call" in client.get(reverse("booking:mine")).content.decode()


# --- The API -------------------------------------------------------------------------------------


def test_the_api_says_whether_an_appointment_is_offered(calendar):
    waiting = UserFactory()
    submit_passport_check(person=waiting)
    body = api_client(waiting).get("/api/v1/booking/identity-appointment").json()
    assert body["offered"] is True and body["reason"] is None and body["appointment"] is None
    assert body["kinds"] == ["identity_in_person", "identity_video"]
    verified = UserFactory()
    verify_identity(verified)
    body = api_client(verified).get("/api/v1/booking/identity-appointment").json()
    assert body["offered"] is False and body["reason"]["code"] == "identity_verified"
    assert "already confirmed" in body["reason"]["message"]
    assert api_client().get("/api/v1/booking/identity-appointment").status_code == 401


def test_the_api_holds_and_books_an_appointment_with_the_pages_rules(calendar):
    person = UserFactory()
    submit_passport_check(person=person)
    client = api_client(person)
    first, _last = selectors.bookable_dates("identity_video")
    found = client.get(
        "/api/v1/booking/availability",
        {"kind": "identity_video", "from": first.isoformat(), "to": (first + timedelta(days=10)).isoformat()},
    )
    assert found.status_code == 200 and found.json()
    slot = found.json()[0]
    held = client.post(
        "/api/v1/booking/identity-appointment",
        {"kind": "identity_video", "room_id": slot["room_id"], "starts_at": slot["starts_at"]},
        format="json",
    )
    assert held.status_code == 201, held.json()
    reference = held.json()["reference"]
    assert held.json()["kind"] == "identity_video" and held.json()["video_join_url"] is None  # not booked yet
    booked = client.post(f"/api/v1/booking/holds/{reference}/confirm", {}, format="json")
    assert booked.status_code == 200 and booked.json()["status"] == "confirmed"
    booking = Booking.objects.get(reference=reference)
    assert booked.json()["video_join_url"] == booking.video_join_url
    assert booked.json()["identity_case"] == IdentityCase.objects.get(person=person).reference
    other = found.json()[1]
    again = client.post(
        "/api/v1/booking/identity-appointment",
        {"kind": "identity_video", "room_id": other["room_id"], "starts_at": other["starts_at"]},
        format="json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "identity_appointment_booked"
    status = client.get("/api/v1/booking/identity-appointment").json()
    assert status["offered"] is False and status["appointment"]["reference"] == reference


def test_bad_input_to_the_api_is_a_clear_400(calendar):
    person = UserFactory()
    submit_passport_check(person=person)
    client = api_client(person)
    slot = identity_slots("identity_video")[0]
    url = "/api/v1/booking/identity-appointment"
    no_kind = client.post(url, {"room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat()}, format="json")
    assert no_kind.status_code == 400
    assert no_kind.json()["error"]["fields"]["kind"] == ["Select how you would like to meet the registrar"]
    wrong_kind = client.post(url, {"kind": "ceremony", "room_id": slot.room.pk, "starts_at": "x"}, format="json")
    assert wrong_kind.status_code == 400 and "kind" in wrong_kind.json()["error"]["fields"]
    bad_time = client.post(url, {"kind": "identity_video", "room_id": slot.room.pk, "starts_at": "soon"}, format="json")
    assert bad_time.status_code == 400 and "starts_at" in bad_time.json()["error"]["fields"]
    never = client.post(
        url,
        {
            "kind": "identity_video",
            "room_id": slot.room.pk,
            "starts_at": (slot.starts_at + timedelta(minutes=7)).isoformat(),
        },
        format="json",
    )
    assert never.status_code == 400 and "no slot starting at that time" in str(never.json())
    assert not Booking.objects.exists()


# --- Phone support -------------------------------------------------------------------------------


@pytest.fixture
def support(client, sign_in_staff):
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    sign_in_staff(client, staff)
    return staff


def _open_session(client, support, person):
    session = client.session
    session["support_found_people"] = {str(person.pk): int(time.time())}
    session.save()
    code = assisted.issue_consent_code(person=person)
    client.post(reverse("identity:support-consent", args=[person.pk]), {"code": code})
    return assisted.current_session(staff=support)


def test_phone_support_books_an_appointment_for_the_person_with_consent(client, calendar, support):
    person = UserFactory(full_name="Sarah Morgan")
    submit_passport_check(person=person)
    # Without a session, the person's pages are closed to phone support.
    assert client.get(reverse("booking:identity-start")).status_code == 403
    assert _open_session(client, support, person) is not None
    session_page = client.get(reverse("identity:support-session")).content.decode()
    assert reverse("booking:identity-start") in session_page
    start = client.get(reverse("booking:identity-start")).content.decode()
    assert "You are acting for Sarah Morgan" in start
    client.post(reverse("booking:identity-start"), {"kind": "identity_in_person"})
    slot = identity_slots("identity_in_person")[0]
    client.post(
        reverse("booking:identity-hold", args=["in-person"]),
        {"room": slot.room.pk, "starts_at": slot.starts_at.isoformat()},
    )
    booking = Booking.objects.get()
    client.post(reverse("booking:confirm", args=[booking.reference]))
    booking.refresh_from_db()
    assert booking.person == person and booking.status == "confirmed"
    actions = AuditEntry.objects.filter(action="assisted.action")
    assert actions.count() == 3
    assert all(entry.actor == support and entry.on_behalf_of == person for entry in actions)


def test_phone_support_books_through_the_api_only_in_a_session(calendar):
    person = UserFactory()
    submit_passport_check(person=person)
    staff = StaffFactory(roles=[roles.PHONE_SUPPORT])
    client = api_client(staff)
    client.credentials(HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ON_BEHALF_OF=str(person.pk))
    assert client.get("/api/v1/booking/identity-appointment").status_code == 403
    code = assisted.issue_consent_code(person=person)
    assisted.open_assisted_session(staff=staff, person=person, code=code)
    slot = identity_slots("identity_video")[0]
    held = client.post(
        "/api/v1/booking/identity-appointment",
        {"kind": "identity_video", "room_id": slot.room.pk, "starts_at": slot.starts_at.isoformat()},
        format="json",
    )
    assert held.status_code == 201, held.json()
    assert Booking.objects.get().person == person
    assert AuditEntry.objects.filter(actor=staff, on_behalf_of=person, action="assisted.action").exists()
