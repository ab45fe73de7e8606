"""The Home Office, behind one small interface so that settings choose its labelled sandbox (in
development and tests) or the HTTP integration (in production): a notice referred because a
person is not exempt from immigration control, the decision whether to investigate (which sets
the waiting period to 28 or 70 days), and reports of a suspected sham or forced marriage.

An adapter never raises for the Home Office's failure: it answers with `delivered=False` and a
reason code, and the caller keeps the referral or report to send again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class PersonParticulars:
    """What the Home Office is told about one person: no more than the referral needs."""

    forenames: str
    surname: str
    date_of_birth: date
    nationality: str
    immigration_status: str
    immigration_reference: str = ""  # a visa or status reference, when the person gave one


@dataclass(frozen=True)
class Referral:
    proposal_reference: str
    kind: str  # Proposal.Kind value
    district: str  # the register office's code where the ceremony is
    people: tuple[PersonParticulars, ...]
    given_on: date


@dataclass(frozen=True)
class Suspicion:
    report_reference: str
    proposal_reference: str
    kind: str  # SuspicionReport.Kind value
    grounds: str
    people: tuple[PersonParticulars, ...]


@dataclass(frozen=True)
class Answer:
    """What the Home Office answered. `decision` is a Proposal.HomeOffice value when it decided at
    once (the sandbox does; a real referral is usually decided later and told back)."""

    delivered: bool
    reference: str = ""
    decision: str = ""
    reason: str = ""  # why it was not delivered: "provider_timeout", "provider_refused", …
    sandbox: bool = False
    details: dict = field(default_factory=dict)


class HomeOffice(Protocol):
    name: str
    sandbox: bool

    def refer(self, referral: Referral) -> Answer: ...

    def decision(self, *, reference: str) -> Answer: ...

    def report_suspicion(self, suspicion: Suspicion) -> Answer: ...


def configured() -> HomeOffice:
    """The adapter named by the HOME_OFFICE_ADAPTER setting."""
    return import_string(settings.HOME_OFFICE_ADAPTER)()
