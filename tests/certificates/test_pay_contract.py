"""The GOV.UK Pay adapter against GOV.UK Pay's own published API description
(certificates/data/govuk-pay-publicapi-openapi.json). A fake GOV.UK Pay holds every request the
adapter sends (method, path, Authorization, Idempotency-Key, body) and every answer it gives
(successes and each documented error, from the description's examples) to that description,
and each error is handled as it should be: retried where that can help, refused with words
that fit and an operator alert where it cannot."""

from __future__ import annotations

import json
import logging
import re
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from celery.exceptions import Retry
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from certificates import services, tasks
from certificates.models import CertificateOrder, Payment
from certificates.payments import GovukPayProvider, ProviderRejected, ProviderUnavailable
from certificates.refusals import OrderRefused
from certificates.services import payment as payment_services
from tests.factories import historic_birth

pytestmark = pytest.mark.django_db

SPEC_PATH = django_settings.BASE_DIR / "certificates" / "data" / "govuk-pay-publicapi-openapi.json"
SPEC = json.loads(SPEC_PATH.read_text())
SPEC_URI = "urn:govuk-pay-publicapi"
REGISTRY = Registry().with_resource(SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT4))
APPLICANT_NAME = "Robin Applicant"
APPLICANT_EMAIL = "robin.applicant@example.com"


# --- The contract ---------------------------------------------------------------------------------------


def _ref(ref: str) -> dict:
    return {"$ref": SPEC_URI + ref}


def _schema_errors(validator: type, schema: dict, instance: Any) -> list[str]:
    if "$ref" in schema:
        schema = _ref(schema["$ref"])
    return [f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}" for error in
            validator(schema, registry=REGISTRY).iter_errors(instance)]  # fmt: skip


def _operation(method: str, path: str) -> tuple[str, dict] | None:
    """The description's operation for this method and concrete path, with its path template."""
    segments = urlsplit(path).path.split("/")
    for template, operations in SPEC["paths"].items():
        parts = template.split("/")
        if (
            len(parts) == len(segments)
            and method.lower() in operations
            and all(part == segment or (part.startswith("{") and segment) for part, segment in zip(parts, segments))
        ):
            return template, operations[method.lower()]
    return None


def request_violations(method: str, path: str, headers: dict[str, str], body: bytes) -> list[str]:
    """How a request breaks the description: unknown operation, missing or malformed bearer
    token, a header parameter off its schema, a body that is not the operation's request."""
    found = _operation(method, path)
    if found is None:
        return [f"{method} {path} is not an operation of GOV.UK Pay's API"]
    template, operation = found
    violations = []
    for requirement in operation.get("security", SPEC.get("security", [])):
        for scheme_name in requirement:
            scheme = SPEC["components"]["securitySchemes"][scheme_name]
            bearer = scheme["type"] == "http" and scheme["scheme"] == "bearer"
            if bearer and not re.fullmatch(r"Bearer [A-Za-z0-9._~+/=-]+", headers.get("authorization", "")):
                violations.append("Authorization is not a bearer token")
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "header":
            value = headers.get(parameter["name"].lower())
            if value is None:
                if parameter.get("required"):
                    violations.append(f"header {parameter['name']} is missing")
                continue
            violations += [f"header {parameter['name']}: {error}" for error in
                           _schema_errors(OAS30WriteValidator, parameter["schema"], value)]  # fmt: skip
        elif parameter["in"] == "path":
            value = urlsplit(path).path.split("/")[template.split("/").index("{" + parameter["name"] + "}")]
            violations += [f"path {parameter['name']}: {error}" for error in
                           _schema_errors(OAS30WriteValidator, parameter["schema"], value)]  # fmt: skip
    request_body = operation.get("requestBody")
    if request_body is None:
        if body:
            violations.append(f"{method} {template} takes no body")
        return violations
    content_type = headers.get("content-type", "").split(";")[0].strip()
    if content_type not in request_body["content"]:
        return [*violations, f"Content-Type {content_type!r} is not one of {list(request_body['content'])}"]
    try:
        document = json.loads(body)
    except ValueError:
        return [*violations, "the body is not JSON"]
    schema = request_body["content"][content_type]["schema"]
    return violations + _schema_errors(OAS30WriteValidator, schema, document)


