"""Staff pages in Chromium with axe: the registrar's queue, a case, the dashboard, finding and
correcting an entry, notes from phone support, and the phone-support console and report."""

from __future__ import annotations

import pytest

from identity import assisted, roles
from registrar.models import EntryCorrection
from tests.browser.journeys import staff_sign_in
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_registrar_pages_pass_axe(checked_page):
    office = RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office")
    registrar = StaffFactory(roles=[roles.REGISTRAR])
    registrar.offices.add(office)
    case = RegistrationFactory(district=office)
    entry = make_entry(district=office)
    person = UserFactory(full_name="Sarah Morgan")
    assisted.raise_support_note(
        staff=StaffFactory(roles=[roles.PHONE_SUPPORT]), person=person, text="Please call back", for_registrar=True
    )
    checked = checked_page()
    staff_sign_in(checked, registrar)
    page = checked.page
    checked.goto("/staff/registrar/")
    assert case.reference in page.content()
    checked.goto(f"/staff/registrar/cases/{case.reference}/")
    checked.goto("/staff/registrar/dashboard/")
    checked.goto("/staff/registrar/entries/")
    page.get_by_label("Entry or registration reference").fill(entry.entry_reference)
    page.get_by_role("button", name="Find entry").click()  # posted: no reference in the address
    checked.check()
    assert entry.entry_reference in page.content()
    district, letter, year, number = entry.entry_reference.split("/")
    checked.goto(f"/staff/registrar/entries/{district}/{letter}/{year}/{int(number)}/correct/")
    page.get_by_role("button", name="Record correction").click()  # nothing entered
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not EntryCorrection.objects.exists()
    checked.goto("/staff/support/notes/")
    assert "Please call back" in page.content()


def test_phone_support_console_and_report_pass_axe(checked_page):
    support = StaffFactory(roles=[roles.PHONE_SUPPORT])
    checked = checked_page()
    staff_sign_in(checked, support)
    page = checked.page
    checked.goto("/staff/support/")
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label("Reference number").fill("ID-NONE-NONE")
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert "No one matches" in page.content() and "ID-NONE-NONE" not in page.url

    admin = checked_page()
    staff_sign_in(admin, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    admin.goto("/staff/support/report/")
    assert support.email in admin.page.content()
    admin.goto("/staff/support/report/?days=0")
    assert admin.page.locator(".govuk-error-summary").is_visible()
