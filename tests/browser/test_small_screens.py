"""Every page reflows on a phone (WCAG 2.2, 1.4.10): at 320 CSS pixels wide nothing makes the
page scroll sideways — citizen and staff pages, the diary, tables and the calendar included —
and at 200% text size nothing is lost off the side either."""

from __future__ import annotations

import datetime

import pytest

from booking import selectors
from identity import roles
from tests.browser.journeys import fill_date, sign_in, staff_sign_in
from tests.factories import RegisterOfficeFactory, RegistrationFactory, StaffFactory, UserFactory, make_entry
from tests.factories.booking import book_ceremony, ceremony_slots, make_bookable_office
from tests.factories.identity import verify_identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How wide the page is against the window, and what sticks out past the right edge (text too
# long for its box included), for the failure message.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => (e.getBoundingClientRect().right > width + 1
      || (e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0 && getComputedStyle(e).overflowX === 'visible'))
    && getComputedStyle(e).position !== 'fixed' && !(e.parentElement && e.parentElement.closest('.app-table-scroll')));
  const leaves = wide.filter(e => !wide.some(other => other !== e && e.contains(other)));
  return {scroll: document.documentElement.scrollWidth, width,
          wide: leaves.slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.')
                 + ' ' + (e.textContent || '').trim().slice(0, 40))};
}"""


def reflows(checked, path: str, problems: list[str], *, big_text: bool = False) -> None:
    page = checked.goto(path)
    if big_text:
        page.evaluate("document.documentElement.style.fontSize = '200%'")
    found = page.evaluate(OVERFLOW)
    if found["scroll"] > found["width"]:
        problems.append(f"{path}{' at 200% text' if big_text else ''}: {found}")


def test_citizen_pages_reflow_at_320_pixels_and_at_200_percent_text(checked_page):
    office = make_bookable_office(code="E-LEEDS")[0]
    person = UserFactory(email="ffion@example.com", full_name="Ffion Hughes")
    verify_identity(person)
    booking = book_ceremony(ceremony_slots(office)[0], person=person)
    checked = checked_page(width=320)
    problems: list[str] = []
    for path in ["/", "/sign-in/", "/book/", "/certificates/", "/verify/", "/notices/", "/register/statistics/"]:
        reflows(checked, path, problems)
    page = checked.goto("/book/search/")
    first, _last = selectors.bookable_dates("ceremony")
    page.get_by_label("Postcode or town").fill("Leeds")
    fill_date(page, "date_from", first)
    fill_date(page, "date_to", first + datetime.timedelta(days=14))
    page.get_by_role("button", name="Search").click()
    checked.check()
    found = page.evaluate(OVERFLOW)
    if found["scroll"] > found["width"]:
        problems.append(f"availability results: {found}")
    sign_in(checked, person.email)
    for path in [
        "/account/",
        "/register/",
        "/register/yours/",
        "/register/stillbirth/",
        "/register/re-registration/",
        "/citizenship/",
        f"/book/{booking.reference}/",
        "/certificates/orders/",
    ]:
        reflows(checked, path, problems)
    wide = checked_page(width=1280)
    for path in ["/", "/book/", "/verify/"]:
        reflows(wide, path, problems, big_text=True)
    assert problems == [], "\n".join(problems)


def test_staff_pages_reflow_at_320_pixels(checked_page):
    office = make_bookable_office(RegisterOfficeFactory(code="E-LEEDS", name="Leeds Register Office"))[0]
    registrar = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Registrar")
    registrar.offices.add(office)
    book_ceremony(ceremony_slots(office)[0])
    case = RegistrationFactory(district=office)
    entry = make_entry(district=office)
    district, letter, year, number = entry.entry_reference.split("/")
    checked = checked_page(width=320)
    staff_sign_in(checked, registrar)
    problems: list[str] = []
    for path in [
        "/staff/",
        "/staff/registrar/",
        f"/staff/registrar/cases/{case.reference}/",
        "/staff/registrar/dashboard/",
        "/staff/registrar/entries/",
        f"/staff/registrar/entries/{district}/{letter}/{year}/{int(number)}/",
        "/staff/identity/",
        "/staff/booking/",
        "/staff/booking/E-LEEDS/diary/",
        "/staff/booking/E-LEEDS/rooms/",
        "/staff/marriages/interviews/",
        "/staff/registrar/coroners/",
        "/staff/registrar/taken/",
        "/staff/citizenship/",
        "/staff/booking/E-LEEDS/citizenship/",
    ]:
        reflows(checked, path, problems)
    assert problems == [], "\n".join(problems)