def response_violations(method: str, path: str, status: int, content_type: str, body: bytes) -> list[str]:
    """How an answer breaks the description: a status the operation does not document, or a
    body that is not the documented one."""
    found = _operation(method, path)
    if found is None:
        return [f"{method} {path} is not an operation of GOV.UK Pay's API"]
    template, operation = found
    response = operation["responses"].get(str(status)) or operation["responses"].get("default")
    if response is None:
        return [f"{method} {template} does not document the status {status}"]
    if "content" not in response:
        return [] if not body else [f"{status} of {method} {template} has no body"]
    if content_type not in response["content"]:
        return [f"{status} of {method} {template}: Content-Type {content_type!r} is not documented"]
    return _schema_errors(OAS30ReadValidator, response["content"][content_type]["schema"], json.loads(body))


def example_of(schema_name: str, **values: Any) -> dict:
    """A body of one of the description's schemas, from the examples it gives for each field."""
    properties = SPEC["components"]["schemas"][schema_name]["properties"]
    body = {name: field["example"] for name, field in properties.items() if "example" in field}
    body.update(values)
    return body


# The documented errors of each operation, with the description's example bodies and
# GOV.UK Pay's error codes for them.
ERRORS = {
    400: example_of("RequestError", code="P0101", description="Missing mandatory attribute: amount", field="amount"),
    401: None,
    404: example_of("RequestError", code="P0200", description="Not found", field="paymentId"),
    422: example_of("RequestError", code="P0102"),
    429: example_of("ErrorResponse", code="P0900", description="Too many requests"),
    500: example_of("RequestError", code="P0199", description="Downstream system error", field="amount"),
}
for _error in ERRORS.values():
    if _error is not None:
        _error.pop("header", None)


# --- A fake GOV.UK Pay held to the contract ---------------------------------------------------------------


class FakeGovukPay:
    """GOV.UK Pay as far as this service uses it: create (idempotent by Idempotency-Key) and get.
    `answers[operation]` is a queue of scripted answers taken one per request: a documented
    error status, "timeout" (do the work, then answer only after the client has given up) or
    "drop" (close the connection unanswered)."""

    def __init__(self) -> None:
        self.payments: dict[str, dict] = {}
        self.keys: dict[str, str] = {}
        self.requests: list[dict] = []
        self.violations: list[str] = []
        self.answers: dict[str, deque] = {"create": deque(), "get": deque()}
        self.off_contract: set[int] = set()
        self.released = threading.Event()
        self.lock = threading.Lock()

    def requests_of(self, operation: str) -> list[dict]:
        return [request for request in self.requests if request["operation"] == operation]

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in handler.headers.items()}
        operation = "create" if method == "POST" else "get"
        with self.lock:
            self.requests.append({"operation": operation, "path": handler.path, "headers": headers, "body": body})
            self.violations += [f"request {method} {handler.path}: {v}" for v in
                                request_violations(method, handler.path, headers, body)]  # fmt: skip
            answer = self.answers[operation].popleft() if self.answers[operation] else None
        if answer == "drop":
            handler.close_connection = True
            return
        if isinstance(answer, int):
            self.send(handler, method, answer, ERRORS.get(answer))
            return
        status, document = self.create(json.loads(body), headers) if method == "POST" else self.get(handler.path)
        if answer == "timeout":
            self.released.wait(5)
        self.send(handler, method, status, document)

    def create(self, request: dict, headers: dict) -> tuple[int, dict]:
        with self.lock:
            key = headers.get("idempotency-key")
            payment_id = self.keys.get(key) if key else None
            if payment_id is None:
                payment_id = f"pay{len(self.payments) + 1:04d}govukfake"
                self.payments[payment_id] = {**request, "status": "created"}
                if key:
                    self.keys[key] = payment_id
            return 201, self.document(payment_id)

    def get(self, path: str) -> tuple[int, dict]:
        payment_id = path.rsplit("/", 1)[-1]
        if payment_id not in self.payments:
            return 404, ERRORS[404]
        return 200, self.document(payment_id)

    def document(self, payment_id: str) -> dict:
        payment = self.payments[payment_id]
        finished = payment["status"] in ("success", "failed", "cancelled", "error")
        return {
            "payment_id": payment_id,
            "amount": payment["amount"],
            "reference": payment["reference"],
            "description": payment["description"],
            "return_url": payment["return_url"],
            "language": payment.get("language", "en"),
            "created_date": "2026-12-01T10:00:00.000Z",
            "state": {"status": payment["status"], "finished": finished},
            "_links": {
                "self": {"href": f"https://publicapi.example/v1/payments/{payment_id}", "method": "GET"},
                "next_url": {"href": f"https://card.example/secure/{payment_id}", "method": "GET"},
            },
        }

    def send(self, handler: BaseHTTPRequestHandler, method: str, status: int, document: dict | None) -> None:
        data = json.dumps(document).encode() if document is not None else b""
        content_type = "application/json" if document is not None else ""
        if status not in self.off_contract:
            self.violations += [f"response {status} to {method} {handler.path}: {v}" for v in
                                response_violations(method, handler.path, status, content_type, data)]  # fmt: skip
        try:
            handler.send_response(status)
            if content_type:
                handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client had given up (a scripted timeout)


