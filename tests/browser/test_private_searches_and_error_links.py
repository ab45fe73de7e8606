"""In Chromium, axe on every page: the searches that carry personal data (phone support's, the
certificate index, staff's order search) are driven with distinctive personal values, and none
of them appears in any address the browser asked for, in any Referer it sent, or in anything the
service logged; every error-summary link on a birth step (radios and a date), a date question
and the booking search moves focus to its input; the API documentation passes axe."""

from __future__ import annotations

import logging
from datetime import date

import pytest

from identity import cases, roles
from identity.models import IdentityCase, User
from tests.browser.journeys import fill_date, sign_in, staff_sign_in, welsh
from tests.factories import RegisterOfficeFactory, StaffFactory, historic_birth, make_bookable_office, verify_identity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Values no page, fixture or test data holds, so that finding one anywhere means it leaked.
FULL_NAME = "Zephyrine Quillfeather"
SURNAME = "Quillfeather"
FORENAMES = "Zephyrine"
POSTCODE = "LS2 7QJ"
BIRTH_DATE = date(1987, 7, 13)
EMAIL = "zephyrine.quillfeather@example.org"
TYPED = [FULL_NAME, SURNAME, FORENAMES, POSTCODE, POSTCODE.replace(" ", ""), POSTCODE.replace(" ", "+"), EMAIL]
TYPED += [EMAIL.replace("@", "%40"), "1987", "birth_date", "csrfmiddlewaretoken"]


class RequestLog:
    """Every request line and Referer header the browser sent: what a web server's access log
    records (the test server itself logs nothing)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def watch(self, context) -> None:
        context.on("request", self._record)

    def _record(self, request) -> None:
        self.lines.append(f"{request.method} {request.url} referer={request.headers.get('referer', '')}")


@pytest.fixture
def request_log():
    return RequestLog()


def _person_with_a_check() -> User:
    person = User.objects.create_user(email=EMAIL, full_name=FULL_NAME)
    case = cases.open_case(person=person)
    IdentityCase.objects.filter(pk=case.pk).update(
        given_names=FORENAMES, surname=SURNAME, birth_date=BIRTH_DATE, postcode=POSTCODE
    )
    return person


def test_personal_values_typed_into_searches_are_in_no_address_and_no_log(checked_page, request_log, caplog):
    caplog.set_level(logging.DEBUG)
    leeds = RegisterOfficeFactory(code="E-LEEDS-N", name="Leeds Register Office")
    for number in range(30):  # enough lines for a second page of results
        historic_birth(leeds, surname=SURNAME, forenames=f"{FORENAMES} {chr(65 + number % 26)}", born=date(1950, 3, 14))
    person = _person_with_a_check()

    staff = checked_page()
    request_log.watch(staff.page.context)
    staff_sign_in(staff, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    console = staff.page
    console.get_by_role("link", name="Help a person by phone").click()
    staff.check()
    console.get_by_label("Full name").fill(FULL_NAME)
    fill_date(console, "birth_date", BIRTH_DATE)
    console.get_by_label("Postcode").fill(POSTCODE)
    console.get_by_role("button", name="Search").click()
    staff.check()
    assert FULL_NAME in console.locator("table").inner_text()
    console.reload()  # the results page reloads without sending the search again
    staff.check()
    assert FULL_NAME in console.locator("table").inner_text()
    console.get_by_role("link", name="Ask for consent").click()
    staff.check()
    shown = console.locator("main").inner_text()
    assert FULL_NAME in shown and EMAIL not in console.content()  # name, reference, stage only

    staff.goto("/staff/certificates/")
    console.get_by_label("Order reference, certificate serial number or email address").fill(EMAIL)
    console.get_by_role("button", name="Find orders").click()
    staff.check()
    assert "0 orders found" in console.content()

    citizen = checked_page(javascript=False)
    request_log.watch(citizen.page.context)
    page = citizen.goto("/certificates/search/")
    page.get_by_label("Surname", exact=True).fill(SURNAME)
    page.get_by_label("Forenames (optional)").fill(FORENAMES)
    page.get_by_role("button", name="Search").click()
    citizen.check()
    assert "30 entries found" in page.content()
    page.get_by_role("link", name="Next page").click()
    citizen.check()
    assert "Showing 21 to 30" in page.content()
    page.get_by_role("link", name="Previous page").click()
    citizen.check()

    assert person.pk and len(request_log.lines) > 10
    logged = "\n".join(request_log.lines + [record.getMessage() for record in caplog.records])
    logged += "\n".join(str(getattr(record, "args", "")) for record in caplog.records)
    leaks = {value for value in TYPED if value.lower() in logged.lower()}
    assert leaks == set(), [line for line in logged.splitlines() if any(v.lower() in line.lower() for v in leaks)]


def _error_links_move_focus(checked) -> int:
    """Click each link of the page's error summary; each must put focus on the input it names."""
    page = checked.page
    links = page.locator(".govuk-error-summary__list a")
    count = links.count()
    assert count > 0, f"No error summary on {page.url}"
    for index in range(count):
        link = links.nth(index)
        target = link.get_attribute("href").lstrip("#")
        assert page.locator(f"#{target}").count() == 1, f"{page.url}: #{target} is not on the page"
        link.click()
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        assert focused == target, f"{page.url}: {link.inner_text()!r} focused {focused!r}, not {target!r}"
        assert page.evaluate("['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName)")
    return count


