"""One vocabulary of booking refusals: each code has its status and a message in English and
Welsh, the legal numbers in it come from settings, and the pages and the API say the same."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from booking.refusals import BookingRefused, SlotUnavailable
from tests.factories import UserFactory, api_client, first_api_slot, hold_by_api

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", sorted(BookingRefused.reasons))
def test_every_refusal_has_a_status_and_a_message_in_english_and_welsh(code):
    # The numbers a service passes when it refuses (the legal ones come from settings).
    refusal = BookingRefused(code, date="01/01/2028", guests=2, capacity=40, seats=3)
    assert refusal.status in (400, 403, 409)
    english = refusal.message
    with translation.override("cy"):
        welsh = refusal.message
    assert english and "%(" not in english and "%(" not in welsh
    assert welsh != english, code


def test_a_slot_taken_is_a_booking_refusal_with_its_own_code():
    taken = SlotUnavailable()
    assert isinstance(taken, BookingRefused)
    assert (taken.code, taken.status) == ("slot_unavailable", 409)


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(LookupError):
        BookingRefused("no_such_code")


@pytest.mark.parametrize(
    ("code", "setting", "value", "text"),
    [
        ("residence_too_short", "NOTICE_RESIDENCE_DAYS", 10, "for 10 full days"),
        ("notice_too_late", "NOTICE_WAIT_DAYS", 30, "at least 30 full days"),
        ("too_young", "MINIMUM_AGE_TO_MARRY", 21, "must be 21 or over"),
        ("witness_age", "WITNESS_MINIMUM_AGE", 18, "will be 18 or over"),
        ("date_outside_notice_rules", "NOTICE_VALID_MONTHS", 6, "within 6 months"),
        ("range_too_long", "BOOKING_MAX_SEARCH_DAYS", 90, "Search 90 days"),
        ("beyond_horizon", "BOOKING_HORIZON_DAYS", 365, "up to 365 days ahead"),
    ],
)
def test_the_numbers_in_a_refusal_come_from_settings(settings, code, setting, value, text):
    setattr(settings, setting, value)
    assert text in BookingRefused(code, date="01/01/2028").message


def test_a_taken_slot_reads_the_same_on_the_page_and_in_the_api(client, calendar, person):
    slot = first_api_slot()
    assert hold_by_api(api_client(UserFactory()), slot).status_code == 201
    api = hold_by_api(api_client(person), slot)
    page = client.post(reverse("booking:hold"), {"room": slot["room_id"], "starts_at": slot["starts_at"]})
    message = SlotUnavailable().message
    assert api.status_code == page.status_code == 409
    assert api.json()["error"] == {"code": "slot_unavailable", "message": message}
    assert message in page.content.decode()