@pytest.fixture
def govuk_pay(settings):
    fake = FakeGovukPay()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):  # noqa: N802
            fake.handle(self, "POST")

        def do_GET(self):  # noqa: N802
            fake.handle(self, "GET")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.GOVUK_PAY_API_URL = f"http://127.0.0.1:{server.server_port}"
    settings.GOVUK_PAY_API_KEY = "api_test_k3y-0123456789abcdef"
    settings.GOVUK_PAY_TIMEOUT_SECONDS = 1.0
    settings.GOVUK_PAY_ATTEMPTS = 2
    settings.GOVUK_PAY_RETRY_BACKOFF_SECONDS = 0.01
    yield fake
    fake.released.set()
    server.shutdown()
    server.server_close()
    assert fake.violations == [], "the adapter and the fake must both keep to GOV.UK Pay's description"


@pytest.fixture
def order(person):
    order = services.start_order(person=person, entry=historic_birth(), kind="full_birth", copies=2)
    return services.save_applicant(
        order=order, name=APPLICANT_NAME, email=APPLICANT_EMAIL, address="1 High Street\nLeeds", postcode="LS1 3AD"
    )


@pytest.fixture
def no_check_tasks(monkeypatch):
    """The tasks a status read that could not be answered enqueues, recorded instead of run."""
    enqueued = []
    monkeypatch.setattr(
        payment_services, "enqueue_or_leave_for_sweeper", lambda task, *args: enqueued.append((task, args))
    )
    return enqueued


def _pay(client, order):
    return client.post(reverse("certificates:pay", args=[order.reference]))


def _return(client, order, payment):
    return client.get(reverse("certificates:payment-return", args=[order.reference, payment.return_token]))


def _alerts(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "registrar.alerts"]


# --- The description and the contract checker ------------------------------------------------------------


def test_the_kept_description_is_a_valid_openapi_document():
    validate_spec(SPEC)
    assert SPEC["info"]["title"] == "GOV.UK Pay API" and SPEC["info"]["version"] == "1.0.3"
    assert (SPEC_PATH.parent / "README.md").read_text().count("MIT") >= 1


@pytest.mark.parametrize(
    "headers, body, broken",
    [
        ({}, {"amount": 100, "reference": "r", "description": "d", "return_url": "https://x"}, "Authorization"),
        (
            {"idempotency-key": "key with spaces"},
            {"amount": 100, "reference": "r", "description": "d", "return_url": "https://x"},
            "Idempotency-Key",
        ),  # fmt: skip
        ({}, {"amount": 100, "reference": "r", "description": "d"}, "return_url"),
        ({}, {"amount": 20_000_000, "reference": "r", "description": "d", "return_url": "https://x"}, "maximum"),
        ({}, {"amount": 100, "reference": "r", "description": "d", "return_url": "https://x", "language": "fr"}, "fr"),
    ],
)
def test_the_contract_checker_catches_a_request_off_the_description(headers, body, broken):
    headers = {"authorization": "Bearer k", "content-type": "application/json", **headers}
    if broken == "Authorization":
        del headers["authorization"]
    violations = request_violations("POST", "/v1/payments", headers, json.dumps(body).encode())
    assert len(violations) == 1 and broken in violations[0]


def test_the_contract_checker_catches_an_answer_off_the_description():
    assert "does not document the status 404" in response_violations("POST", "/v1/payments", 404, "", b"")[0]
    body = json.dumps({"payment_id": 7, "state": {"status": "created"}}).encode()
    assert "is not of type 'string'" in response_violations("GET", "/v1/payments/p1", 200, "application/json", body)[0]
    assert response_violations("DELETE", "/v1/payments/p1", 204, "", b"")


