"""Payment providers, on the shape of GOV.UK Pay's API: create a payment (amount, reference,
description, return URL) and get back its id and the hosted page to send the person to; later
query the payment for its state. `SandboxProvider` runs inside the service (the default);
`GovukPayProvider` talks to GOV.UK Pay. Chosen by the PAYMENT_PROVIDER setting."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import requests
from django.conf import settings
from django.urls import reverse

from .models import SandboxPayment

# GOV.UK Pay's states from which a payment moves no further.
FINISHED_STATES = frozenset({"success", "failed", "cancelled", "error"})


class ProviderUnavailable(Exception):
    """The provider did not answer in time, or answered with an error: try again later."""


@dataclass(frozen=True)
class ProviderPayment:
    payment_id: str
    status: str  # GOV.UK Pay's state.status: created, started, submitted, capturable, success, failed, cancelled, error
    next_url: str = ""
    amount_pence: int | None = None

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATES


class SandboxProvider:
    """A provider with its own hosted payment page at /payments/sandbox/<id>/ and test cards."""

    name = "sandbox"
    SUCCESS_CARD = "4444333322221111"
    DECLINED_CARD = "4000000000000002"

    def create_payment(self, *, amount_pence: int, reference: str, description: str, return_url: str):
        payment = SandboxPayment.objects.create(
            payment_id=secrets.token_urlsafe(18),
            amount_pence=amount_pence,
            reference=reference,
            description=description,
            return_url=return_url,
        )
        return ProviderPayment(
            payment_id=payment.payment_id,
            status=payment.status,
            next_url=settings.SITE_URL + reverse("certificates:sandbox-pay", args=[payment.payment_id]),
        )

    def get_payment(self, payment_id: str) -> ProviderPayment:
        payment = SandboxPayment.objects.filter(payment_id=payment_id).first()
        if payment is None:
            raise ProviderUnavailable("unknown payment")
        return ProviderPayment(payment_id=payment.payment_id, status=payment.status, amount_pence=payment.amount_pence)


class GovukPayProvider:
    """GOV.UK Pay's public API (POST /v1/payments, GET /v1/payments/{id}) with the service's
    API key. Timeouts and 5xx answers become ProviderUnavailable."""

    name = "govuk_pay"

    def __init__(self) -> None:
        self.base = settings.GOVUK_PAY_API_URL
        self.timeout = settings.GOVUK_PAY_TIMEOUT_SECONDS
        self.headers = {
            "Authorization": f"Bearer {settings.GOVUK_PAY_API_KEY}",
            "Accept": "application/json",
        }

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = requests.request(method, self.base + path, headers=self.headers, timeout=self.timeout, **kwargs)
        except requests.RequestException as error:
            raise ProviderUnavailable(str(error)) from error
        if response.status_code >= 400:
            raise ProviderUnavailable(f"GOV.UK Pay answered {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise ProviderUnavailable("GOV.UK Pay sent something that is not JSON") from error

    @staticmethod
    def _payment(body: dict) -> ProviderPayment:
        try:
            return ProviderPayment(
                payment_id=str(body["payment_id"]),
                status=str(body["state"]["status"]),
                next_url=str(((body.get("_links") or {}).get("next_url") or {}).get("href") or ""),
                amount_pence=int(body["amount"]) if body.get("amount") is not None else None,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ProviderUnavailable("GOV.UK Pay's answer is missing fields") from error

    def create_payment(self, *, amount_pence: int, reference: str, description: str, return_url: str):
        body = self._call(
            "POST",
            "/v1/payments",
            json={"amount": amount_pence, "reference": reference, "description": description, "return_url": return_url},
        )
        return self._payment(body)

    def get_payment(self, payment_id: str) -> ProviderPayment:
        return self._payment(self._call("GET", f"/v1/payments/{payment_id}"))


PROVIDERS = {"sandbox": SandboxProvider, "govuk_pay": GovukPayProvider}


def get_provider(name: str | None = None):
    return PROVIDERS[name or settings.PAYMENT_PROVIDER]()


class SandboxCardRefused(Exception):
    """Not one of the sandbox's test cards."""


def pay_in_sandbox(*, payment_id: str, card_number: str | None) -> SandboxPayment:
    """The sandbox's hosted page: the success card pays, the declined card fails, no card
    (the cancel button) cancels. A payment that has finished stays as it is."""
    payment = SandboxPayment.objects.select_for_update().get(payment_id=payment_id)
    if payment.status != SandboxPayment.Status.CREATED:
        return payment
    if card_number is None:
        payment.status = SandboxPayment.Status.CANCELLED
    elif card_number == SandboxProvider.SUCCESS_CARD:
        payment.status = SandboxPayment.Status.SUCCESS
    elif card_number == SandboxProvider.DECLINED_CARD:
        payment.status = SandboxPayment.Status.FAILED
    else:
        raise SandboxCardRefused(card_number)
    payment.card_last_digits = (card_number or "")[-4:]
    payment.save(update_fields=["status", "card_last_digits"])
    return payment
