"""The Home Office over HTTPS, to the contract written here as JSON schemas (`CONTRACT`): each call
is a JSON body POSTed over HTTPS (plain HTTP only to this machine) with 'Authorization: Bearer
<HOME_OFFICE_KEY>', nothing in the URL but fixed paths, and every answer is checked against its
schema before anything is read from it.

  POST /v1/referrals            a referral           -> {"reference", "decision"}
  POST /v1/referrals/decisions  {"reference"}        -> {"reference", "decision"}
  POST /v1/suspicions           a suspicion report   -> {"reference"}

"decision" is "investigating", "not_investigating" or "pending" (decided later: the Home Office
calls the decision endpoint of our API, or we ask again).

A failure never raises: no answer in HOME_OFFICE_TIMEOUT_SECONDS, no connection, a refused key,
too many requests, a fault, an undocumented status, or an answer not of the documented shape each
become `Answer(delivered=False, reason=…)`. Only the reason and the HTTP status are logged, never
what was sent or answered (the people's particulars)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import requests
from django.conf import settings
from urllib3.exceptions import ReadTimeoutError

from ...models import Proposal
from . import Answer, Referral, Suspicion

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

logger = logging.getLogger(__name__)

SUCCESS = frozenset({200, 201})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

NOT_CONFIGURED = "provider_not_configured"
TIMEOUT = "provider_timeout"
UNREACHABLE = "provider_unreachable"
REFUSED = "provider_refused"
RATE_LIMITED = "provider_rate_limited"
ERROR = "provider_error"
BAD_RESPONSE = "provider_bad_response"

DECISIONS = {
    "investigating": Proposal.HomeOffice.INVESTIGATING.value,
    "not_investigating": Proposal.HomeOffice.NOT_INVESTIGATING.value,
    "pending": "",
}

_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_REFERENCE = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[A-Za-z0-9-]+$"}
_PERSON = {
    "type": "object",
    "additionalProperties": False,
    "required": ["forenames", "surname", "date_of_birth", "nationality", "immigration_status"],
    "properties": {
        "forenames": {"type": "string", "maxLength": 200},
        "surname": _TEXT,
        "date_of_birth": {"type": "string", "format": "date"},
        "nationality": {"type": "string", "maxLength": 100},
        "immigration_status": {"type": "string", "maxLength": 40},
        "immigration_reference": {"type": "string", "maxLength": 60},
    },
}
CONTRACT = {
    "referral-request": {
        "type": "object",
        "additionalProperties": False,
        "required": ["proposal_reference", "kind", "district", "given_on", "people"],
        "properties": {
            "proposal_reference": _REFERENCE,
            "kind": {"enum": ["marriage", "civil_partnership"]},
            "district": _TEXT,
            "given_on": {"type": "string", "format": "date"},
            "people": {"type": "array", "minItems": 2, "maxItems": 2, "items": _PERSON},
        },
    },
    "decision-request": {
        "type": "object",
        "additionalProperties": False,
        "required": ["reference"],
        "properties": {"reference": _REFERENCE},
    },
    "suspicion-request": {
        "type": "object",
        "additionalProperties": False,
        "required": ["report_reference", "proposal_reference", "kind", "grounds", "people"],
        "properties": {
            "report_reference": _REFERENCE,
            "proposal_reference": _REFERENCE,
            "kind": {"enum": ["sham", "forced"]},
            "grounds": {"type": "string", "minLength": 1, "maxLength": 5000},
            "people": {"type": "array", "minItems": 1, "maxItems": 2, "items": _PERSON},
        },
    },
    "decision-response": {
        "type": "object",
        "required": ["reference", "decision"],
        "properties": {"reference": _REFERENCE, "decision": {"enum": list(DECISIONS)}},
    },
    "suspicion-response": {
        "type": "object",
        "required": ["reference"],
        "properties": {"reference": _REFERENCE},
    },
}
PATHS = {
    "referral": ("/v1/referrals", "referral-request", "decision-response"),
    "decision": ("/v1/referrals/decisions", "decision-request", "decision-response"),
    "suspicion": ("/v1/suspicions", "suspicion-request", "suspicion-response"),
}


@cache
def validator(name: str) -> Draft202012Validator:
    # Loaded at the first check rather than by every process that imports this module:
    # jsonschema and its format checkers take about 11 MB that most web workers never use.
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    schema = CONTRACT[name]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _private(url: str) -> bool:
    """The people's particulars go only over HTTPS, or to a stand-in on this machine."""
    parts = urlsplit(url)
    return parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)


