"""The performance page, the open data page and the survey in Chromium, in English and Welsh:
axe finds nothing, the CSP is never broken, the charts are images with their numbers in tables,
and the page works with JavaScript off."""

from __future__ import annotations

from pathlib import Path

import pytest

from performance.models import FeedbackResponse
from tests.factories import RegisterOfficeFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-perf")


@pytest.fixture
def figures():
    office = RegisterOfficeFactory(code="E-LEEDS-BR", name="Leeds Register Office")
    for status in ("registered", "registered", "registered", "draft"):
        RegistrationFactory(district=office, status=status)
    RegistrationFactory(district=office, status="registered", event="death")
    for rating in (5, 5, 4, 2):
        FeedbackResponse.objects.create(journey="birth", rating=rating)
    return office


def test_the_performance_pages_pass_axe_in_english(checked_page, figures):
    checked = checked_page()
    page = checked.goto("/performance/")
    assert page.locator("svg[role=img]").count() == 4
    assert page.get_by_role("img", name="Completion rate").count() == 1
    assert page.get_by_role("table", name="Completion rate, by journey").get_by_text("75.0%").count() == 1
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "performance-en.png"), full_page=True)
    page.get_by_label("Week").check()
    page.get_by_label("Registration district").select_option(label="Leeds Register Office")
    page.get_by_role("button", name="Show figures").click()
    checked.check()
    assert page.get_by_text("Figures for Leeds Register Office").count() == 1
    page.get_by_text("Completion rate, week by week").click()
    assert page.get_by_role("table", name="Completion rate, by period and journey").is_visible()
    checked.goto("/performance/?period=fortnight")
    assert page.locator(".govuk-error-summary").is_visible()
    checked.goto("/performance/open-data/")
    assert page.get_by_text("How small numbers are protected").count() == 1


def test_the_survey_passes_axe_and_says_what_is_missing(checked_page):
    checked = checked_page()
    page = checked.goto("/performance/feedback/birth/")
    page.get_by_role("button", name="Send feedback").click()
    checked.check()
    assert page.locator(".govuk-error-summary").get_by_text("Select how you felt about the service").is_visible()
    page.get_by_label("Very satisfied").check()
    page.get_by_label("How could we improve this service? (optional)").fill("Clear and quick.")
    page.get_by_role("button", name="Send feedback").click()
    checked.check()
    assert page.get_by_role("heading", name="Thank you for your feedback").is_visible()
    assert FeedbackResponse.objects.get().rating == 5


def test_the_performance_pages_pass_axe_in_welsh(checked_page, figures):
    checked = checked_page()
    checked.page.goto(checked.base_url + "/language/cy/?next=/performance/")
    page = checked.check()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("heading", name="Perfformiad y gwasanaeth").is_visible()
    page.screenshot(path=str(SHOTS / "performance-cy.png"), full_page=True)
    checked.goto("/performance/open-data/")
    checked.goto("/performance/feedback/notice/")
    assert page.get_by_label("Bodlon iawn").count() == 1


def test_the_performance_page_works_without_javascript(checked_page, figures):
    checked = checked_page(javascript=False)
    page = checked.goto("/performance/")
    page.get_by_text("Digital take-up, month by month").click()
    assert page.get_by_role("table", name="Digital take-up, by period and journey").is_visible()
    assert page.get_by_role("img", name="Cost per transaction").count() == 1