# --- Successes --------------------------------------------------------------------------------------------


def test_a_payment_made_and_confirmed_keeps_to_the_description(
    client, order, govuk_pay, django_capture_on_commit_callbacks
):
    response = _pay(client, order)
    payment = order.payments.get()
    assert response.status_code == 302 and response.url == f"https://card.example/secure/{payment.provider_payment_id}"
    (create,) = govuk_pay.requests_of("create")
    sent = json.loads(create["body"])
    assert create["headers"]["authorization"] == "Bearer api_test_k3y-0123456789abcdef"
    assert sent["amount"] == order.amount_pence and sent["reference"] == order.reference
    return_path = reverse("certificates:payment-return", args=[order.reference, payment.return_token])
    assert sent["return_url"] == "http://testserver" + return_path
    govuk_pay.payments[payment.provider_payment_id]["status"] = "success"
    with django_capture_on_commit_callbacks(execute=True):
        assert _return(client, order, payment).status_code == 302
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED
    (get,) = govuk_pay.requests_of("get")
    assert get["path"] == f"/v1/payments/{payment.provider_payment_id}" and get["body"] == b""


def test_a_person_using_the_service_in_welsh_gets_welsh_payment_pages(client, order, govuk_pay):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "cy"
    assert _pay(client, order).status_code == 302
    assert json.loads(govuk_pay.requests_of("create")[0]["body"])["language"] == "cy"


def test_a_person_using_the_service_in_english_gets_english_payment_pages(client, order, govuk_pay):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert _pay(client, order).status_code == 302
    assert json.loads(govuk_pay.requests_of("create")[0]["body"])["language"] == "en"


def test_every_create_carries_an_idempotency_key_and_a_new_attempt_gets_a_new_one(client, order, govuk_pay):
    _pay(client, order)
    first = order.payments.get()
    govuk_pay.payments[first.provider_payment_id]["status"] = "cancelled"
    _return(client, order, first)
    _pay(client, order)
    keys = [request["headers"].get("idempotency-key") for request in govuk_pay.requests_of("create")]
    assert len(keys) == 2 and all(keys) and keys[0] != keys[1]
    assert order.payments.count() == 2 and len(govuk_pay.payments) == 2


# --- Timeouts and retries: one payment -------------------------------------------------------------------


def test_a_create_retried_after_a_timeout_sends_the_same_key_and_makes_one_payment(client, order, govuk_pay):
    # GOV.UK Pay makes the payment but the answer comes too late, twice: the person is told to
    # try again; when they do, the same key gets the payment the first try made.
    govuk_pay.answers["create"].extend(["timeout", "timeout"])
    response = _pay(client, order)
    assert response.status_code == 503 and "not available" in response.content.decode()
    assert not order.payments.exists()
    response = _pay(client, order)
    assert response.status_code == 302
    keys = {request["headers"]["idempotency-key"] for request in govuk_pay.requests_of("create")}
    assert len(govuk_pay.requests_of("create")) == 3 and len(keys) == 1
    assert len(govuk_pay.payments) == 1
    payment = order.payments.get()
    assert response.url.endswith(payment.provider_payment_id)
    # The payment GOV.UK Pay made on the first try comes back to this row's return URL.
    made = govuk_pay.payments[payment.provider_payment_id]
    assert made["return_url"].endswith(f"/{payment.return_token}/")


@pytest.mark.parametrize("answer", ["timeout", "drop", 429, 500])
def test_a_create_that_retrying_can_fix_is_retried_with_the_same_key(client, order, govuk_pay, caplog, answer):
    govuk_pay.answers["create"].append(answer)
    assert _pay(client, order).status_code == 302
    creates = govuk_pay.requests_of("create")
    assert len(creates) == 2 and creates[0]["headers"]["idempotency-key"] == creates[1]["headers"]["idempotency-key"]
    assert len(govuk_pay.payments) == 1 and order.payments.count() == 1
    assert not _alerts(caplog)


@pytest.mark.parametrize("answer", ["timeout", "drop", 429, 500])
def test_a_create_still_failing_after_its_retries_says_try_again_later_without_an_alert(
    client, order, govuk_pay, caplog, answer
):
    govuk_pay.answers["create"].extend([answer, answer])
    response = _pay(client, order)
    page = response.content.decode()
    assert response.status_code == 503
    assert "The payment service is not available at the moment. You have not been charged." in page
    assert len(govuk_pay.requests_of("create")) == django_settings.GOVUK_PAY_ATTEMPTS
    assert not order.payments.exists() and not _alerts(caplog)


