"""The pages people see when something on our side goes wrong, in Chromium with axe: an order
whose certificates could not be made (the person is told in words; a registrar sees it among the
orders that need attention and tries again), a request too large to read, and a database that is
away for a moment."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client

from certificates import services
from certificates.models import CertificateOrder
from certificates.signing import SigningKeyMissing, create_development_keys
from config import views as site_views
from identity import roles
from tests.browser.journeys import sign_in, staff_sign_in
from tests.factories import RegisterOfficeFactory, StaffFactory, UserFactory, historic_birth, paid_certificate_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signing_keys(settings, tmp_path, live_server):
    keys = create_development_keys(tmp_path / "signing")
    settings.CERTIFICATE_SIGNING_CERT_PATH = keys["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = keys["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    settings.SITE_URL = live_server.url
    settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS = 2
    # The key is missing until the operators put it back.
    settings.CERTIFICATE_SIGNING_KEY_PATH = tmp_path / "gone.pem"
    return keys


def test_an_order_that_could_not_be_made_is_explained_and_a_registrar_makes_it_again(
    checked_page, settings, signing_keys
):
    leeds = RegisterOfficeFactory(code="E-LEEDS-W", name="Leeds Register Office")
    person = UserFactory(email="robin@example.com")
    order = paid_certificate_order(historic_birth(leeds, surname="Lovelace", forenames="Ada"), person=person)
    for _attempt in range(settings.CERTIFICATE_ISSUE_MAX_ATTEMPTS - 1):
        with pytest.raises(SigningKeyMissing):
            services.issue_order(order_id=order.pk)
    services.issue_order(order_id=order.pk)
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUE_FAILED

    citizen = checked_page()
    sign_in(citizen, person.email)
    page = citizen.goto(f"/certificates/orders/{order.reference}/")
    text = page.locator("main").inner_text()
    assert "There is a problem making your certificate" in text and "Our staff have been told" in text
    assert "issue_failed" not in text

    registrar = StaffFactory(roles=[roles.REGISTRAR], full_name="Rhian Desk")
    roles.sync_roles()
    registrar.offices.add(leeds)
    staff = checked_page()
    staff_sign_in(staff, registrar)
    page = staff.goto("/staff/certificates/")
    assert "Orders that need attention" in page.locator("main").inner_text()
    page.get_by_role("link", name=order.reference).first.click()
    staff.check()
    settings.CERTIFICATE_SIGNING_KEY_PATH = signing_keys["key"]
    page.get_by_role("button", name="Try making the certificates again").click()
    staff.check()
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED

    page = citizen.goto(f"/certificates/orders/{order.reference}/")
    assert "There is a problem" not in page.locator("main").inner_text()


def test_a_request_too_large_to_read_has_a_page_that_says_what_to_do(checked_page, settings, live_server):
    html = Client().post("/identity/check/", CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_BYTES + 1))
    assert html.status_code == 413
    checked = checked_page()
    checked.goto("/")
    checked.page.set_content(html.content.decode())
    page = checked.check()
    assert page.title() and "too large" in page.locator("main").inner_text().lower()


def test_a_database_away_for_a_moment_has_a_page_that_says_try_again(checked_page, monkeypatch):
    def away(request, template, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The home page's view renders through this name: the database drops as it renders.
    monkeypatch.setattr(site_views, "render", away)
    checked = checked_page()
    response = checked.page.goto(checked.base_url + "/")
    assert response.status == 503 and response.headers["retry-after"].isdigit()
    page = checked.check()
    assert "Try again" in page.locator("main").inner_text()
