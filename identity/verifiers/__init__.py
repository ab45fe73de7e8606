"""The checkers behind the identity check, each behind one small interface so that settings
choose a real provider, its labelled sandbox, or nothing (IDENTITY-RULES.md, "Uploaded
evidence": what the service cannot do itself comes from a provider or becomes a registrar's
task, never a silent pass).

A checker answers with `CheckResult`s; `identity.verification` records them as
`EvidenceCheck` rows and `identity.scoring` turns the rows into GPG 45 scores. A checker never
raises for a provider's failure: it answers UNAVAILABLE with a reason code, which scores nothing.

Roles (keys of the IDENTITY_VERIFIERS setting, each a dotted path to a class or ""):
- ``document_platform``: a commercial identity-verification platform. Checks the security
  features of a photographed document (DOCUMENT_AUTHENTICITY) and, given a selfie, whether a
  live person took it (LIVENESS) and whether it is the document's holder (FACE_MATCH).
- ``face_matcher``: compares a selfie with the document photo (FACE_MATCH) without liveness.
- ``passport``, ``driving_licence``: the issuing authority confirms the document exists, is
  not cancelled, lost or stolen, and its details match (ISSUER_VALIDATION).
- ``fraud``: identity-fraud and activity sources (FRAUD, ACTIVITY).
- ``knowledge``: knowledge-based verification questions (KNOWLEDGE).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from ..models import EvidenceCheck

Kind = EvidenceCheck.Kind
Outcome = EvidenceCheck.Outcome

ROLES = ("document_platform", "face_matcher", "passport", "driving_licence", "fraud", "knowledge")


@dataclass(frozen=True)
class DocumentFacts:
    """What the person typed about their identity document (and the MRZ lines of a passport)."""

    document_type: str  # identity.models.DocumentType value
    number: str
    given_names: str
    surname: str
    birth_date: date | None
    expiry_date: date | None
    mrz_line1: str = ""
    mrz_line2: str = ""


@dataclass(frozen=True)
class PersonFacts:
    given_names: str
    surname: str
    birth_date: date | None
    address: str
    postcode: str


@dataclass(frozen=True)
class CheckResult:
    kind: str  # EvidenceCheck.Kind value
    outcome: str  # EvidenceCheck.Outcome value
    provider: str  # who did it, in words, e.g. "Sandbox document checker"
    sandbox: bool
    details: dict = field(default_factory=dict)  # JSON-safe; what the scoring table reads
    reasons: tuple[str, ...] = ()  # reason codes, e.g. "face_no_match", "provider_timeout"


@dataclass(frozen=True)
class KnowledgeQuestion:
    id: str
    text: str
    choices: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeSession:
    session_id: str
    questions: tuple[KnowledgeQuestion, ...]


class DocumentPlatform(Protocol):
    name: str
    sandbox: bool

    def check_document(
        self, *, document: DocumentFacts, document_image: bytes, selfie: bytes | None
    ) -> list[CheckResult]: ...


class FaceMatcher(Protocol):
    name: str
    sandbox: bool

    def compare(self, *, selfie: bytes, document_image: bytes) -> CheckResult: ...


class IssuerValidator(Protocol):
    name: str
    sandbox: bool

    def validate(self, *, document: DocumentFacts, person: PersonFacts) -> CheckResult: ...


class FraudProvider(Protocol):
    name: str
    sandbox: bool

    def check(self, *, person: PersonFacts) -> list[CheckResult]: ...


class KnowledgeProvider(Protocol):
    name: str
    sandbox: bool

    def start(self, *, person: PersonFacts) -> KnowledgeSession: ...

    def answer(self, *, session_id: str, answers: dict[str, str]) -> CheckResult: ...


def configured(role: str):
    """The checker settings choose for `role`, or None when there is none."""
    if role not in ROLES:
        raise ValueError(f"No checker role {role!r}; the roles are {', '.join(ROLES)}.")
    path = settings.IDENTITY_VERIFIERS.get(role) or ""
    return import_string(path)() if path else None


def sandboxes_in_use() -> list[str]:
    """The names of the configured checkers that are sandboxes, for the warning on every page."""
    names = []
    for role in ROLES:
        path = settings.IDENTITY_VERIFIERS.get(role) or ""
        # Sandboxes live in sandbox modules (production refuses them by the same test of the
        # path), so the others are not imported to ask: this runs for every page, and the face
        # matcher's module would load dlib and numpy (about 18 MB) into every web worker.
        if "sandbox" in path.lower():
            checker = import_string(path)
            if getattr(checker, "sandbox", False):
                names.append(str(checker.name))
    return names