def _people(people) -> list[dict]:
    rows = []
    for person in people:
        row = asdict(person)
        row["date_of_birth"] = person.date_of_birth.isoformat() if person.date_of_birth else ""
        rows.append(row)
    return rows


class HttpHomeOffice:
    name = "Home Office"
    sandbox = False

    def refer(self, referral: Referral) -> Answer:
        body = {
            "proposal_reference": referral.proposal_reference,
            "kind": referral.kind,
            "district": referral.district,
            "given_on": referral.given_on.isoformat(),
            "people": _people(referral.people),
        }
        return self._decision_answer(self._post("referral", body))

    def decision(self, *, reference: str) -> Answer:
        return self._decision_answer(self._post("decision", {"reference": reference}))

    def report_suspicion(self, suspicion: Suspicion) -> Answer:
        body = {
            "report_reference": suspicion.report_reference,
            "proposal_reference": suspicion.proposal_reference,
            "kind": suspicion.kind,
            "grounds": suspicion.grounds,
            "people": _people(suspicion.people),
        }
        answer = self._post("suspicion", body)
        if isinstance(answer, Answer):
            return answer
        return Answer(delivered=True, reference=answer["reference"])

    @staticmethod
    def _decision_answer(answer) -> Answer:
        if isinstance(answer, Answer):
            return answer
        return Answer(delivered=True, reference=answer["reference"], decision=DECISIONS[answer["decision"]])

    def _post(self, call: str, payload: dict) -> dict | Answer:
        """The answer's body, valid against its schema; or the failed Answer."""
        path, request_schema, response_schema = PATHS[call]
        base, key = settings.HOME_OFFICE_URL, settings.HOME_OFFICE_KEY
        if not base or not key:
            return self._failed(call, NOT_CONFIGURED, level=logging.ERROR)
        if not _private(base):
            return self._failed(call, NOT_CONFIGURED, level=logging.ERROR, problem="its URL is not https")
        error = next(iter(validator(request_schema).iter_errors(payload)), None)
        if error is not None:
            # Nothing leaves that the Home Office would refuse; the referral waits for a person.
            return self._failed(call, BAD_RESPONSE, problem=f"the request {error.json_path} breaks '{error.validator}'")
        try:
            response = requests.post(
                base.rstrip("/") + path,
                json=payload,
                headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
                timeout=settings.HOME_OFFICE_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            return self._failed(call, TIMEOUT)
        except requests.ConnectionError as failure:
            stalled = any(isinstance(arg, ReadTimeoutError) for arg in failure.args)
            return self._failed(call, TIMEOUT if stalled else UNREACHABLE)
        except requests.RequestException:
            return self._failed(call, UNREACHABLE)
        status = response.status_code
        if status not in SUCCESS:
            return self._failed(call, self._status_reason(status), status=status)
        try:
            body = response.json()
        except ValueError:
            return self._failed(call, BAD_RESPONSE, status=status, problem="not JSON")
        error = next(iter(validator(response_schema).iter_errors(body)), None)
        if error is not None:
            return self._failed(
                call, BAD_RESPONSE, status=status, problem=f"{error.json_path} breaks '{error.validator}'"
            )
        return body

    @staticmethod
    def _status_reason(status: int) -> str:
        if status in (401, 403):
            return REFUSED
        if status == 429:
            return RATE_LIMITED
        if status >= 500:
            return ERROR
        return BAD_RESPONSE

    def _failed(self, call: str, reason: str, *, status: int | None = None, problem: str = "", level=logging.WARNING):
        logger.log(
            level,
            "Home Office %s not delivered: %s (HTTP status %s)%s",
            call,
            reason,
            status if status is not None else "none",
            f": {problem}" if problem else "",
        )
        return Answer(delivered=False, reason=reason)
