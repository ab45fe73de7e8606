"""The refusal vocabulary: a code's status and message, numbers read from settings when shown,
plural forms, and the one rendering each for the API and for pages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.api_errors import exception_handler
from core.pages import refusal_page
from core.refusals import Reason, Refusal, message_for


class SampleRefused(Refusal):
    reasons = {
        "too_soon": Reason(400, _("Book at least %(days)s days ahead."), {"days": "BOOKING_NOTICE_MINIMUM_DAYS"}),
        "taken": Reason(409, _("That time has just been taken.")),
        "wait": Reason(
            429,
            ngettext_lazy("Wait %(minutes)s minute.", "Wait %(minutes)s minutes.", "minutes"),
        ),
    }


def test_a_refusal_carries_its_status_and_message():
    refusal = SampleRefused("taken")
    assert (refusal.code, refusal.reason, refusal.status, refusal.message) == (
        "taken",
        "taken",
        409,
        "That time has just been taken.",
    )


def test_a_legal_number_in_a_message_is_read_from_settings_when_shown(settings):
    refusal = SampleRefused("too_soon")
    settings.BOOKING_NOTICE_MINIMUM_DAYS = 3
    assert refusal.message == "Book at least 3 days ahead."
    settings.BOOKING_NOTICE_MINIMUM_DAYS = 5
    assert refusal.message == "Book at least 5 days ahead."
    assert message_for(SampleRefused, "too_soon") == "Book at least 5 days ahead."


def test_a_counted_message_takes_its_plural_form():
    assert SampleRefused("wait", minutes=1).message == "Wait 1 minute."
    assert SampleRefused("wait", minutes=15).message == "Wait 15 minutes."


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(LookupError):
        SampleRefused("no_such_code")


def test_the_api_renders_a_refusal_in_the_one_error_shape():
    response = exception_handler(SampleRefused("taken"), {})
    assert response.status_code == 409
    assert response.data == {"error": {"code": "taken", "message": "That time has just been taken."}}


def test_a_page_shows_the_refusal_with_its_status(db):
    request = RequestFactory().get("/")
    response = refusal_page(request, SampleRefused("taken"), back="/book/")
    html = response.content.decode()
    assert response.status_code == 409
    assert "That time has just been taken." in html and 'href="/book/"' in html
