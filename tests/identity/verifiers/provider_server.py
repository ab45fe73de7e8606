"""The identity providers played by a contract server (tests/contract_server.py): their documented
paths, schemas and default answers."""

from __future__ import annotations

from identity.verifiers.payloads import validator
from tests.contract_server import ContractServer, Reply

__all__ = ["KEY", "PROVIDERS", "ProviderServer", "Reply"]

KEY = "test-key-not-secret"


def _document_answer(request: dict) -> dict:
    answer = {"id": "chk_1", "document": {"result": "passed", "features": ["hologram", "microprint"]}}
    if "selfie" in request:
        answer["liveness"] = {"result": "passed", "score": 0.95}
        answer["face_match"] = {"result": "passed", "score": 0.9, "threshold": 0.8}
    return answer


def _issuer_answer(request: dict) -> dict:
    return {"request_id": "req_1", "result": "valid"}


def _fraud_answer(request: dict) -> dict:
    return {
        "reference": "ref_1",
        "sources_checked": ["mortality", "identity_theft", "synthetic_identity"],
        "signals": [],
        "history": {"months": 60},
    }


KNOWLEDGE_QUESTIONS = [
    {"id": "q1", "text": "Which street?", "choices": ["A Road", "B Road"], "quality": "low"},
    {"id": "q2", "text": "Which lender?", "choices": ["Bank A", "Bank B", "None"], "quality": "medium"},
    {"id": "q3", "text": "Which payment?", "choices": ["£1", "£2"], "quality": "high"},
]


def _knowledge_start(request: dict) -> dict:
    return {"session_id": "kbv_session-1", "questions": KNOWLEDGE_QUESTIONS}


def _knowledge_answer(request: dict) -> dict:
    return {"result": "passed", "asked": 3, "correct": {"low": 1, "medium": 1, "high": 1}}


# role -> settings of its URL and key, and its documented paths: (request schema, response schema, answer)
PROVIDERS = {
    "document_platform": (
        "IDENTITY_DOCUMENT_PLATFORM",
        {r"/v1/checks": ("document-platform-request", "document-platform-response", _document_answer)},
    ),
    "passport": (
        "IDENTITY_PASSPORT_VALIDATOR",
        {r"/v1/passports/validations": ("passport-request", "passport-response", _issuer_answer)},
    ),
    "driving_licence": (
        "IDENTITY_LICENCE_VALIDATOR",
        {r"/v1/driving-licences/validations": ("driving-licence-request", "driving-licence-response", _issuer_answer)},
    ),
    "fraud": (
        "IDENTITY_FRAUD_PROVIDER",
        {r"/v1/identity-checks": ("fraud-request", "fraud-response", _fraud_answer)},
    ),
    "knowledge": (
        "IDENTITY_KNOWLEDGE_PROVIDER",
        {
            r"/v1/sessions": ("knowledge-start-request", "knowledge-start-response", _knowledge_start),
            r"/v1/sessions/[A-Za-z0-9_-]+/answers": (
                "knowledge-answer-request",
                "knowledge-answer-response",
                _knowledge_answer,
            ),
        },
    ),
}
PREFIX = "/api"  # the configured URL has a path of its own, to show the adapters keep it


class ProviderServer(ContractServer):
    def __init__(self, routes: dict) -> None:
        super().__init__(routes, validator=validator, key=KEY, prefix=PREFIX)
