"""The checkers that ask real providers over HTTPS, each to the contract in contracts/*.json:
a JSON body POSTed over HTTPS (plain HTTP only to this machine) with 'Authorization: Bearer <key>',
nothing personal in the URL, and an answer checked against the response schema before anything is
read from it.

A provider's failure never raises: no answer in IDENTITY_CHECKER_TIMEOUT_SECONDS, no connection,
a refused key (401/403), too many requests (429), a fault (5xx), a status the contract does not
document, or an answer that is not JSON of the documented shape each become an "unavailable"
result with its reason code, which scores nothing. Only the reason code and the HTTP status are
logged, never what was sent or answered, which is personal data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings
from urllib3.exceptions import ReadTimeoutError

from . import (
    CheckResult,
    DocumentFacts,
    Kind,
    KnowledgeQuestion,
    KnowledgeSession,
    Outcome,
    PersonFacts,
)
from . import reasons as codes
from .payloads import (
    IDENTIFIER,
    UNAVAILABLE_SESSION,
    answers_body,
    document_platform_body,
    licence_body,
    passport_body,
    person_body,
    validator,
)

logger = logging.getLogger(__name__)

SUCCESS = frozenset({200, 201})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


def _private(url: str) -> bool:
    """Personal data goes only over HTTPS, or to a stand-in provider on this machine."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


@dataclass(frozen=True)
class Answer:
    """A provider's answer valid against its schema (`body`), or why there is none (`reason`)."""

    body: dict | None = None
    reason: str = ""