def test_an_unreachable_provider_says_try_again_later(client, order, settings):
    settings.PAYMENT_PROVIDER = "govuk_pay"
    settings.GOVUK_PAY_API_URL = "http://127.0.0.1:9"
    settings.GOVUK_PAY_RETRY_BACKOFF_SECONDS = 0.01
    assert _pay(client, order).status_code == 503


# --- Errors retrying cannot fix: refused, alerted, not retried ------------------------------------------


@pytest.mark.parametrize("status", [400, 401, 422])
def test_a_create_the_provider_refuses_is_not_retried_and_alerts_the_operators(
    client, order, govuk_pay, caplog, status
):
    govuk_pay.answers["create"].append(status)
    with caplog.at_level(logging.ERROR, logger="registrar.alerts"):
        response = _pay(client, order)
    page = response.content.decode()
    assert response.status_code == 502
    assert "Something went wrong when we tried to take payment for this order. You have not been charged." in page
    assert order.reference in page and "not available" not in page
    assert len(govuk_pay.requests_of("create")) == 1 and not order.payments.exists()
    (alert,) = _alerts(caplog)
    message = alert.getMessage()
    assert alert.levelno == logging.ERROR
    assert f"HTTP {status}" in message and f"order {order.pk}" in message
    if ERRORS[status]:
        assert f"code {ERRORS[status]['code']}" in message
    for particular in (APPLICANT_NAME, APPLICANT_EMAIL, "Leeds", "api_test_k3y"):
        assert particular not in message


def test_a_refused_create_is_explained_in_welsh_to_a_welsh_speaker(client, order, govuk_pay):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "cy"
    govuk_pay.answers["create"].append(422)
    page = _pay(client, order).content.decode()
    assert "Aeth rhywbeth o’i le pan geisiwyd cymryd taliad am yr archeb hon. Ni chodwyd tâl arnoch." in page
    assert order.reference in page


def test_an_answer_outside_the_description_is_refused_and_alerted(client, order, govuk_pay, caplog):
    # 409 is not in the description; GOV.UK Pay could still send it (an idempotency conflict).
    govuk_pay.off_contract.add(409)
    govuk_pay.answers["create"].append(409)
    response = _pay(client, order)
    assert response.status_code == 502 and len(govuk_pay.requests_of("create")) == 1
    assert "HTTP 409" in _alerts(caplog)[0].getMessage()


def test_a_successful_answer_missing_its_fields_is_refused_and_alerted(order, govuk_pay, caplog, monkeypatch):
    monkeypatch.setattr(FakeGovukPay, "document", lambda self, payment_id: {"state": {"status": "created"}})
    with pytest.raises(OrderRefused) as refused:
        services.start_payment(order=order, return_url=lambda token: f"https://service.example/{token}")
    assert refused.value.code == "payment_failed" and _alerts(caplog)


# --- Reading a payment's status --------------------------------------------------------------------------


@pytest.mark.parametrize("status", [401, 404])
def test_a_status_read_the_provider_refuses_alerts_and_keeps_the_payment_open(
    client, order, govuk_pay, caplog, no_check_tasks, status
):
    _pay(client, order)
    payment = order.payments.get()
    govuk_pay.answers["get"].append(status)
    response = _return(client, order, payment)
    assert response.status_code == 503 and "Do not pay again" in response.content.decode()
    assert len(govuk_pay.requests_of("get")) == 1 and not no_check_tasks
    (alert,) = _alerts(caplog)
    assert f"HTTP {status}" in alert.getMessage() and f"payment {payment.pk}" in alert.getMessage()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREATED


@pytest.mark.parametrize("answer", ["timeout", 429, 500])
def test_a_status_read_that_retrying_can_fix_is_asked_again_by_a_task(
    client, order, govuk_pay, caplog, no_check_tasks, django_capture_on_commit_callbacks, answer
):
    _pay(client, order)
    payment = order.payments.get()
    govuk_pay.payments[payment.provider_payment_id]["status"] = "success"
    govuk_pay.answers["get"].extend([answer, answer])
    response = _return(client, order, payment)
    assert response.status_code == 503 and "Do not pay again" in response.content.decode()
    assert no_check_tasks == [("certificates.tasks.confirm_payment_task", (payment.pk,))]
    # Pressing "Check again" while GOV.UK Pay is still down queues no second task.
    govuk_pay.answers["get"].extend([answer, answer])
    _return(client, order, payment)
    assert len(no_check_tasks) == 1 and not _alerts(caplog)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.confirm_payment_task.apply(args=[payment.pk]).get() is True
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED


def test_a_payment_paid_while_its_status_could_not_be_read_is_confirmed_by_the_sweeper(
    client, order, govuk_pay, no_check_tasks, django_capture_on_commit_callbacks
):
    _pay(client, order)
    payment = order.payments.get()
    govuk_pay.payments[payment.provider_payment_id]["status"] = "success"
    govuk_pay.answers["get"].extend(["timeout", "timeout"])
    assert _return(client, order, payment).status_code == 503
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREATED
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_open_payments() == 1
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.ISSUED


def test_a_success_for_another_amount_is_not_taken_as_paid(client, order, govuk_pay, caplog):
    _pay(client, order)
    payment = order.payments.get()
    govuk_pay.payments[payment.provider_payment_id].update(status="success", amount=1)
    _return(client, order, payment)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.ERROR
    assert CertificateOrder.objects.get(pk=order.pk).status == CertificateOrder.Status.DRAFT
    (alert,) = _alerts(caplog)
    assert f"Payment {payment.pk}: the provider took 1, not {order.amount_pence}" == alert.getMessage()


def test_the_status_task_retries_only_what_retrying_can_fix(order, govuk_pay):
    payment = services.start_payment(order=order, return_url=lambda token: f"https://service.example/{token}")
    govuk_pay.answers["get"].extend([500, 500])
    with pytest.raises(Retry) as retry:
        tasks.confirm_payment_task.apply(args=[payment.pk], throw=True)
    assert isinstance(retry.value.exc, ProviderUnavailable)
    assert tasks.confirm_payment_task.max_retries == django_settings.CERTIFICATE_PAYMENT_CHECK_RETRIES
    govuk_pay.answers["get"].append(401)
    assert tasks.confirm_payment_task.apply(args=[payment.pk], throw=True).get() is False
    assert len(govuk_pay.requests_of("get")) == 3


def test_the_sweeper_stops_at_the_first_payment_the_provider_does_not_answer_for(order, govuk_pay, person):
    second = services.save_applicant(
        order=services.start_order(person=person, entry=historic_birth(), kind="full_birth", copies=1),
        name=APPLICANT_NAME,
        email=APPLICANT_EMAIL,
        address="1 High Street",
        postcode="LS1 3AD",
    )
    for each in (order, second):
        services.start_payment(order=each, return_url=lambda token: f"https://service.example/{token}")
    Payment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=10))
    govuk_pay.answers["get"].extend([500, 500])
    assert services.confirm_open_payments() == 0
    assert len(govuk_pay.requests_of("get")) == 2  # one payment, tried twice; the other waits


def test_an_open_payment_the_provider_will_not_tell_about_is_not_paid_again(client, order, govuk_pay, caplog):
    _pay(client, order)
    govuk_pay.answers["get"].append(404)
    response = _pay(client, order)
    page = response.content.decode()
    assert response.status_code == 502 and "We could not check the payment you started" in page
    assert order.reference in page and len(govuk_pay.requests_of("create")) == 1
    assert _alerts(caplog)


def test_the_adapter_raises_rejected_for_errors_and_unavailable_for_outages(govuk_pay):
    provider = GovukPayProvider()
    with pytest.raises(ProviderRejected) as rejected:
        provider.get_payment("unknown")
    assert rejected.value.status == 404 and rejected.value.code == "P0200"
    govuk_pay.answers["get"].extend([429, 429])
    with pytest.raises(ProviderUnavailable) as unavailable:
        provider.get_payment("unknown")
    assert unavailable.value.status == 429 and unavailable.value.code == "P0900"


def test_a_create_without_an_idempotency_key_is_never_sent_twice(govuk_pay):
    govuk_pay.answers["create"].append(500)
    with pytest.raises(ProviderUnavailable):
        GovukPayProvider().create_payment(
            amount_pence=1250, reference="CO-TEST", description="d", return_url="https://service.example/r"
        )
    assert len(govuk_pay.requests_of("create")) == 1
