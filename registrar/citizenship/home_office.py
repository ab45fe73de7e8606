"""Telling the Home Office what happened to a citizenship invitation, behind one small interface
so that settings choose the labelled sandbox (development and tests) or the HTTP integration
(production, CITIZENSHIP_HOME_OFFICE_ADAPTER): who attended, the oath or affirmation and pledge
they took and the certificate of naturalisation or registration handed over, or that they did
not attend (on the day, or by the invitation's last day passing).

An adapter never raises for the Home Office's failure: it answers `delivered=False` with a
reason code, and the attendance stays to be sent again (registrar.tasks.citizenship). Sending the
same report twice is harmless: the Home Office keys it by its own invitation reference."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Protocol

import requests
from django.conf import settings
from django.utils.module_loading import import_string
from urllib3.exceptions import ReadTimeoutError

from ..marriage.home_office.http import (
    BAD_RESPONSE,
    NOT_CONFIGURED,
    SUCCESS,
    TIMEOUT,
    UNREACHABLE,
    HttpHomeOffice,
    _private,
)

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator

logger = logging.getLogger(__name__)

# A surname starting with this makes the sandbox unreachable (as for notice referrals).
SANDBOX_UNREACHABLE = "homeofficedown"


@dataclass(frozen=True)
class AttendanceReport:
    home_office_reference: str
    outcome: str  # "attended" or "not_attended"
    surname: str  # only for the sandbox's rule; never sent
    ceremony_date: date | None = None
    district: str = ""  # the register office's code where the ceremony was
    pledge_form: str = ""  # "oath" or "affirmation"
    language: str = ""  # "en" or "cy"
    certificate_number: str = ""


@dataclass(frozen=True)
class Receipt:
    delivered: bool
    reference: str = ""
    reason: str = ""
    sandbox: bool = False


class CitizenshipHomeOffice(Protocol):
    name: str
    sandbox: bool

    def report_attendance(self, report: AttendanceReport) -> Receipt: ...


def configured() -> CitizenshipHomeOffice:
    return import_string(settings.CITIZENSHIP_HOME_OFFICE_ADAPTER)()


class SandboxCitizenshipHomeOffice:
    """Answers at once: a person whose surname starts with "Homeofficedown" makes the Home Office
    unreachable; every other report is received."""

    name = "Home Office sandbox"
    sandbox = True

    def report_attendance(self, report: AttendanceReport) -> Receipt:
        if report.surname.lower().startswith(SANDBOX_UNREACHABLE):
            return Receipt(delivered=False, reason=UNREACHABLE, sandbox=True)
        digest = hashlib.sha256(f"{report.home_office_reference}:{report.outcome}".encode()).hexdigest()[:10]
        return Receipt(delivered=True, reference=f"HOC-{digest.upper()}", sandbox=True)


_REFERENCE = {"type": "string", "minLength": 1, "maxLength": 60, "pattern": "^[A-Za-z0-9-]+$"}
CONTRACT = {
    "attendance-request": {
        "type": "object",
        "additionalProperties": False,
        "required": ["invitation_reference", "outcome"],
        "properties": {
            "invitation_reference": _REFERENCE,
            "outcome": {"enum": ["attended", "not_attended"]},
            "ceremony_date": {"type": "string", "format": "date"},
            "district": {"type": "string", "maxLength": 40},
            "pledge_form": {"enum": ["oath", "affirmation"]},
            "language": {"enum": ["en", "cy"]},
            "certificate_number": {"type": "string", "minLength": 1, "maxLength": 30},
        },
    },
    "attendance-response": {
        "type": "object",
        "required": ["reference"],
        "properties": {"reference": _REFERENCE},
    },
}
PATH = "/v1/citizenship/attendance"


@cache
def validator(name: str) -> Draft202012Validator:
    # Loaded at the first check rather than by every process that imports this module:
    # jsonschema and its format checkers take about 11 MB that most web workers never use.
    from jsonschema import Draft202012Validator  # noqa: PLC0415

    schema = CONTRACT[name]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def request_body(report: AttendanceReport) -> dict:
    """What is sent: the Home Office's own reference and what happened, never the person's names."""
    body: dict = {"invitation_reference": report.home_office_reference, "outcome": report.outcome}
    if report.outcome == "attended":
        body.update(
            ceremony_date=report.ceremony_date.isoformat() if report.ceremony_date else "",
            district=report.district,
            pledge_form=report.pledge_form,
            language=report.language,
            certificate_number=report.certificate_number,
        )
    return body


class HttpCitizenshipHomeOffice:
    """POST /v1/citizenship/attendance over HTTPS with the Home Office's bearer key
    (HOME_OFFICE_URL, HOME_OFFICE_KEY), the answer checked against its schema. Only the reason and
    the HTTP status are logged."""

    name = "Home Office"
    sandbox = False

    def report_attendance(self, report: AttendanceReport) -> Receipt:
        payload = request_body(report)
        base, key = settings.HOME_OFFICE_URL, settings.HOME_OFFICE_KEY
        if not base or not key or not _private(base):
            return self._failed(NOT_CONFIGURED)
        error = next(iter(validator("attendance-request").iter_errors(payload)), None)
        if error is not None:
            return self._failed(BAD_RESPONSE, problem=f"the request {error.json_path} breaks '{error.validator}'")
        try:
            response = requests.post(
                base.rstrip("/") + PATH,
                json=payload,
                headers={"Authorization": f"Bearer {key}", "Accept": "application/json"},
                timeout=settings.HOME_OFFICE_TIMEOUT_SECONDS,
                allow_redirects=False,
            )
        except requests.Timeout:
            return self._failed(TIMEOUT)
        except requests.ConnectionError as failure:
            stalled = any(isinstance(arg, ReadTimeoutError) for arg in failure.args)
            return self._failed(TIMEOUT if stalled else UNREACHABLE)
        except requests.RequestException:
            return self._failed(UNREACHABLE)
        if response.status_code not in SUCCESS:
            return self._failed(HttpHomeOffice._status_reason(response.status_code), status=response.status_code)
        try:
            body = response.json()
        except ValueError:
            return self._failed(BAD_RESPONSE, status=response.status_code, problem="not JSON")
        error = next(iter(validator("attendance-response").iter_errors(body)), None)
        if error is not None:
            return self._failed(BAD_RESPONSE, status=response.status_code, problem=f"{error.json_path} is wrong")
        return Receipt(delivered=True, reference=body["reference"])

    @staticmethod
    def _failed(reason: str, *, status: int | None = None, problem: str = "") -> Receipt:
        logger.warning(
            "Home Office citizenship attendance not delivered: %s (HTTP status %s)%s",
            reason,
            status if status is not None else "none",
            f": {problem}" if problem else "",
        )
        return Receipt(delivered=False, reason=reason)
