"""A registrar takes a birth registration at the office in Chromium, axe on every page: the
event, the informant and the documents seen, the same questions one per page (a mistake shown in
the error summary), check answers, the declaration read to and signed by the informant, and the
register entry's page saying how it was declared."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from identity import roles
from registrar.models import Registration
from tests.browser.journeys import fill_date, staff_sign_in
from tests.factories import StaffFactory, make_leeds_offices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _radio(page, name, value):
    page.locator(f"input[name={name}][value={value}]").check()


def _continue(checked):
    checked.page.get_by_role("button", name="Continue").click()
    return checked.check()


def test_a_registrar_takes_a_birth_in_person_and_every_page_passes_axe(checked_page):
    leeds = make_leeds_offices()[0]
    registrar = StaffFactory(roles=[roles.REGISTRAR], full_name="Ann Registrar")
    registrar.offices.add(leeds)
    born = timezone.localdate() - datetime.timedelta(days=8)
    checked = checked_page()
    staff_sign_in(checked, registrar)
    page = checked.goto("/staff/registrar/taken/")

    _continue(checked)  # nothing chosen
    assert page.locator(".govuk-error-summary").is_visible()
    _radio(page, "event", "birth")
    _continue(checked)
    page.get_by_label("Informant's full name").fill("Emma Hartley")
    page.get_by_label("Documents you saw to establish the informant's identity").fill("Passport 123456789")
    _continue(checked)

    page.get_by_label("Mother", exact=True).check()
    _continue(checked)
    _continue(checked)  # the child's page left empty
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("First and middle names").fill("Olivia Rose")
    page.get_by_label("Surname").fill("Hartley")
    _radio(page, "sex", "female")
    fill_date(page, "date_of_birth", born)
    _radio(page, "multiple_birth", "no")
    _continue(checked)
    _radio(page, "place_type", "hospital")
    page.get_by_label("Name of the hospital or place (optional)").fill("Leeds General Infirmary")
    page.get_by_label("Address").fill("Great George Street")
    page.get_by_label("Postcode").fill("LS1 3EX")
    _continue(checked)
    page.get_by_label("First and middle names").fill("Emma")
    page.get_by_label("Surname", exact=True).fill("Hartley")
    fill_date(page, "date_of_birth", born.replace(year=1992))
    page.get_by_label("Place of birth").fill("York")
    page.get_by_label("Usual address").fill("12 Park Lane, Leeds")
    _continue(checked)
    _radio(page, "parents_married", "yes")
    _continue(checked)
    page.get_by_label("First and middle names").fill("Daniel")
    page.get_by_label("Surname").fill("Hartley")
    fill_date(page, "date_of_birth", born.replace(year=1990))
    page.get_by_label("Place of birth").fill("Cardiff")
    _continue(checked)

    assert page.get_by_role("heading", name="Check the answers with the informant").is_visible()
    page.get_by_role("link", name="Continue").click()
    checked.check()
    page.get_by_role("button", name="Record the declaration and register").click()  # not ticked
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("I read the declaration to the informant and they signed it in front of me").check()
    page.get_by_role("button", name="Record the declaration and register").click()
    checked.check()

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    assert "Declaration read to and signed by the informant before Ann Registrar" in page.content()
    page.get_by_role("link", name=registration.entry.entry_reference).click()
    checked.check()
    assert "Taken in person by Ann Registrar" in page.content()
