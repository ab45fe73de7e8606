"""Sandbox checkers: each behaves like its provider's contract, without a provider, so tests and
demonstrations can show every outcome. Nothing here is a real check: every result says sandbox
and names a "Sandbox ..." provider, and the pages say so.

Each passes by default; the holder's surname (any case) chooses another outcome:

- document platform: Forged (security features wrong), Tampered (image altered), Unreadable
  (document could not be read: unavailable), Spoof (liveness fails), Stranger (face does not match);
- passport and driving licence: Unknown (no record), Stolen (cancelled, lost or stolen),
  Mismatch (details differ from the record);
- fraud: Deceased (mortality), Impostor (identity theft), Synthetic (synthetic identity),
  Newcomer (no history: activity fails, fraud passes);
- knowledge: Nofile (no questions can be asked); the first choice of each question is the right
  one, and the answers pass when all three are right;
- every checker: Offline (the provider cannot be reached: unavailable).
"""

from __future__ import annotations

import secrets

from django.utils.translation import gettext

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
    document_platform_body,
    licence_body,
    passport_body,
    person_body,
)

OFFLINE = "offline"


def _trigger(surname: str) -> str:
    return " ".join((surname or "").split()).casefold()


class _Sandbox:
    name = "Sandbox"
    sandbox = True

    def _result(self, kind: str, outcome: str, details: dict | None = None, reasons: tuple[str, ...] = ()):
        return CheckResult(
            kind=str(kind),
            outcome=str(outcome),
            provider=self.name,
            sandbox=True,
            details=details or {},
            reasons=reasons,
        )

    def _unavailable(self, kind: str, reason: str) -> CheckResult:
        return self._result(kind, Outcome.UNAVAILABLE, reasons=(reason,))


class SandboxDocumentPlatform(_Sandbox):
    name = "Sandbox document platform"
    FEATURES = ("hologram", "microprint", "optically_variable_ink")
    LIVENESS_SCORE = 0.97
    FACE_SCORE = 0.93
    FACE_THRESHOLD = 0.8

    def check_document(
        self, *, document: DocumentFacts, document_image: bytes, selfie: bytes | None
    ) -> list[CheckResult]:
        body = document_platform_body(document=document, document_image=document_image, selfie=selfie)
        trigger = _trigger(document.surname)
        if trigger == OFFLINE:
            return [self._unavailable(kind, codes.PROVIDER_UNREACHABLE) for kind in body["checks"]]
        results = [self._document(trigger)]
        if selfie:
            spoof = trigger == "spoof"
            results.append(
                self._result(
                    Kind.LIVENESS,
                    Outcome.FAILED if spoof else Outcome.PASSED,
                    {"score": 0.12 if spoof else self.LIVENESS_SCORE},
                    (codes.LIVENESS_FAILED,) if spoof else (),
                )
            )
            stranger = trigger == "stranger"
            results.append(
                self._result(
                    Kind.FACE_MATCH,
                    Outcome.FAILED if stranger else Outcome.PASSED,
                    {
                        "score": 0.31 if stranger else self.FACE_SCORE,
                        "threshold": self.FACE_THRESHOLD,
                        "method": "automated",
                    },
                    (codes.FACE_NO_MATCH,) if stranger else (),
                )
            )
        return results

    def _document(self, trigger: str) -> CheckResult:
        kind = Kind.DOCUMENT_AUTHENTICITY
        if trigger == "unreadable":
            return self._unavailable(kind, codes.DOCUMENT_UNREADABLE)
        if trigger == "forged":
            return self._result(kind, Outcome.FAILED, {"features": []}, (codes.DOCUMENT_NOT_GENUINE,))
        if trigger == "tampered":
            return self._result(kind, Outcome.FAILED, {"features": list(self.FEATURES)}, (codes.DOCUMENT_TAMPERED,))
        return self._result(kind, Outcome.PASSED, {"features": list(self.FEATURES)})


ISSUER_TRIGGERS = {
    "unknown": ("not_found", codes.ISSUER_NOT_FOUND),
    "stolen": ("cancelled_lost_stolen", codes.ISSUER_CANCELLED_LOST_STOLEN),
    "mismatch": ("details_mismatch", codes.ISSUER_DETAILS_MISMATCH),
}


class _SandboxIssuer(_Sandbox):
    def _body(self, *, document: DocumentFacts, person: PersonFacts) -> dict | None:
        raise NotImplementedError

    def validate(self, *, document: DocumentFacts, person: PersonFacts) -> CheckResult:
        kind = Kind.ISSUER_VALIDATION
        body = self._body(document=document, person=person)
        if body is None:
            return self._unavailable(kind, codes.DETAILS_INCOMPLETE)
        trigger = _trigger(body["surname"])
        if trigger == OFFLINE:
            return self._unavailable(kind, codes.PROVIDER_UNREACHABLE)
        if trigger in ISSUER_TRIGGERS:
            result, reason = ISSUER_TRIGGERS[trigger]
            details = {"result": result, **({"mismatched": ["birth_date"]} if result == "details_mismatch" else {})}
            return self._result(kind, Outcome.FAILED, details, (reason,))
        return self._result(kind, Outcome.PASSED, {"result": "valid"})


