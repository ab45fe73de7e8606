"""Payment providers, on the shape of GOV.UK Pay's API: create a payment (amount, reference,
description, return URL) and get back its id and the hosted page to send the person to; later
query the payment for its state. `SandboxProvider` runs inside the service (the default);
`GovukPayProvider` talks to GOV.UK Pay. Chosen by the PAYMENT_PROVIDER setting."""

from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from urllib.parse import quote

import requests
from django.conf import settings
from django.urls import reverse

from .models import SandboxPayment

logger = logging.getLogger(__name__)

# GOV.UK Pay's states from which a payment moves no further.
FINISHED_STATES = frozenset({"success", "failed", "cancelled", "error"})
# The payment page languages GOV.UK Pay offers (CreateCardPaymentRequest.language).
LANGUAGES = frozenset({"en", "cy"})


class ProviderError(Exception):
    """The provider did not do what was asked. `status` is its HTTP status (None when it did not
    answer); `code` and `field` are from its error body (GOV.UK Pay's P-codes), never its
    description, which may repeat what was sent."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "", field: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.field = field


class ProviderUnavailable(ProviderError):
    """The provider did not answer in time, could not be reached, was too busy (429) or failed
    on its side (5xx): trying again later can help. A create that ended this way charged
    nobody, and trying it again with the same idempotency key gets the one payment."""


class ProviderRejected(ProviderError):
    """The provider refused the request and would refuse it again: a missing or wrong API key
    (401), a request it cannot accept (400, 422), an idempotency key already used for another
    request (409), a payment it does not know (404), or an answer that breaks its own contract.
    Trying again cannot help; someone must look."""


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
    """A provider with its own hosted payment page at /payments/sandbox/<id>/ and test cards.
    Its payments are rows in the service's own database, written in the caller's transaction,
    so a create that fails leaves nothing behind and the idempotency key is not needed."""

    name = "sandbox"
    SUCCESS_CARD = "4444333322221111"
    DECLINED_CARD = "4000000000000002"

    def create_payment(
        self,
        *,
        amount_pence: int,
        reference: str,
        description: str,
        return_url: str,
        language: str = "en",
        idempotency_key: str = "",
    ) -> ProviderPayment:
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
            raise ProviderRejected("unknown payment", status=404)
        return ProviderPayment(payment_id=payment.payment_id, status=payment.status, amount_pence=payment.amount_pence)


class GovukPayProvider:
    """GOV.UK Pay's public API (POST /v1/payments, GET /v1/payments/{paymentId}), held to its
    published description (certificates/data/govuk-pay-publicapi-openapi.json). A create
    carries an Idempotency-Key, so trying it again after a timeout returns the payment the
    first try made instead of making a second. Answers that trying again can fix (timeouts,
    connection failures, 429, 5xx) are tried again a bounded number of times with a growing
    wait and then raise ProviderUnavailable; the others raise ProviderRejected at once."""

    name = "govuk_pay"

    def __init__(self) -> None:
        self.base = settings.GOVUK_PAY_API_URL
        self.timeout = settings.GOVUK_PAY_TIMEOUT_SECONDS
        self.attempts = max(1, settings.GOVUK_PAY_ATTEMPTS)
        self.backoff = settings.GOVUK_PAY_RETRY_BACKOFF_SECONDS
        self.headers = {
            "Authorization": f"Bearer {settings.GOVUK_PAY_API_KEY}",
            "Accept": "application/json",
        }

    def _call(self, method: str, path: str, *, json: dict | None = None, idempotency_key: str = "") -> dict:
        headers = dict(self.headers)
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        # A create sent again without its key could make a second payment: only a GET or a
        # keyed create is tried again.
        attempts = self.attempts if method == "GET" or idempotency_key else 1
        attempt = 1
        while True:
            try:
                return self._call_once(method, path, headers=headers, json=json)
            except ProviderUnavailable as error:
                if attempt >= attempts:
                    raise
                logger.warning(
                    "GOV.UK Pay %s %s: %s (try %s of %s); trying again", method, path, error, attempt, attempts
                )
                time.sleep(self.backoff * 2 ** (attempt - 1))
                attempt += 1

    def _call_once(self, method: str, path: str, *, headers: dict, json: dict | None) -> dict:
        try:
            response = requests.request(
                method, self.base + path, headers=headers, json=json, timeout=self.timeout, allow_redirects=False
            )
        except requests.RequestException as error:
            raise ProviderUnavailable(f"GOV.UK Pay did not answer ({type(error).__name__})") from error
        status = response.status_code
        if 200 <= status < 300:
            try:
                body = response.json()
            except ValueError as error:
                raise ProviderRejected("GOV.UK Pay's answer is not JSON", status=status) from error
            if not isinstance(body, dict):
                raise ProviderRejected("GOV.UK Pay's answer is not a JSON object", status=status)
            return body
        details = _error_details(response)
        if status == 429 or status >= 500:
            raise ProviderUnavailable(f"GOV.UK Pay answered {status}", status=status, **details)
        raise ProviderRejected(f"GOV.UK Pay answered {status}", status=status, **details)

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
            raise ProviderRejected("GOV.UK Pay's answer is missing fields") from error

    def create_payment(
        self,
        *,
        amount_pence: int,
        reference: str,
        description: str,
        return_url: str,
        language: str = "en",
        idempotency_key: str = "",
    ) -> ProviderPayment:
        if language not in LANGUAGES:
            raise ValueError(f"GOV.UK Pay has no payment pages in {language!r}")
        body = self._call(
            "POST",
            "/v1/payments",
            json={
                "amount": amount_pence,
                "reference": reference,
                "description": description,
                "return_url": return_url,
                "language": language,
            },
            idempotency_key=idempotency_key,
        )
        return self._payment(body)

    def get_payment(self, payment_id: str) -> ProviderPayment:
        return self._payment(self._call("GET", f"/v1/payments/{quote(payment_id, safe='')}"))


def _error_details(response: requests.Response) -> dict:
    """`code` and `field` of GOV.UK Pay's error body (RequestError, ErrorResponse), when it sent one."""
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    return {"code": str(body.get("code") or "")[:20], "field": str(body.get("field") or body.get("header") or "")[:40]}


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
