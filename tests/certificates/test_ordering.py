"""Ordering and paying: certificate and copies, the 50-year details checked against the entry,
the applicant, check answers, payment through the sandbox provider (success, decline, cancel),
a return from the provider verified with the provider (a forged or repeated return changes
nothing), and the download. GOV.UK Pay is tested against its published API description in
test_pay_contract.py."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import services
from certificates.models import Certificate, CertificateOrder, Payment, SandboxPayment
from identity.models import OutboundMessage
from tests.factories import UserFactory, historic_birth, historic_death

pytestmark = pytest.mark.django_db

APPLICANT = {
    "full_name": "Robin Applicant",
    "email": "robin@example.com",
    "address": "1 High Street\nLeeds",
    "postcode": "ls1 3ad",
}


def _line(entry):
    return entry.index_names.first()


def _order_to_check(client, entry, kind="full_birth", copies=1) -> CertificateOrder:
    response = client.post(
        reverse("certificates:order-start", args=[_line(entry).pk]), {"kind": kind, "copies": copies}
    )
    assert response.status_code == 302
    order = CertificateOrder.objects.latest("id")
    if "/details/" in response.url:
        return order
    response = client.post(reverse("certificates:applicant", args=[order.reference]), APPLICANT)
    assert response.url == reverse("certificates:check", args=[order.reference])
    return order


def _pay(client, order) -> SandboxPayment:
    response = client.post(reverse("certificates:pay", args=[order.reference]))
    assert response.status_code == 302 and "/payments/sandbox/" in response.url
    return SandboxPayment.objects.get(payment_id=response.url.rstrip("/").split("/")[-1])


def _card(client, sandbox_payment, number):
    response = client.post(
        reverse("certificates:sandbox-pay", args=[sandbox_payment.payment_id]),
        {"card_number": number, "name_on_card": "R Applicant"},
    )
    return response


def test_order_pay_in_the_sandbox_and_download_the_signed_pdf(client, person, django_capture_on_commit_callbacks):
    entry = historic_birth(born=date(1950, 3, 14))
    order = _order_to_check(client, entry, copies=2)
    check = client.get(reverse("certificates:check", args=[order.reference]))
    assert "£25.00" in check.content.decode() and "2 copies at £12.50 each" in check.content.decode()
    sandbox = _pay(client, order)
    response = _card(client, sandbox, "4444 3333 2222 1111")
    assert response.status_code == 302
    assert response.url.startswith("http://testserver/certificates/orders/")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(response.url)
    assert response.url == reverse("certificates:order", args=[order.reference])
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED  # eager Celery in tests
    page = client.get(response.url)
    html = page.content.decode()
    # Two copies: the page speaks of them in the plural.
    assert "Your certificates are ready" in html and 'http-equiv="refresh"' not in html
    assert "Your certificate is ready" not in html
    certificates = list(order.certificates.all())
    assert len(certificates) == 2
    download = client.get(reverse("certificates:download", args=[order.reference, certificates[0].serial]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert OutboundMessage.objects.filter(to="robin@example.com", subject__contains=order.reference).count() == 1


def test_the_certificate_page_asks_its_question_once_as_its_heading(client, person):
    html = client.get(reverse("certificates:order-start", args=[_line(historic_birth()).pk])).content.decode()
    assert html.count("Which certificate do you need?") == 2  # the title and the heading
    heading = html.index("<h1")
    assert "<legend" in html[heading - 200 : heading] and html.count("<h1") == 1


def test_one_copy_is_ready_in_the_singular(client, person, django_capture_on_commit_callbacks):
    order = _order_to_check(client, historic_birth())
    sandbox = _pay(client, order)
    response = _card(client, sandbox, "4444 3333 2222 1111")
    with django_capture_on_commit_callbacks(execute=True):
        client.get(response.url)
    html = client.get(reverse("certificates:order", args=[order.reference])).content.decode()
    assert "Your certificate is ready" in html and "certificates are ready" not in html


def test_the_waiting_page_refreshes_itself_until_the_pdf_is_ready(client, person, settings):
    order = _order_to_check(client, historic_birth())
    CertificateOrder.objects.filter(pk=order.pk).update(status=CertificateOrder.Status.PAID, paid_at=timezone.now())
    html = client.get(reverse("certificates:order", args=[order.reference])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html and "being made" in html


def test_a_declined_card_takes_no_payment_and_the_order_can_be_paid_again(
    client, person, django_capture_on_commit_callbacks
):
    order = _order_to_check(client, historic_birth())
    sandbox = _pay(client, order)
    response = client.get(_card(client, sandbox, "4000000000000002").url)
    assert "Your card was declined" in response.content.decode()
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.DRAFT
    assert order.payments.get().status == Payment.Status.FAILED
    second = _pay(client, order)
    assert second.payment_id != sandbox.payment_id
    with django_capture_on_commit_callbacks(execute=True):
        client.get(_card(client, second, "4444333322221111").url)
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.ISSUED


def test_cancelling_at_the_provider_takes_no_payment(client, person):
    order = _order_to_check(client, historic_birth())
    sandbox = _pay(client, order)
    response = client.post(reverse("certificates:sandbox-pay", args=[sandbox.payment_id]), {"cancel": "1"})
    page = client.get(response.url)
    assert "You cancelled the payment" in page.content.decode()
    assert order.payments.get().status == Payment.Status.CANCELLED
    assert not Certificate.objects.exists()


def test_an_unknown_card_in_the_sandbox_is_a_clear_error(client, person):
    order = _order_to_check(client, historic_birth())
    sandbox = _pay(client, order)
    response = _card(client, sandbox, "1234567890123")
    assert response.status_code == 400 and "use 4444333322221111" in response.content.decode()
    response = _card(client, sandbox, "not a card")
    assert response.status_code == 400 and "12 to 19 digits" in response.content.decode()


def test_a_forged_return_url_does_not_mark_the_order_paid(client, person):
    order = _order_to_check(client, historic_birth())
    _pay(client, order)
    payment = order.payments.get()
    # Coming back without paying, with a made-up "success" in the address: the provider is asked.
    response = client.get(
        reverse("certificates:payment-return", args=[order.reference, payment.return_token]) + "?status=success"
    )
    assert response.status_code == 409 and "has not been completed" in response.content.decode()
    # A token that is not this payment's is a 404.
    assert client.get(reverse("certificates:payment-return", args=[order.reference, "forged-token"])).status_code == 404
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.DRAFT and not Certificate.objects.exists()


def test_a_repeated_return_issues_once(client, person, django_capture_on_commit_callbacks):
    order = _order_to_check(client, historic_birth())
    sandbox = _pay(client, order)
    return_url = _card(client, sandbox, "4444333322221111").url
    with django_capture_on_commit_callbacks(execute=True):
        client.get(return_url)
    serials = list(Certificate.objects.values_list("serial", flat=True))
    assert len(serials) == 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.get(return_url)
        client.get(return_url)
    assert callbacks == []  # nothing more to issue
    assert list(Certificate.objects.values_list("serial", flat=True)) == serials
    assert Payment.objects.filter(status=Payment.Status.SUCCESS).count() == 1


def test_pressing_pay_twice_starts_one_payment(client, person):
    order = _order_to_check(client, historic_birth())
    first = _pay(client, order)
    second = _pay(client, order)
    assert first.payment_id == second.payment_id
    assert order.payments.count() == 1


def test_a_paid_order_cannot_be_paid_again(client, person):
    order = _order_to_check(client, historic_birth())
    client.get(_card(client, _pay(client, order), "4444333322221111").url)
    response = client.post(reverse("certificates:pay", args=[order.reference]))
    assert response.url == reverse("certificates:order", args=[order.reference])
    assert order.payments.count() == 1


def test_someone_elses_order_is_not_found(client, person):
    other = services.start_order(person=UserFactory(), entry=historic_birth(), kind="full_birth", copies=1)
    for name in ("order", "check", "applicant", "details", "certificate"):
        assert client.get(reverse(f"certificates:{name}", args=[other.reference])).status_code == 404
    assert client.post(reverse("certificates:pay", args=[other.reference])).status_code == 404


def test_ordering_needs_sign_in(client):
    entry = historic_birth()
    response = client.get(reverse("certificates:order-start", args=[_line(entry).pk]))
    assert response.status_code == 302 and "sign-in" in response.url


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "", "copies": "1"}, "Select the certificate you need"),
        ({"kind": "death", "copies": "1"}, "Select a valid choice"),
        ({"kind": "full_birth", "copies": "0"}, "1 or more"),
        ({"kind": "full_birth", "copies": "11"}, "10 or fewer"),
        ({"kind": "full_birth", "copies": "two"}, "whole number"),
    ],
)
def test_bad_certificate_choices_are_400s(client, person, data, message):
    response = client.post(reverse("certificates:order-start", args=[_line(historic_birth()).pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not CertificateOrder.objects.exists()


def test_the_most_copies_is_the_setting_in_english_and_welsh(client, person, settings):
    settings.CERTIFICATE_MAX_COPIES = 3
    url = reverse("certificates:order-start", args=[_line(historic_birth()).pk])
    response = client.post(url, {"kind": "full_birth", "copies": "4"})
    assert response.status_code == 400 and "Number of copies must be 3 or fewer" in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = client.post(url, {"kind": "full_birth", "copies": "4"})
    assert response.status_code == 400 and "Rhaid i nifer y copïau fod yn 3 neu lai" in response.content.decode()
    assert not CertificateOrder.objects.exists()


def test_a_death_entry_offers_only_a_death_certificate(client, person):
    response = client.get(reverse("certificates:order-start", args=[_line(historic_death()).pk]))
    html = response.content.decode()
    assert "Death certificate" in html and "Full birth certificate" not in html


def test_bad_applicant_details_are_400s_and_keep_what_was_saved(client, person):
    order = _order_to_check(client, historic_birth())
    response = client.post(
        reverse("certificates:applicant", args=[order.reference]), {**APPLICANT, "email": "nope", "postcode": "ZZZ"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "correct format" in html and "real postcode" in html
    order.refresh_from_db()
    assert order.applicant_email == "robin@example.com" and order.applicant_postcode == "LS1 3AD"


# --- The 50-year rule ------------------------------------------------------------------------------------

RECENT = {"born": date(2001, 7, 9), "place": "St James's University Hospital, Leeds", "forenames": "Zoe"}
DETAILS = {
    "date_of_birth_0": "9",
    "date_of_birth_1": "7",
    "date_of_birth_2": "2001",
    "place_of_birth": "St James's University Hospital",
    "mother_name": "Mary Smith",
    "father_name": "John Smith",
}


def test_a_recent_birth_asks_for_the_details_the_law_requires(client, person):
    order = _order_to_check(client, historic_birth(**RECENT))
    response = client.get(reverse("certificates:check", args=[order.reference]))
    assert response.url == reverse("certificates:details", args=[order.reference])
    response = client.post(reverse("certificates:details", args=[order.reference]), DETAILS)
    assert response.url == reverse("certificates:applicant", args=[order.reference])
    order.refresh_from_db()
    assert order.details_confirmed_at is not None


def test_the_mothers_maiden_name_is_accepted_too(client, person):
    order = _order_to_check(client, historic_birth(**RECENT))
    response = client.post(
        reverse("certificates:details", args=[order.reference]), {**DETAILS, "mother_name": "mary JONES"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        {"date_of_birth_0": "10"},
        {"place_of_birth": "Leeds General Infirmary"},
        {"mother_name": "Anne Smith"},
        {"father_name": ""},
    ],
)
def test_details_that_do_not_match_the_entry_are_refused(client, person, change):
    order = _order_to_check(client, historic_birth(**RECENT))
    response = client.post(reverse("certificates:details", args=[order.reference]), {**DETAILS, **change})
    assert response.status_code == 400 and "do not match the register entry" in response.content.decode()
    assert client.post(reverse("certificates:pay", args=[order.reference])).url == reverse(
        "certificates:details", args=[order.reference]
    )
    assert not Payment.objects.exists()


def test_guessing_the_details_is_stopped_after_a_few_tries(client, person, settings):
    settings.CERTIFICATE_DETAIL_ATTEMPTS = 3
    order = _order_to_check(client, historic_birth(**RECENT))
    details = reverse("certificates:details", args=[order.reference])
    for _ in range(2):
        response = client.post(details, {**DETAILS, "mother_name": "Wrong"})
        assert response.status_code == 400 and "do not match the register entry" in response.content.decode()
    # The last wrong try locks the order: it goes to the order's page, which says why.
    assert client.post(details, {**DETAILS, "mother_name": "Wrong"}).url == reverse(
        "certificates:order", args=[order.reference]
    )
    order.refresh_from_db()
    assert order.status == CertificateOrder.Status.LOCKED
    assert client.post(details, DETAILS).url == reverse("certificates:order", args=[order.reference])
    page = client.get(reverse("certificates:order", args=[order.reference]))
    assert "did not match the entry too many times" in page.content.decode()
    assert client.post(reverse("certificates:pay", args=[order.reference])).url == reverse(
        "certificates:order", args=[order.reference]
    )
    assert not Payment.objects.exists()


def test_an_old_birth_does_not_ask_for_the_details(client, person):
    order = _order_to_check(client, historic_birth(born=date(1950, 1, 1)))
    assert client.get(reverse("certificates:details", args=[order.reference])).url == reverse(
        "certificates:check", args=[order.reference]
    )


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"mother_name": "Mary Smith 1"},
            "Mother's full name must only include letters, spaces, hyphens and apostrophes",
        ),
        ({"mother_name": "M" * 201}, "Mother's full name must be 200 characters or fewer"),
        ({"father_name": "<b>John</b>"}, "Father's or other parent's full name must only include letters"),
        ({"father_name": "--"}, "Father's or other parent's full name must include at least one letter"),
    ],
)
def test_the_details_names_follow_the_name_rule(client, person, change, message):
    order = _order_to_check(client, historic_birth(**RECENT))
    response = client.post(reverse("certificates:details", args=[order.reference]), {**DETAILS, **change})
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "govuk-error-summary" in html and message in html
    order.refresh_from_db()
    assert order.details_confirmed_at is None and order.details_attempts == 0


def test_an_applicant_name_follows_the_name_rule_and_keeps_what_was_saved(client, person):
    order = _order_to_check(client, historic_birth())
    url = reverse("certificates:applicant", args=[order.reference])
    for name, message in (
        ("Robin 2", "Full name must only include letters, spaces, hyphens and apostrophes"),
        ("R" * 201, "Full name must be 200 characters or fewer"),
    ):
        response = client.post(url, {**APPLICANT, "full_name": name})
        assert response.status_code == 400 and message in response.content.decode()
    order.refresh_from_db()
    assert order.applicant_name == "Robin Applicant"
    client.post(url, {**APPLICANT, "full_name": "  Zoë   Ní Bhriain "})
    order.refresh_from_db()
    assert order.applicant_name == "Zoë Ní Bhriain"