class SandboxPassportValidator(_SandboxIssuer):
    name = "Sandbox passport check"

    def _body(self, *, document, person):
        return passport_body(document=document, person=person)


class SandboxLicenceValidator(_SandboxIssuer):
    name = "Sandbox driving licence check"

    def _body(self, *, document, person):
        return licence_body(document=document, person=person)


FRAUD_TRIGGERS = {
    "deceased": ("mortality", codes.FRAUD_MORTALITY),
    "impostor": ("identity_theft", codes.FRAUD_IDENTITY_THEFT),
    "synthetic": ("synthetic_identity", codes.FRAUD_SYNTHETIC_IDENTITY),
}


class SandboxFraudProvider(_Sandbox):
    name = "Sandbox fraud provider"
    SOURCES = ("mortality", "identity_theft", "synthetic_identity")
    HISTORY_MONTHS = 72

    def check(self, *, person: PersonFacts) -> list[CheckResult]:
        kinds = (Kind.FRAUD, Kind.ACTIVITY)
        if person_body(person=person) is None:
            return [self._unavailable(kind, codes.DETAILS_INCOMPLETE) for kind in kinds]
        trigger = _trigger(person.surname)
        if trigger == OFFLINE:
            return [self._unavailable(kind, codes.PROVIDER_UNREACHABLE) for kind in kinds]
        sources = list(self.SOURCES)
        if trigger in FRAUD_TRIGGERS:
            source, reason = FRAUD_TRIGGERS[trigger]
            fraud = self._result(Kind.FRAUD, Outcome.FAILED, {"sources": sources, "signals": [source]}, (reason,))
        else:
            fraud = self._result(Kind.FRAUD, Outcome.PASSED, {"sources": sources, "signals": []})
        if trigger == "newcomer":
            activity = self._result(Kind.ACTIVITY, Outcome.FAILED, {"months": 0}, (codes.ACTIVITY_NO_HISTORY,))
        else:
            activity = self._result(Kind.ACTIVITY, Outcome.PASSED, {"months": self.HISTORY_MONTHS})
        return [fraud, activity]


class SandboxKnowledgeProvider(_Sandbox):
    """Three questions, one of each quality; the first choice of each is the right one. The
    right choices are names and amounts, the same in English and Welsh, so a person who changes
    language between the questions and the answers is marked the same."""

    name = "Sandbox knowledge questions"
    SESSION = "sandbox-"
    # question id -> (quality, right choice, other choices)
    QUESTIONS = {
        "sandbox-low": ("low", "Station Road", ("Mill Lane", "Church Street")),
        "sandbox-medium": ("medium", "Sandbox Bank", ("Example Credit", "Placeholder Finance")),
        "sandbox-high": ("high", "£500 to £749", ("£250 to £499", "£750 to £999")),
    }

    def _texts(self) -> dict[str, str]:
        return {
            "sandbox-low": gettext("Which of these streets have you lived on?"),
            "sandbox-medium": gettext("Which of these lenders have you had a loan or credit card with?"),
            "sandbox-high": gettext("What is the monthly payment on your mortgage?"),
        }

    def start(self, *, person: PersonFacts) -> KnowledgeSession:
        if person_body(person=person) is None:
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + codes.DETAILS_INCOMPLETE, questions=())
        trigger = _trigger(person.surname)
        if trigger == OFFLINE:
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + codes.PROVIDER_UNREACHABLE, questions=())
        if trigger == "nofile":
            return KnowledgeSession(session_id=UNAVAILABLE_SESSION + codes.KNOWLEDGE_NO_QUESTIONS, questions=())
        texts = self._texts()
        questions = tuple(
            KnowledgeQuestion(id=question, text=texts[question], choices=(right, *others, gettext("None of these")))
            for question, (_quality, right, others) in self.QUESTIONS.items()
        )
        return KnowledgeSession(session_id=self.SESSION + secrets.token_hex(8), questions=questions)

    def answer(self, *, session_id: str, answers: dict[str, str]) -> CheckResult:
        kind = Kind.KNOWLEDGE
        if session_id.startswith(UNAVAILABLE_SESSION):
            reason = session_id.removeprefix(UNAVAILABLE_SESSION)
            return self._unavailable(kind, reason if reason in codes.UNAVAILABLE else codes.PROVIDER_BAD_RESPONSE)
        if not (session_id.startswith(self.SESSION) and IDENTIFIER.fullmatch(session_id)):
            return self._unavailable(kind, codes.KNOWLEDGE_SESSION_EXPIRED)
        correct = {"low": 0, "medium": 0, "high": 0}
        for question, (quality, right, _others) in self.QUESTIONS.items():
            if answers.get(question) == right:
                correct[quality] += 1
        details = {"correct": correct, "asked": len(self.QUESTIONS)}
        if sum(correct.values()) == len(self.QUESTIONS):
            return self._result(kind, Outcome.PASSED, details)
        return self._result(kind, Outcome.FAILED, details, (codes.KNOWLEDGE_ANSWERS_WRONG,))
