"""The office dashboard in Chromium, in English and Welsh: axe finds nothing, each chart is an
image named by its title with its numbers in a table, bad dates show the error summary, and
the page works with JavaScript off."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from identity import roles
from identity.models import IdentityCase
from tests.browser.journeys import fill_date, staff_sign_in
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URL = "/staff/registrar/dashboard/"


@pytest.fixture
def registrar():
    office = RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office")
    staff = StaffFactory(roles=[roles.REGISTRAR])
    staff.offices.add(office)
    now = timezone.now()
    for event in ("birth", "birth", "death"):
        registration = RegistrationFactory(
            district=office, event=event, status="registered", submitted_at=now - datetime.timedelta(hours=2)
        )
        make_entry(district=office, event=event, registration=registration, registered_at=now)
    IdentityCase.objects.create(
        reference="ID-BROW-0001",
        person=UserFactory(),
        office=office,
        status="with_registrar",
        reasons=["document_expired"],
        submitted_at=now - datetime.timedelta(hours=5),
    )
    return staff


def test_the_dashboard_passes_axe_in_english(checked_page, registrar):
    checked = checked_page()
    staff_sign_in(checked, registrar)
    page = checked.goto(URL)
    assert page.locator("svg[role=img]").count() == 6
    assert page.get_by_role("img", name="Events registered").count() == 1
    events = page.get_by_role("table", name="Events registered", exact=True)
    assert events.get_by_role("row", name="Birth 2").count() == 1
    assert page.get_by_role("table", name="Identity check outcomes").get_by_text("With a registrar").count() == 1
    today = timezone.localdate()
    fill_date(page, "date_from", today)
    fill_date(page, "date_to", today - datetime.timedelta(days=3))
    page.get_by_role("button", name="Show figures").click()
    checked.check()
    summary = page.locator(".govuk-error-summary")
    assert summary.get_by_text("The last day must be the same as or after the first day").is_visible()
    fill_date(page, "date_from", today - datetime.timedelta(days=100))
    fill_date(page, "date_to", today)
    page.get_by_role("button", name="Show figures").click()
    checked.check()
    page.locator("summary").get_by_text("Events registered, week by week").click()
    assert page.get_by_role("table", name="Events registered, week by week").is_visible()


def test_the_dashboard_passes_axe_in_welsh(checked_page, registrar):
    checked = checked_page()
    staff_sign_in(checked, registrar)
    checked.page.goto(checked.base_url + "/language/cy/?next=" + URL)
    page = checked.check()
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.get_by_role("img", name="Digwyddiadau a gofrestrwyd").count() == 1
    assert page.get_by_text("Defnydd o ystafelloedd").count() >= 1
    page.locator("#id_date_to_0").fill("40")
    page.locator("button[name=submit]").click()
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()


def test_the_dashboard_works_without_javascript(checked_page, registrar):
    checked = checked_page(javascript=False)
    staff_sign_in(checked, registrar)
    page = checked.goto(URL)
    page.locator("summary").get_by_text("Events registered, day by day").click()
    assert page.get_by_role("table", name="Events registered, day by day").is_visible()
    assert page.get_by_role("img", name="Certificate orders").count() == 1
