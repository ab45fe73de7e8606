"""The identity case page, the identity queue with its office filter and the diary's date input
in Chromium with axe: words rather than codes, only the registrar's own offices to filter by, and
an error link that puts the cursor in the diary's day box. Each page is also photographed into
SHOTS for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from booking.selectors import UK
from identity import roles
from tests.browser.journeys import staff_sign_in
from tests.factories import RegisterOfficeFactory, StaffFactory, make_leeds_offices, submit_passport_check
from tests.factories.booking import book_ceremony, ceremony_slots, make_bookable_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("STAFF_SHOTS_DIR", "/tmp/shots-staff"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_registrar_reads_the_queue_and_a_flagged_case_in_words_and_goes_to_a_date(checked_page):
    leeds = make_leeds_offices()[0]
    cardiff = RegisterOfficeFactory(code="W-CARDIFF", name="Cardiff Register Office", postcode="CF10 4UW")
    for n in range(6):
        RegisterOfficeFactory(code=f"E-ELSEWHERE{n}", name=f"Elsewhere Register Office {n}", postcode="M1 1AA")
    submit_passport_check(postcode="LS1 3AD")
    flagged = submit_passport_check(postcode="LS1 3AD")
    office, *_rest = make_bookable_office(code="E-DIARY")
    ceremony = book_ceremony(ceremony_slots(office)[0])
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Registrar")
    staff.offices.add(leeds, cardiff, office)

    checked = checked_page()
    staff_sign_in(checked, staff)
    page = checked.goto("/staff/identity/")
    offices = page.locator("#id_office option").all_inner_texts()
    assert offices[1:] == sorted(offices[1:]) and "Elsewhere Register Office 0" not in offices
    assert {"Leeds Register Office", "Cardiff Register Office"} <= set(offices)
    assert "fraud_document_reused" not in page.locator("main").inner_text()
    _shot(page, "identity-queue")

    page.get_by_role("link", name=flagged.reference).click()
    checked.check()
    text = page.locator("main").inner_text()
    assert "The same document number is on another person's identity check" in text
    assert "fraud_" not in text and "→" not in text
    _shot(page, "identity-case")

    page = checked.goto("/staff/booking/E-DIARY/diary/")
    page.locator("#id_go_to_0").fill("31")
    page.locator("#id_go_to_1").fill("2")
    page.locator("#id_go_to_2").fill("2027")
    page.get_by_role("button", name="Show").click()
    checked.check()
    page.locator(".govuk-error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_go_to_0"
    _shot(page, "diary-date-error")

    day = ceremony.starts_at.astimezone(UK).date()
    page.locator("#id_go_to_0").fill(str(day.day))
    page.locator("#id_go_to_1").fill(str(day.month))
    page.locator("#id_go_to_2").fill(str(day.year))
    page.get_by_role("button", name="Show").click()
    checked.check()
    assert ceremony.reference in page.locator("main").inner_text()
    _shot(page, "diary")

    page.get_by_role("link", name="Re-book affected bookings").click()
    checked.check()
    assert page.title().startswith("Re-book affected bookings")
    assert "no closures or absences from today" in page.locator("main").inner_text()
    _shot(page, "rebook-first-view")
