"""An order's status changes only through the transition table, each change a compare-and-swap:
draft to paid once, paid to issued once, draft to locked after the last wrong set of birth
details; what the person may still do is read from the same table."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import payments, services
from certificates.models import CertificateOrder, Payment, SandboxPayment
from certificates.refusals import OrderRefused
from tests.factories import UserFactory, historic_birth, paid_certificate_order

pytestmark = pytest.mark.django_db

RECENT_BIRTH = {"born": date(2001, 7, 9), "place": "St James's University Hospital, Leeds"}
RIGHT_DETAILS = {
    "date_of_birth": date(2001, 7, 9),
    "place_of_birth": "St James's University Hospital",
    "mother_name": "Mary Smith",
    "father_name": "John Smith",
}


def _draft(entry=None, person=None) -> CertificateOrder:
    return services.start_order(
        person=person or UserFactory(), entry=entry or historic_birth(), kind="full_birth", copies=1
    )


def test_every_status_but_the_first_is_reached_by_one_transition():
    targets = {target for _sources, target in CertificateOrder.TRANSITIONS.values()}
    assert targets | {CertificateOrder.Status.DRAFT} == set(CertificateOrder.Status.values)


def test_a_transition_happens_once_and_a_stale_copy_loses():
    order = _draft()
    stale = CertificateOrder.objects.get(pk=order.pk)
    assert services.transition(order, "pay", paid_at=timezone.now()) is True
    assert services.transition(stale, "pay", paid_at=timezone.now()) is False
    assert services.transition(stale, "lock") is False
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.PAID


def test_an_order_is_issued_only_from_paid():
    order = _draft()
    assert services.transition(order, "issue") is False
    assert services.issue_order(order_id=order.pk).status == CertificateOrder.Status.DRAFT
    paid = paid_certificate_order(historic_birth())
    assert services.issue_order(order_id=paid.pk).status == CertificateOrder.Status.ISSUED
    assert services.transition(paid, "issue") is False  # this copy still says paid; the row is issued


def test_the_person_may_change_only_an_open_order():
    order = _draft()
    assert order.is_open and order.allows("lock")
    services.transition(order, "pay", paid_at=timezone.now())
    assert not order.is_open
    with pytest.raises(OrderRefused) as refused:
        services.change_order(order=order, kind="short_birth", copies=2)
    assert refused.value.code == "already_paid" and refused.value.order_closed
    with pytest.raises(OrderRefused):
        services.save_applicant(order=order, name="X", email="x@example.com", address="1 Road", postcode="LS1 3AD")
    assert CertificateOrder.objects.get(pk=order.pk).copies == 1


def test_a_stale_copy_of_a_paid_order_cannot_change_it():
    order = _draft()
    stale = CertificateOrder.objects.get(pk=order.pk)
    services.transition(order, "pay", paid_at=timezone.now())
    with pytest.raises(OrderRefused) as refused:
        services.change_order(order=stale, kind="short_birth", copies=2)
    assert refused.value.code == "already_paid"
    assert CertificateOrder.objects.get(pk=order.pk).kind == "full_birth"


def test_the_last_wrong_details_lock_the_order_and_nothing_more_can_be_done(settings):
    settings.CERTIFICATE_DETAIL_ATTEMPTS = 2
    order = _draft(historic_birth(**RECENT_BIRTH))
    wrong = {**RIGHT_DETAILS, "mother_name": "Anne Smith"}
    with pytest.raises(OrderRefused) as refused:
        services.confirm_birth_details(order=order, **wrong)
    assert refused.value.code == "details_do_not_match"
    with pytest.raises(OrderRefused) as refused:
        services.confirm_birth_details(order=order, **wrong)
    assert refused.value.code == "too_many_attempts" and refused.value.order_closed
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.LOCKED and not order.is_open
    for attempt in (
        lambda: services.confirm_birth_details(order=order, **RIGHT_DETAILS),
        lambda: services.change_order(order=order, kind="short_birth", copies=1),
        lambda: services.start_payment(order=order, return_url=lambda token: f"http://testserver/{token}"),
    ):
        with pytest.raises(OrderRefused):
            attempt()
    order.refresh_from_db()
    assert order.details_confirmed_at is None and not order.payments.exists()


def test_matched_details_stay_matched(settings):
    settings.CERTIFICATE_DETAIL_ATTEMPTS = 1
    order = _draft(historic_birth(**RECENT_BIRTH))
    services.confirm_birth_details(order=order, **RIGHT_DETAILS)
    again = services.confirm_birth_details(order=order, **{**RIGHT_DETAILS, "mother_name": "Wrong"})
    assert again.details_confirmed_at is not None and again.status == CertificateOrder.Status.DRAFT


def test_a_locked_order_is_left_out_of_the_persons_list_and_its_page_says_why(client, settings):
    settings.CERTIFICATE_DETAIL_ATTEMPTS = 1
    person = UserFactory()
    client.force_login(person)
    order = _draft(historic_birth(**RECENT_BIRTH), person=person)
    with pytest.raises(OrderRefused):
        services.confirm_birth_details(order=order, **{**RIGHT_DETAILS, "mother_name": "Wrong"})
    assert order.reference not in client.get(reverse("certificates:mine")).content.decode()
    page = client.get(reverse("certificates:order", args=[order.reference]))
    assert page.status_code == 200 and "did not match the entry too many times" in page.content.decode()
    for name in ("certificate", "details", "applicant", "check"):
        assert client.get(reverse(f"certificates:{name}", args=[order.reference])).url == reverse(
            "certificates:order", args=[order.reference]
        )


def test_pressing_pay_after_paying_at_the_provider_records_the_payment(django_capture_on_commit_callbacks):
    person = UserFactory()
    order = services.save_applicant(
        order=_draft(person=person), name="Robin", email="robin@example.com", address="1 High St", postcode="LS1 3AD"
    )
    payment = services.start_payment(order=order, return_url=lambda token: f"http://testserver/return/{token}")
    payments.pay_in_sandbox(payment_id=payment.provider_payment_id, card_number=payments.SandboxProvider.SUCCESS_CARD)
    assert SandboxPayment.objects.get(payment_id=payment.provider_payment_id).status == "success"
    # The person never came back from the provider, and presses "Pay" again on the old page.
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(OrderRefused) as refused:
            services.start_payment(order=order, return_url=lambda token: f"http://testserver/return/{token}")
    assert refused.value.code == "already_paid"
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED
    assert order.payments.get().status == Payment.Status.SUCCESS
