"""Certificates from coroners in Chromium with axe: the registrar finds the certificate after
inquest in the queue, reads its particulars, is told to confirm when they forget, and registers
the death without an informant."""

from __future__ import annotations

import pytest

from identity import roles
from registrar.models import RegisterEntry
from tests.browser.journeys import staff_sign_in
from tests.factories import StaffFactory, make_leeds_offices
from tests.factories.inquest import coroner, record_certificate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_registrar_registers_a_death_from_a_certificate_after_inquest(checked_page):
    leeds = make_leeds_offices()[0]
    certificate = record_certificate(coroner(leeds))
    staff = StaffFactory(roles=[roles.REGISTRAR], full_name="Rita Registrar")
    staff.offices.add(leeds)

    checked = checked_page()
    staff_sign_in(checked, staff)
    page = checked.goto("/staff/registrar/coroners/")
    assert page.title().startswith("Certificates from coroners")
    page.get_by_role("link", name=certificate.reference).click()
    checked.check()
    assert page.get_by_role("heading", name="The death of Margaret Ann Whitaker").is_visible()
    assert "Certificate received from Kevin McLoughlin" in page.locator(".govuk-inset-text").inner_text()

    page.get_by_role("button", name="Register this death").click()
    checked.check()
    assert page.locator(".govuk-error-summary").is_visible()
    assert not RegisterEntry.objects.exists()

    page.get_by_label("I have checked these particulars against the coroner's certificate").check()
    page.get_by_role("button", name="Register this death").click()
    checked.check()
    entry = RegisterEntry.objects.get()
    assert f"Registered: entry {entry.entry_reference}" in page.locator(".govuk-notification-banner").inner_text()
