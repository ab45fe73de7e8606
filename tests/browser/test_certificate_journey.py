"""Ordering a certificate in Chromium: search the index (sounds-like), order, pay in the sandbox,
wait for and download the signed PDF, then check it by uploading it and by its serial number;
also a declined card and the pages without JavaScript. axe on every page."""

from __future__ import annotations

from datetime import date

import pytest

from certificates.models import Certificate
from certificates.signing import create_development_keys
from tests.browser.journeys import sign_in
from tests.factories import RegisterOfficeFactory, historic_birth

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path, live_server):
    keys = create_development_keys(tmp_path / "signing")
    settings.CERTIFICATE_SIGNING_KEY_PATH = keys["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = keys["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = keys["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.PAYMENT_PROVIDER = "sandbox"
    settings.SITE_URL = live_server.url


def _search(checked, surname):
    page = checked.page
    checked.goto("/certificates/")
    page.get_by_role("button", name="Search the index").click()
    checked.check()
    page.get_by_role("button", name="Search").click()  # nothing entered
    checked.check()
    assert "Enter a surname" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Surname", exact=True).fill(surname)
    page.get_by_label("Include surnames that sound similar or are spelt differently").check()
    page.get_by_role("button", name="Search").click()
    checked.check()
    return page


def _order_and_reach_payment(checked):
    page = checked.page
    page.get_by_role("link", name="Order a certificate for Ada Mary Smith").click()
    checked.check()
    assert page.title().startswith("Which certificate do you need?")
    page.get_by_label("Full birth certificate").check()
    page.get_by_label("How many copies?").fill("1")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.title().startswith("Your details")
    page.get_by_label("Full name").fill("Robin Applicant")
    page.get_by_label("Your address").fill("1 High Street\nLeeds")
    page.get_by_label("Postcode").fill("LS1 3AD")
    page.get_by_role("button", name="Continue").click()
    checked.check()
    assert page.title().startswith("Check your order before paying")
    assert "£12.50" in page.content()
    page.get_by_role("button", name="Continue to payment").click()
    checked.check()
    assert page.title().startswith("Enter card details")
    return page


def test_search_order_pay_download_and_verify_a_certificate(checked_page, tmp_path):
    leeds = RegisterOfficeFactory(code="E-LEEDS-B", name="Leeds Register Office")
    historic_birth(leeds, surname="Smith", forenames="Ada Mary", born=date(1950, 3, 14))
    historic_birth(leeds, surname="Smyth", forenames="Bernard", born=date(1951, 3, 14))
    checked = checked_page()
    sign_in(checked, "robin@example.com")
    page = _search(checked, "Smithe")
    assert "2 entries found" in page.locator("#results-heading").inner_text()
    page = _order_and_reach_payment(checked)

    # Declined first, then paid.
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_label("Name on card").fill("R Applicant")
    page.get_by_role("button", name="Pay", exact=True).click()
    checked.check()
    assert page.title().startswith("Your payment was not taken")
    page.get_by_role("link", name="Go back to your order to pay").click()
    checked.check()
    assert "Your card was declined" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_role("button", name="Continue to payment").click()
    checked.check()
    page.get_by_label("Card number").fill("4444333322221111")
    page.get_by_label("Name on card").fill("R Applicant")
    page.get_by_role("button", name="Pay", exact=True).click()
    page.get_by_role("heading", name="Your certificate is ready").wait_for(timeout=30_000)
    checked.check()

    certificate = Certificate.objects.get()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download PDF {certificate.serial}").click()
    pdf_path = tmp_path / "certificate.pdf"
    download_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    # Anyone can check it: the PDF itself, then the serial number, signed out.
    checked.goto("/verify/")
    page.get_by_role("link", name="Check the PDF file itself, including its signature").click()
    checked.check()
    page.get_by_label("Upload the certificate PDF").set_input_files(str(pdf_path))
    page.get_by_role("button", name="Check PDF").click()
    checked.check()
    assert page.get_by_role("heading", name="This certificate is valid").is_visible()
    tampered = tmp_path / "tampered.pdf"
    data = bytearray(pdf_path.read_bytes())
    data[len(data) // 3] ^= 0x01
    tampered.write_bytes(bytes(data))
    page.get_by_label("Upload the certificate PDF").set_input_files(str(tampered))
    page.get_by_role("button", name="Check PDF").click()
    checked.check()
    assert "This certificate is valid" not in page.content()

    checked.goto("/verify/")
    page.get_by_label("Serial number").fill(certificate.serial.lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    checked.check()
    assert page.get_by_role("heading", name="This certificate is valid").is_visible(), (page.url, page.title())
    assert "Ada Mary Smith" in page.content()


def test_the_search_and_the_sandbox_work_without_javascript(checked_page):
    leeds = RegisterOfficeFactory(code="E-LEEDS-N", name="Leeds Register Office")
    historic_birth(leeds, surname="Smith", forenames="Ada Mary", born=date(1950, 3, 14))
    checked = checked_page(javascript=False)
    sign_in(checked, "kit@example.com")
    page = _search(checked, "Smith")
    page = _order_and_reach_payment(checked)
    page.get_by_role("button", name="Cancel payment").click()
    checked.check()
    assert page.title().startswith("Your payment was not taken")
    assert not Certificate.objects.exists()
