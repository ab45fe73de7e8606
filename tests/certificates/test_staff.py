"""Staff pages: phone support finds orders with the minimum data, registrars revoke and reissue
with a reason; every view and action is audited; citizens and staff without the permission are
kept out. Registrars see and act on their own offices' entries only; phone support (the national
helpline) finds any order."""

from __future__ import annotations

import pytest
from django.urls import reverse

from certificates import selectors, services
from certificates.refusals import CertificateRefused
from identity import roles
from identity.models import AuditEntry, OutboundMessage
from tests.factories import UserFactory, sign_in_staff

pytestmark = pytest.mark.django_db


def test_phone_support_finds_an_order_by_reference_serial_or_email_and_it_is_audited(
    client, issued, staff_member, york
):
    sign_in_staff(client, staff_member(roles.PHONE_SUPPORT, york))
    for query in (issued.order.reference, issued.serial, "ROBIN@example.com"):
        response = client.post(reverse("certificates-staff:orders"), {"query": query}, follow=True)
        assert response.status_code == 200 and issued.order.reference in response.content.decode()
    searches = AuditEntry.objects.filter(action="certificates.orders_searched")
    assert searches.count() == 3
    assert all(entry.detail["found"] == [issued.order.reference] for entry in searches)
    page = client.get(reverse("certificates-staff:order", args=[issued.order.reference]))
    html = page.content.decode()
    assert issued.serial in html and "Revoke" not in html  # phone support cannot revoke
    assert AuditEntry.objects.filter(action="certificates.order_viewed", object_id=issued.order.reference).exists()


def test_an_empty_search_is_a_400(client, issued, staff_member):
    sign_in_staff(client, staff_member(roles.PHONE_SUPPORT))
    response = client.post(reverse("certificates-staff:orders"), {"query": ""}, follow=True)
    assert response.status_code == 400 and "Enter an order reference" in response.content.decode()


def test_a_registrar_revokes_with_a_reason_and_it_is_audited(client, issued, leeds_registrar):
    sign_in_staff(client, leeds_registrar)
    order_page = client.get(reverse("certificates-staff:order", args=[issued.order.reference])).content.decode()
    assert reverse("certificates-staff:revoke", args=[issued.serial]) in order_page
    url = reverse("certificates-staff:revoke", args=[issued.serial])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400 and "Enter the reason" in response.content.decode()
    response = client.post(url, {"reason": "Ordered with stolen card"})
    assert response.url == reverse("certificates-staff:order", args=[issued.order.reference])
    issued.refresh_from_db()
    assert issued.revoked_at and issued.revoked_reason == "Ordered with stolen card"
    audit = AuditEntry.objects.get(action="certificates.revoked")
    assert audit.reason == "Ordered with stolen card" and audit.object_id == issued.serial
    assert audit.actor == leeds_registrar
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 400 and "already been revoked" in response.content.decode()
    order_page = client.get(reverse("certificates-staff:order", args=[issued.order.reference])).content.decode()
    assert reverse("certificates-staff:revoke", args=[issued.serial]) not in order_page


def test_a_registrar_reissues_and_the_applicant_is_told(
    client, issued, leeds_registrar, django_capture_on_commit_callbacks
):
    sign_in_staff(client, leeds_registrar)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "Entry corrected"}
        )
    assert response.status_code == 302
    replacement = issued.reissued_as
    assert replacement.is_ready and replacement.copy_number == 2
    assert AuditEntry.objects.filter(action="certificates.reissued", object_id=issued.serial).exists()
    assert OutboundMessage.objects.filter(subject__contains="reissued").count() == 1
    order_page = client.get(reverse("certificates-staff:order", args=[issued.order.reference])).content.decode()
    assert reverse("certificates-staff:reissue", args=[issued.serial]) not in order_page
    assert reverse("certificates-staff:reissue", args=[replacement.serial]) in order_page
    response = client.post(reverse("certificates-staff:reissue", args=[issued.serial]), {"reason": "again"})
    assert response.status_code == 400 and "already been reissued" in response.content.decode()


@pytest.mark.parametrize("name", ["revoke", "reissue"])
def test_phone_support_cannot_revoke_or_reissue(client, issued, staff_member, leeds, name):
    sign_in_staff(client, staff_member(roles.PHONE_SUPPORT, leeds))
    assert client.post(reverse(f"certificates-staff:{name}", args=[issued.serial]), {"reason": "x"}).status_code == 403
    issued.refresh_from_db()
    assert issued.revoked_at is None and not hasattr(issued, "reissued_as")


def test_staff_without_a_certificates_role_are_refused(client, issued, staff_member):
    sign_in_staff(client, staff_member(roles.SERVICE_ADMIN))
    assert client.get(reverse("certificates-staff:orders")).status_code == 403
    assert client.get(reverse("certificates-staff:order", args=[issued.order.reference])).status_code == 403