def test_every_error_link_moves_focus_to_its_input(checked_page, settings):
    make_bookable_office()
    checked = checked_page()
    sign_in(checked, "robin@example.com")
    verify_identity(User.objects.get(email="robin@example.com"))
    page = checked.goto("/register/")
    page.get_by_role("button", name="Register a birth").click()
    checked.check()
    page.get_by_role("button", name="Start a new registration").click()
    checked.check()
    page.get_by_role("button", name="Continue").click()  # the informant's radios, nothing chosen
    checked.check()
    assert _error_links_move_focus(checked) >= 1
    page.get_by_label("Mother", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    checked.check()
    # The child: names, sex (radios), date of birth, multiple birth (radios), all missing.
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert _error_links_move_focus(checked) >= 4
    # A date that is no date links to its day box.
    page.get_by_label("First and middle names").fill("x" * 10_000)
    fill_date(page, "date_of_birth", date(2026, 1, 1))
    page.locator("#id_date_of_birth_1").fill("13")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert "First and middle names must be 100 characters or fewer" in page.locator(".govuk-error-summary").inner_text()
    assert _error_links_move_focus(checked) >= 4

    page = checked.goto("/book/")
    page.get_by_role("button", name="Search for a date").click()
    checked.check()
    page.get_by_role("button", name="Search").click()  # nothing entered
    checked.check()
    assert _error_links_move_focus(checked) >= 2
    page.get_by_label("Number of guests").fill("lots")
    page.get_by_role("button", name="Search").click()
    checked.check()
    assert _error_links_move_focus(checked) >= 2


def test_sign_in_shows_the_govuk_error_summary_not_the_browsers_own(checked_page):
    checked = checked_page()
    page = checked.goto("/sign-in/")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.locator(".govuk-error-summary").count() == 1
    assert _error_links_move_focus(checked) == 1


def test_the_api_documentation_passes_axe_in_english_and_welsh(checked_page):
    from config.api_docs import sections  # noqa: PLC0415

    checked = checked_page()
    page = checked.goto("/api/docs/")
    assert page.get_by_role("heading", name="API documentation", level=1).is_visible()
    for section in sections()[1]:
        checked.goto(f"/api/docs/{section.anchor}/")
        assert page.locator("h2 code").count() == len(section.operations)
    checked.goto("/language/cy/?next=/api/docs/auth/")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.get_by_role("link", name=welsh("API documentation")).first.click()
    checked.check()