class _Provider:
    name = "Provider"
    sandbox = False
    url_setting = ""
    key_setting = ""

    def _post(self, path: str, payload: dict, *, schema: str, statuses: dict[int, str] | None = None) -> Answer:
        base = getattr(settings, self.url_setting, "")
        key = getattr(settings, self.key_setting, "")
        if not base or not key:
            return self._failed(codes.PROVIDER_NOT_CONFIGURED, level=logging.ERROR)
        if not _private(base):
            return self._failed(codes.PROVIDER_NOT_CONFIGURED, level=logging.ERROR, problem="its URL is not https")
        try:
            response = requests.post(
                base.rstrip("/") + path,
                json=payload,
                headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
                timeout=settings.IDENTITY_CHECKER_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            return self._failed(codes.PROVIDER_TIMEOUT)
        except requests.ConnectionError as error:
            # requests reports a provider that stops in the middle of its answer as a broken
            # connection; it is a timeout all the same.
            stalled = any(isinstance(arg, ReadTimeoutError) for arg in error.args)
            return self._failed(codes.PROVIDER_TIMEOUT if stalled else codes.PROVIDER_UNREACHABLE)
        except requests.RequestException:
            return self._failed(codes.PROVIDER_UNREACHABLE)
        status = response.status_code
        if status not in SUCCESS:
            return self._failed(self._status_reason(status, statuses or {}), status=status)
        try:
            body = response.json()
        except ValueError:
            return self._failed(codes.PROVIDER_BAD_RESPONSE, status=status, problem="not JSON")
        error = next(iter(validator(schema).iter_errors(body)), None)
        if error is not None:
            # The path and the rule broken say what is wrong without repeating the value.
            return self._failed(
                codes.PROVIDER_BAD_RESPONSE, status=status, problem=f"{error.json_path} breaks '{error.validator}'"
            )
        return Answer(body=body)

    @staticmethod
    def _status_reason(status: int, statuses: dict[int, str]) -> str:
        if status in statuses:
            return statuses[status]
        if status in (401, 403):
            return codes.PROVIDER_REFUSED
        if status == 429:
            return codes.PROVIDER_RATE_LIMITED
        if status >= 500:
            return codes.PROVIDER_ERROR
        return codes.PROVIDER_BAD_RESPONSE

    def _failed(self, reason: str, *, status: int | None = None, problem: str = "", level=logging.WARNING) -> Answer:
        logger.log(
            level,
            "%s unavailable: %s (HTTP status %s)%s",
            self.name,
            reason,
            status if status is not None else "none",
            f": {problem}" if problem else "",
        )
        return Answer(reason=reason)

    def _result(self, kind: str, outcome: str, details: dict | None = None, reasons: tuple[str, ...] = ()):
        return CheckResult(
            kind=str(kind),
            outcome=str(outcome),
            provider=self.name,
            sandbox=False,
            details=details or {},
            reasons=reasons,
        )

    def _unavailable(self, kind: str, reason: str) -> CheckResult:
        return self._result(kind, Outcome.UNAVAILABLE, reasons=(reason,))


def _mapped(found: list[str], known: dict[str, str], default: str) -> tuple[str, ...]:
    """The provider's codes in this service's words; one it does not document becomes `default`."""
    mapped = tuple(dict.fromkeys(known.get(code, default) for code in found))
    return mapped or (default,)


class HttpDocumentPlatform(_Provider):
    """A commercial identity-verification platform (the shape of Onfido, Persona, Yoti): the
    document photo and an optional selfie in one request; back come document authenticity and,
    with a selfie, liveness and a face match. Images go base64 in the JSON, as these platforms'
    JSON APIs take them, so one schema checks the whole request."""

    name = "Identity document platform"
    url_setting = "IDENTITY_DOCUMENT_PLATFORM_URL"
    key_setting = "IDENTITY_DOCUMENT_PLATFORM_KEY"
    PATH = "/v1/checks"

    DOCUMENT_REASONS = {
        "security_features": codes.DOCUMENT_NOT_GENUINE,
        "tampering": codes.DOCUMENT_TAMPERED,
        "data_inconsistent": codes.DOCUMENT_DATA_INCONSISTENT,
        "unreadable": codes.DOCUMENT_UNREADABLE,
        "unsupported_document": codes.DOCUMENT_UNSUPPORTED,
    }
    LIVENESS_REASONS = {"spoof": codes.LIVENESS_FAILED, "no_face": codes.FACE_NOT_FOUND}
    FACE_REASONS = {"no_match": codes.FACE_NO_MATCH, "no_face": codes.FACE_NOT_FOUND}

    def check_document(
        self, *, document: DocumentFacts, document_image: bytes, selfie: bytes | None
    ) -> list[CheckResult]:
        payload = document_platform_body(document=document, document_image=document_image, selfie=selfie)
        kinds = payload["checks"]
        answer = self._post(self.PATH, payload, schema="document-platform-response")
        if answer.body is None:
            return [self._unavailable(kind, answer.reason) for kind in kinds]
        body = answer.body
        part = body["document"]
        results = [
            self._part(
                Kind.DOCUMENT_AUTHENTICITY,
                part,
                {"features": list(part["features"])} if "features" in part else {},
                self.DOCUMENT_REASONS,
                failed=codes.DOCUMENT_NOT_GENUINE,
                unprocessable=codes.DOCUMENT_UNREADABLE,
            )
        ]
        if not selfie:
            return results
        for kind, known, failed in (
            (Kind.LIVENESS.value, self.LIVENESS_REASONS, codes.LIVENESS_FAILED),
            (Kind.FACE_MATCH.value, self.FACE_REASONS, codes.FACE_NO_MATCH),
        ):
            part = body.get(kind)
            if part is None:
                self._failed(codes.PROVIDER_BAD_RESPONSE, status=200, problem=f"no {kind} result for a selfie")
                results.append(self._unavailable(kind, codes.PROVIDER_BAD_RESPONSE))
                continue
            details = {"score": float(part["score"])} if "score" in part else {}
            if kind == Kind.FACE_MATCH and details:
                details.update(threshold=float(part["threshold"]), method="automated")
            results.append(self._part(kind, part, details, known, failed=failed, unprocessable=codes.FACE_NOT_FOUND))
        return results

    def _part(self, kind, part, details, known, *, failed: str, unprocessable: str) -> CheckResult:
        found = list(part.get("reasons", []))
        if part["result"] == "passed":
            return self._result(kind, Outcome.PASSED, details)
        if part["result"] == "failed":
            return self._result(kind, Outcome.FAILED, details, _mapped(found, known, failed))
        return self._result(kind, Outcome.UNAVAILABLE, {}, _mapped(found, known, unprocessable))


class _HttpIssuer(_Provider):
    PATH = ""
    SCHEMA = ""
    RESULTS = {
        "not_found": codes.ISSUER_NOT_FOUND,
        "cancelled_lost_stolen": codes.ISSUER_CANCELLED_LOST_STOLEN,
        "details_mismatch": codes.ISSUER_DETAILS_MISMATCH,
    }

    def _body(self, *, document: DocumentFacts, person: PersonFacts) -> dict | None:
        raise NotImplementedError

    def validate(self, *, document: DocumentFacts, person: PersonFacts) -> CheckResult:
        kind = Kind.ISSUER_VALIDATION
        payload = self._body(document=document, person=person)
        if payload is None:
            return self._unavailable(kind, codes.DETAILS_INCOMPLETE)
        answer = self._post(self.PATH, payload, schema=self.SCHEMA)
        if answer.body is None:
            return self._unavailable(kind, answer.reason)
        result = answer.body["result"]
        if result == "valid":
            return self._result(kind, Outcome.PASSED, {"result": result})
        details = {"result": result}
        if result == "details_mismatch" and answer.body.get("mismatched"):
            details["mismatched"] = list(answer.body["mismatched"])
        return self._result(kind, Outcome.FAILED, details, (self.RESULTS[result],))


class HttpPassportValidator(_HttpIssuer):
    """HM Passport Office confirms a UK passport (the shape of its Document Checking Service)."""

    name = "HM Passport Office passport check"
    url_setting = "IDENTITY_PASSPORT_VALIDATOR_URL"
    key_setting = "IDENTITY_PASSPORT_VALIDATOR_KEY"
    PATH = "/v1/passports/validations"
    SCHEMA = "passport-response"

    def _body(self, *, document, person):
        return passport_body(document=document, person=person)


class HttpLicenceValidator(_HttpIssuer):
    """DVLA confirms a UK photocard driving licence (the shape of its driver licence check)."""

    name = "DVLA driving licence check"
    url_setting = "IDENTITY_LICENCE_VALIDATOR_URL"
    key_setting = "IDENTITY_LICENCE_VALIDATOR_KEY"
    PATH = "/v1/driving-licences/validations"
    SCHEMA = "driving-licence-response"

    def _body(self, *, document, person):
        return licence_body(document=document, person=person)


class HttpFraudProvider(_Provider):
    """Fraud signals and the identity's history (the shape of CIFAS and credit-reference checks)."""

    name = "Identity fraud provider"
    url_setting = "IDENTITY_FRAUD_PROVIDER_URL"
    key_setting = "IDENTITY_FRAUD_PROVIDER_KEY"
    PATH = "/v1/identity-checks"
    SOURCES = {
        "mortality": codes.FRAUD_MORTALITY,
        "identity_theft": codes.FRAUD_IDENTITY_THEFT,
        "synthetic_identity": codes.FRAUD_SYNTHETIC_IDENTITY,
        "impersonation": codes.FRAUD_IMPERSONATION,
    }

    def check(self, *, person: PersonFacts) -> list[CheckResult]:
        kinds = (Kind.FRAUD, Kind.ACTIVITY)
        payload = person_body(person=person)
        answer = (
            self._post(self.PATH, payload, schema="fraud-response")
            if payload is not None
            else Answer(reason=codes.DETAILS_INCOMPLETE)
        )
        if answer.body is None:
            return [self._unavailable(kind, answer.reason) for kind in kinds]
        body = answer.body
        signals = list(dict.fromkeys(signal["source"] for signal in body["signals"]))
        details = {"sources": list(body["sources_checked"]), "signals": signals}
        if signals:
            fraud = self._result(
                Kind.FRAUD, Outcome.FAILED, details, _mapped(signals, self.SOURCES, codes.FRAUD_SIGNAL)
            )
        else:
            fraud = self._result(Kind.FRAUD, Outcome.PASSED, details)
        months = body["history"]["months"]
        if months:
            activity = self._result(Kind.ACTIVITY, Outcome.PASSED, {"months": months})
        else:
            activity = self._result(Kind.ACTIVITY, Outcome.FAILED, {"months": 0}, (codes.ACTIVITY_NO_HISTORY,))
        return [fraud, activity]


class HttpKnowledgeProvider(_Provider):
    """Knowledge-based verification (the shape of a credit-reference agency's): a session of
    questions, each of a quality the provider knows, then the count right at each quality.

    A session that could not be started has no questions and an id saying why; answering it
    gives that "unavailable" result without asking the provider."""

    name = "Knowledge-based verification provider"
    url_setting = "IDENTITY_KNOWLEDGE_PROVIDER_URL"
    key_setting = "IDENTITY_KNOWLEDGE_PROVIDER_KEY"
    START_PATH = "/v1/sessions"

    def start(self, *, person: PersonFacts) -> KnowledgeSession:
        payload = person_body(person=person)
        if payload is None:
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + codes.DETAILS_INCOMPLETE, questions=())
        answer = self._post(self.START_PATH, payload, schema="knowledge-start-response")
        if answer.body is None:
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + answer.reason, questions=())
        if not answer.body["questions"]:
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + codes.KNOWLEDGE_NO_QUESTIONS, questions=())
        return KnowledgeSession(
            session_id=answer.body["session_id"],
            questions=tuple(
                KnowledgeQuestion(id=question["id"], text=question["text"], choices=tuple(question["choices"]))
                for question in answer.body["questions"]
            ),
        )

    def answer(self, *, session_id: str, answers: dict[str, str]) -> CheckResult:
        kind = Kind.KNOWLEDGE
        if session_id.startswith(UNAVAILABLE_SESSION):
            reason = session_id.removeprefix(UNAVAILABLE_SESSION)
            return self._unavailable(kind, reason if reason in codes.UNAVAILABLE else codes.PROVIDER_BAD_RESPONSE)
        # The id goes into the URL path: only the provider's own opaque form of id is sent.
        if not IDENTIFIER.fullmatch(session_id):
            return self._unavailable(kind, codes.KNOWLEDGE_SESSION_EXPIRED)
        answer = self._post(
            f"{self.START_PATH}/{session_id}/answers",
            answers_body(answers),
            schema="knowledge-answer-response",
            statuses={404: codes.KNOWLEDGE_SESSION_EXPIRED, 410: codes.KNOWLEDGE_SESSION_EXPIRED},
        )
        if answer.body is None:
            return self._unavailable(kind, answer.reason)
        body = answer.body
        details = {"correct": {quality: body["correct"][quality] for quality in ("low", "medium", "high")}}
        details["asked"] = body["asked"]
        if body["result"] == "passed":
            return self._result(kind, Outcome.PASSED, details)
        return self._result(kind, Outcome.FAILED, details, (codes.KNOWLEDGE_ANSWERS_WRONG,))
