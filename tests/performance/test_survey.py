"""The one-question survey: five levels and an optional comment, kept with nothing about who
gave it, throttled per address, in English and Welsh, and linked from each journey's last page."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from performance.models import FeedbackResponse

pytestmark = pytest.mark.django_db

URL = "/performance/feedback/{}/"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def test_an_answer_keeps_the_journey_the_rating_and_the_comment_only(client):
    response = client.post(URL.format("birth"), {"rating": "4", "comment": "  Quick and clear.  "})
    assert response.status_code == 302 and response["Location"] == "/performance/feedback/thank-you/"
    answer = FeedbackResponse.objects.get()
    assert (answer.journey, answer.rating, answer.comment) == ("birth", 4, "Quick and clear.")
    # Nothing that could lead back to a person: no account, no address, no time of day.
    assert {field.name for field in FeedbackResponse._meta.get_fields()} == {
        "id",
        "journey",
        "rating",
        "comment",
        "given_on",
    }
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()


def test_the_form_offers_the_five_levels_and_an_optional_comment(client):
    html = client.get(URL.format("certificate_order")).content.decode()
    for level in (
        "Very satisfied",
        "Satisfied",
        "Neither satisfied or dissatisfied",
        "Dissatisfied",
        "Very dissatisfied",
    ):
        assert f">{level}<" in html.replace("\n", "").replace("  ", "") or level in html
    assert "How could we improve this service? (optional)" in html
    assert "Order a certificate" in html


def test_no_rating_is_a_clear_400_with_the_error_summary(client):
    response = client.post(URL.format("death"), {"comment": "x"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html and "Select how you felt about the service" in html
    assert FeedbackResponse.objects.count() == 0


@pytest.mark.parametrize("rating", ["0", "6", "very", ""])
def test_a_rating_outside_the_five_levels_is_refused(client, rating):
    assert client.post(URL.format("notice"), {"rating": rating}).status_code == 400
    assert FeedbackResponse.objects.count() == 0


def test_a_comment_too_long_is_refused(client):
    response = client.post(URL.format("notice"), {"rating": "5", "comment": "a" * 1201})
    assert response.status_code == 400
    assert "must be 1200 characters or fewer" in response.content.decode()


def test_an_unknown_journey_is_404(client):
    assert client.get(URL.format("parking")).status_code == 404
    assert client.post(URL.format("parking"), {"rating": "5"}).status_code == 404


def test_answers_from_one_address_are_throttled(client, settings):
    settings.PERFORMANCE_FEEDBACK_LIMITS = [(60, 2)]
    for _ in range(2):
        assert client.post(URL.format("birth"), {"rating": "5"}).status_code == 302
    response = client.post(URL.format("birth"), {"rating": "5"})
    assert response.status_code == 429 and response["Retry-After"]
    assert "a lot of feedback from you" in response.content.decode()
    assert FeedbackResponse.objects.count() == 2


def test_the_survey_is_in_welsh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    html = client.get(URL.format("birth")).content.decode()
    assert "Bodlon iawn" in html and "Anfon adborth" in html
    assert "Rhoi adborth" in html


@pytest.mark.parametrize(
    "template, journey",
    [
        ("registrar/templates/registrar/journey/sent.html", "registration.event"),
        ("registrar/templates/registrar/marriage/notice/sent.html", '"notice"'),
        ("booking/templates/booking/confirmation.html", '"ceremony_booking"'),
        ("certificates/templates/certificates/order_status.html", '"certificate_order"'),
        ("identity/templates/identity/check_status.html", '"identity_check"'),
    ],
)
def test_each_journeys_last_page_links_to_the_survey_for_its_journey(template, journey):
    source = (Path(settings.BASE_DIR) / template).read_text()
    assert f'{{% include "performance/_give_feedback.html" with journey={journey} %}}' in source


def test_the_link_names_the_journey_in_its_address(client):
    from django.template.loader import render_to_string

    html = render_to_string("performance/_give_feedback.html", {"journey": "ceremony_booking"})
    assert 'href="/performance/feedback/ceremony_booking/"' in html


def test_the_service_team_reads_answers_in_the_admin_but_cannot_change_them(rf):
    from django.contrib import admin

    from performance.admin import FeedbackResponseAdmin

    answers = admin.site._registry[FeedbackResponse]
    assert isinstance(answers, FeedbackResponseAdmin)
    request = rf.get("/")
    assert not answers.has_add_permission(request)
    assert not answers.has_change_permission(request) and not answers.has_delete_permission(request)
