"""Staff pages: phone support finds orders with the minimum data, registrars revoke and reissue
with a reason; every view and action is audited; citizens and staff without the permission are
kept out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates import services
from identity import roles
from identity.models import AuditEntry, OutboundMessage
from tests.certificates.conftest import birth, sign_in_staff
from tests.certificates.test_issue import paid_order
from tests.factories import StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit")]


@pytest.fixture
def issued():
    roles.sync_roles()
    order = paid_order(birth())
    services.issue_order(order_id=order.pk)
    return order.certificates.get()


def test_phone_support_finds_an_order_by_reference_serial_or_email_and_it_is_audited(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    for query in (issued.order.reference, issued.serial, "ROBIN@example.com"):
        response = client.get(reverse("certificates-staff:orders"), {"query": query})
        assert response.status_code == 200 and issued.order.reference in response.content.decode()
    assert AuditEntry.objects.filter(action="certificates.orders_searched").count() == 3
    page = client.get(reverse("certificates-staff:order", args=[issued.order.reference]))
    html = page.content.decode()
    assert issued.serial in html and "Revoke" not in html  # phone support cannot revoke
    assert AuditEntry.objects.filter(action="certificates.order_viewed", object_id=issued.order.reference).exists()


def test_an_empty_search_is_a_400(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    response = client.get(reverse("certificates-staff:orders"), {"query": ""})
    assert response.status_code == 400 and "Enter an order reference" in response.content.decode()


def test_a_registrar_revokes_with_a_reason_and_it_is_audited(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.REGISTRAR]))
    url = reverse("certificates-staff:revoke", args=[issued.serial])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Enter the reason" in response.content.decode()
    response = client.post(url, {"reason": "Ordered with stolen card"})
    assert response.url == reverse("certificates-staff:order", args=[issued.order.reference])
    issued.refresh_from_db()
    assert issued.revoked_at and issued.revoked_reason == "Ordered with stolen card"
    audit = AuditEntry.objects.get(action="certificates.revoked")
    assert audit.reason == "Ordered with stolen card" and audit.object_id == issued.serial
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 400 and "already been revoked" in response.content.decode()


def test_a_registrar_reissues_and_the_applicant_is_told(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.REGISTRAR]))
    response = client.post(reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "Entry corrected"})
    assert response.status_code == 302
    replacement = issued.reissued_as
    assert replacement.is_ready and replacement.copy_number == 2
    assert AuditEntry.objects.filter(action="certificates.reissued", object_id=issued.serial).exists()
    assert OutboundMessage.objects.filter(subject__contains="reissued").count() == 1
    response = client.post(reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "again"})
    assert response.status_code == 400 and "already been reissued" in response.content.decode()


@pytest.mark.parametrize("name", ["revoke", "reissue"])
def test_phone_support_cannot_revoke_or_reissue(client, issued, name):
    sign_in_staff(client, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    assert client.post(reverse(f"certificates-staff:{name}", args=[issued.serial]), {"reason": "x"}).status_code == 403
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_staff_without_a_certificates_role_are_refused(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.SERVICE_ADMIN]))
    assert client.get(reverse("certificates-staff:orders")).status_code == 403
    assert client.get(reverse("certificates-staff:order", args=[issued.order.reference])).status_code == 403


def test_citizens_are_sent_to_staff_sign_in(client, issued):
    client.force_login(UserFactory())
    response = client.get(reverse("certificates-staff:orders"))
    assert response.status_code == 302 and "staff" in response.url


def test_an_unknown_order_or_serial_is_a_404(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.REGISTRAR]))
    assert client.get(reverse("certificates-staff:order", args=["CO-NOPE"])).status_code == 404
    assert client.get(reverse("certificates-staff:revoke", args=["NOPE"])).status_code == 404


def test_staff_home_lists_certificate_orders_for_those_who_may_see_them(client, issued):
    sign_in_staff(client, StaffFactory(roles=[roles.PHONE_SUPPORT]))
    assert reverse("certificates-staff:orders") in client.get(reverse("identity:staff-home")).content.decode()
