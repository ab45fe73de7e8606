"""A citizenship ceremony in Chromium, axe on every page: a new citizen opens the Home Office's
invitation link, accepts it and books a seat with a guest (English); another, in Welsh with
JavaScript off, books a seat taking the oath and pledge in Welsh; on the day the registrar
records both, and each gets an entry in the citizenship register."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from booking.models import Booking, CitizenshipSeat
from registrar.citizenship import services
from registrar.models import CeremonyAttendance
from tests.browser.journeys import axe_without_javascript, sign_in, staff_sign_in, welsh
from tests.factories.citizenship import make_ceremony, make_invitation, registrar_for, verified_person
from tests.factories.identity import RegisterOfficeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.CITIZENSHIP_HOME_OFFICE_ADAPTER = "registrar.citizenship.home_office.SandboxCitizenshipHomeOffice"


def _click(checked, role: str, name: str, **options):
    checked.page.get_by_role(role, name=name, **options).first.click()
    return checked.check()


def _book(checked, invitation, ceremony, words, *, guests: str, in_welsh: bool) -> None:
    page = checked.goto(f"/citizenship/invitation/{services.link_token(invitation)}/")
    assert page.title().startswith(words("Accept your citizenship ceremony invitation"))
    _click(checked, "button", words("Accept the invitation"))
    assert page.get_by_role("heading", name=words("Your citizenship ceremony")).is_visible()
    _click(checked, "link", words("Choose a group ceremony"))
    # Nothing chosen: the error summary, then the ceremony in words.
    _click(checked, "button", words("Continue"))
    assert words("Choose a ceremony") in page.locator(".govuk-error-summary").inner_text()
    page.locator(f"input[value='{ceremony.booking.reference}']").check()
    _click(checked, "button", words("Continue"))
    page.get_by_label(words("How many guests will you bring?")).fill("9")
    _click(checked, "button", words("Continue"))
    assert page.locator(".govuk-error-summary").is_visible()
    page.get_by_label(words("How many guests will you bring?")).fill(guests)
    page.locator(f"input[name=welsh_oath][value={'yes' if in_welsh else 'no'}]").check()
    _click(checked, "button", words("Continue"))
    assert page.title().startswith(words("Check your ceremony before booking"))
    _click(checked, "button", words("Book my seat"))
    assert page.get_by_role("heading", name=words("Your seat")).is_visible()


def test_a_citizenship_ceremony_from_invitation_to_register(checked_page, browser):
    office = RegisterOfficeFactory(region="Wales")
    ceremony = make_ceremony(office=office, welsh=True, guests_per_attendee=2, venue_name="Neuadd y Sir")
    amara = make_invitation(status="invited", surname="Okafor", office=office)
    piotr = make_invitation(status="invited", surname="Nowak", forenames="Piotr", office=office)
    people = {
        amara.reference: verified_person(surname="Okafor", email="amara@example.com"),
        piotr.reference: verified_person(surname="Nowak", forenames="Piotr", email="piotr@example.com"),
    }
    english = lambda text: text  # noqa: E731

    first = checked_page()
    sign_in(first, people[amara.reference].email)
    _book(first, amara, ceremony, english, guests="1", in_welsh=False)

    second = checked_page(javascript=False)
    mirror = axe_without_javascript(second, browser)
    try:
        sign_in(second, people[piotr.reference].email)
        page = second.goto("/language/cy/?next=/")
        assert page.locator("html").get_attribute("lang") == "cy"
        _book(second, piotr, ceremony, welsh, guests="0", in_welsh=True)
    finally:
        mirror.close()
    seats = {seat.invitation_reference: seat for seat in CitizenshipSeat.objects.filter(status="booked")}
    assert seats[amara.reference].guests == 1 and seats[piotr.reference].welsh_oath

    # On the day.
    Booking.objects.filter(pk=ceremony.booking.pk).update(starts_at=timezone.now() - datetime.timedelta(minutes=30))
    staff = checked_page()
    staff_sign_in(staff, registrar_for(office))
    page = staff.goto(f"/staff/citizenship/ceremonies/{ceremony.booking.reference}/")
    for invitation, pledge, language in ((amara, "oath", "en"), (piotr, "affirmation", "cy")):
        prefix = seats[invitation.reference].reference
        page.locator(f"input[name='{prefix}-outcome'][value=attended]").check()
        page.locator(f"input[name='{prefix}-pledge_form'][value={pledge}]").check()
        page.locator(f"input[name='{prefix}-language'][value={language}]").check()
        page.locator(f"input[name='{prefix}-made_pledge']").check()
        page.locator(f"input[name='{prefix}-certificate_number']").fill(f"Z{invitation.pk:07d}")
        _click(staff, "button", f"Record for {invitation.full_name}")
    entries = [attendance.entry for attendance in CeremonyAttendance.objects.select_related("entry")]
    assert all(entry.entry_reference in page.content() for entry in entries)
    assert sorted(entry.surname for entry in entries) == ["Nowak", "Okafor"]
    assert all(entry.event == "citizenship" for entry in entries)