def test_citizens_are_sent_to_staff_sign_in(client, issued):
    client.force_login(UserFactory())
    response = client.get(reverse("certificates-staff:orders"))
    assert response.status_code == 302 and "staff" in response.url


def test_an_unknown_order_or_serial_is_a_404(client, issued, leeds_registrar):
    sign_in_staff(client, leeds_registrar)
    assert client.get(reverse("certificates-staff:order", args=["CO-NOPE"])).status_code == 404
    assert client.get(reverse("certificates-staff:revoke", args=["NOPE"])).status_code == 404


def test_staff_home_lists_certificate_orders_for_those_who_may_see_them(client, issued, staff_member):
    sign_in_staff(client, staff_member(roles.PHONE_SUPPORT))
    assert reverse("certificates-staff:orders") in client.get(reverse("identity:staff-home")).content.decode()


# --- Office scope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [roles.REGISTRAR, roles.SUPERINTENDENT_REGISTRAR])
def test_another_offices_registrar_neither_finds_nor_opens_the_order(client, issued, staff_member, york, role):
    sign_in_staff(client, staff_member(role, york))
    for query in (issued.order.reference, issued.serial, "robin@example.com"):
        response = client.post(reverse("certificates-staff:orders"), {"query": query}, follow=True)
        assert response.status_code == 200 and response.context["orders"] == []
        assert reverse("certificates-staff:order", args=[issued.order.reference]) not in response.content.decode()
    assert AuditEntry.objects.filter(action="certificates.orders_searched").last().detail["found"] == []
    assert client.get(reverse("certificates-staff:order", args=[issued.order.reference])).status_code == 404
    for name in ("revoke", "reissue"):
        url = reverse(f"certificates-staff:{name}", args=[issued.serial])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "Ordered with stolen card"}).status_code == 404
    issued.refresh_from_db()
    assert issued.revoked_at is None and not hasattr(issued, "reissued_as")
    assert not AuditEntry.objects.filter(action="certificates.order_viewed").exists()


def test_a_registrar_of_the_entrys_office_finds_and_opens_the_order(client, issued, staff_member, york, leeds):
    sign_in_staff(client, staff_member(roles.REGISTRAR, york, leeds))
    response = client.post(reverse("certificates-staff:orders"), {"query": issued.serial}, follow=True)
    assert reverse("certificates-staff:order", args=[issued.order.reference]) in response.content.decode()
    assert client.get(reverse("certificates-staff:order", args=[issued.order.reference])).status_code == 200


@pytest.mark.parametrize("service", [services.revoke_certificate, services.reissue_certificate])
def test_the_services_refuse_another_offices_certificate(issued, staff_member, york, service):
    with pytest.raises(CertificateRefused) as refused:
        service(certificate=issued, actor=staff_member(roles.REGISTRAR, york), reason="Ordered with stolen card")
    assert refused.value.code == "other_office" and refused.value.status == 403
    assert "outside your offices" in refused.value.message
    issued.refresh_from_db()
    assert issued.revoked_at is None and not hasattr(issued, "reissued_as")
    assert not AuditEntry.objects.filter(action__in=["certificates.revoked", "certificates.reissued"]).exists()


@pytest.mark.parametrize("service", [services.revoke_certificate, services.reissue_certificate])
def test_the_services_refuse_staff_without_the_permission(issued, staff_member, leeds, service):
    with pytest.raises(CertificateRefused) as refused:
        service(certificate=issued, actor=staff_member(roles.PHONE_SUPPORT, leeds), reason="r")
    assert refused.value.code == "not_allowed" and refused.value.status == 403


def test_what_staff_may_do_is_what_the_services_allow(issued, staff_member, leeds, york, leeds_registrar):
    assert services.staff_actions(actor=leeds_registrar, certificate=issued) == {"revoke", "reissue"}
    assert services.staff_actions(actor=staff_member(roles.REGISTRAR, york), certificate=issued) == set()
    assert services.staff_actions(actor=staff_member(roles.PHONE_SUPPORT, leeds), certificate=issued) == set()
    services.revoke_certificate(certificate=issued, actor=leeds_registrar, reason="Issued in error")
    issued.refresh_from_db()
    assert services.staff_actions(actor=leeds_registrar, certificate=issued) == set()


def test_national_roles_and_phone_support_see_every_offices_orders(issued, staff_member, york):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    for user in (staff_member(roles.PHONE_SUPPORT, york), superuser):
        assert selectors.staff_order(user=user, reference=issued.order.reference) == issued.order
    assert selectors.certificate_to_act_on(user=superuser, serial=issued.serial) == issued
    assert selectors.staff_order(user=staff_member(roles.REGISTRAR, york), reference=issued.order.reference) is None
