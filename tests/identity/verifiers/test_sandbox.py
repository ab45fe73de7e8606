"""The sandbox checkers: a pass by default, and each documented surname gives its outcome."""

from __future__ import annotations

from dataclasses import replace

import pytest

from identity.verifiers import sandbox
from identity.verifiers.payloads import UNAVAILABLE_SESSION

ALL = [
    sandbox.SandboxDocumentPlatform,
    sandbox.SandboxPassportValidator,
    sandbox.SandboxLicenceValidator,
    sandbox.SandboxFraudProvider,
    sandbox.SandboxKnowledgeProvider,
]


def outcomes(results) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {result.kind: (result.outcome, result.reasons) for result in results}


@pytest.mark.parametrize("checker", ALL)
def test_every_sandbox_says_it_is_one(checker):
    assert checker.sandbox is True
    assert checker.name.startswith("Sandbox ")


def test_document_platform_passes_the_document_alone_by_default(passport, document_image):
    results = sandbox.SandboxDocumentPlatform().check_document(
        document=passport, document_image=document_image, selfie=None
    )
    assert [(r.kind, r.outcome) for r in results] == [("document_authenticity", "passed")]
    assert results[0].details == {"features": ["hologram", "microprint", "optically_variable_ink"]}
    assert results[0].sandbox is True and results[0].provider == "Sandbox document platform"


def test_document_platform_with_a_selfie_passes_liveness_and_face_match(passport, document_image, selfie):
    results = sandbox.SandboxDocumentPlatform().check_document(
        document=passport, document_image=document_image, selfie=selfie
    )
    assert outcomes(results) == {
        "document_authenticity": ("passed", ()),
        "liveness": ("passed", ()),
        "face_match": ("passed", ()),
    }
    by_kind = {r.kind: r for r in results}
    assert by_kind["liveness"].details == {"score": 0.97}
    assert by_kind["face_match"].details == {"score": 0.93, "threshold": 0.8, "method": "automated"}
    assert all(r.sandbox for r in results)


@pytest.mark.parametrize(
    ("surname", "expected"),
    [
        ("Forged", {"document_authenticity": ("failed", ("document_not_genuine",))}),
        ("TAMPERED", {"document_authenticity": ("failed", ("document_tampered",))}),
        ("unreadable", {"document_authenticity": ("unavailable", ("document_unreadable",))}),
        ("Spoof", {"liveness": ("failed", ("liveness_failed",))}),
        ("Stranger", {"face_match": ("failed", ("face_no_match",))}),
        (
            "Offline",
            {
                "document_authenticity": ("unavailable", ("provider_unreachable",)),
                "liveness": ("unavailable", ("provider_unreachable",)),
                "face_match": ("unavailable", ("provider_unreachable",)),
            },
        ),
    ],
)
def test_document_platform_triggers(surname, expected, passport, document_image, selfie):
    results = sandbox.SandboxDocumentPlatform().check_document(
        document=replace(passport, surname=surname), document_image=document_image, selfie=selfie
    )
    found = outcomes(results)
    assert set(found) == {"document_authenticity", "liveness", "face_match"}
    for kind, outcome in found.items():
        assert outcome == expected.get(kind, ("passed", ())), kind


def test_a_failed_face_match_still_reports_its_score_and_threshold(passport, document_image, selfie):
    results = sandbox.SandboxDocumentPlatform().check_document(
        document=replace(passport, surname="Stranger"), document_image=document_image, selfie=selfie
    )
    face = next(r for r in results if r.kind == "face_match")
    assert face.details["score"] < face.details["threshold"]


@pytest.mark.parametrize(
    ("checker", "document_fixture"),
    [(sandbox.SandboxPassportValidator, "passport"), (sandbox.SandboxLicenceValidator, "licence")],
)
@pytest.mark.parametrize(
    ("surname", "outcome", "reasons", "details"),
    [
        ("Morgan", "passed", (), {"result": "valid"}),
        ("Unknown", "failed", ("issuer_not_found",), {"result": "not_found"}),
        ("stolen", "failed", ("issuer_cancelled_lost_stolen",), {"result": "cancelled_lost_stolen"}),
        (
            "Mismatch",
            "failed",
            ("issuer_details_mismatch",),
            {"result": "details_mismatch", "mismatched": ["birth_date"]},
        ),
        ("Offline", "unavailable", ("provider_unreachable",), {}),
    ],
)
def test_issuer_triggers(checker, document_fixture, surname, outcome, reasons, details, request, person):
    document = replace(request.getfixturevalue(document_fixture), surname=surname)
    result = checker().validate(document=document, person=person)
    assert (result.kind, result.outcome, result.reasons, result.details) == (
        "issuer_validation",
        outcome,
        reasons,
        details,
    )
    assert result.sandbox is True


def test_issuer_sandboxes_refuse_the_other_document(passport, licence, person):
    with pytest.raises(ValueError, match="passport"):
        sandbox.SandboxPassportValidator().validate(document=licence, person=person)
    with pytest.raises(ValueError, match="driving_licence"):
        sandbox.SandboxLicenceValidator().validate(document=passport, person=person)


def test_issuer_sandbox_cannot_check_a_passport_without_its_expiry(passport, person):
    result = sandbox.SandboxPassportValidator().validate(document=replace(passport, expiry_date=None), person=person)
    assert (result.outcome, result.reasons) == ("unavailable", ("details_incomplete",))


@pytest.mark.parametrize(
    ("surname", "fraud", "activity"),
    [
        ("Morgan", ("passed", (), []), ("passed", (), 72)),
        ("Deceased", ("failed", ("fraud_mortality",), ["mortality"]), ("passed", (), 72)),
        ("Impostor", ("failed", ("fraud_identity_theft",), ["identity_theft"]), ("passed", (), 72)),
        ("synthetic", ("failed", ("fraud_synthetic_identity",), ["synthetic_identity"]), ("passed", (), 72)),
        ("Newcomer", ("passed", (), []), ("failed", ("activity_no_history",), 0)),
    ],
)
def test_fraud_triggers(surname, fraud, activity, person):
    found = {r.kind: r for r in sandbox.SandboxFraudProvider().check(person=replace(person, surname=surname))}
    assert (found["fraud"].outcome, found["fraud"].reasons, found["fraud"].details["signals"]) == fraud
    assert found["fraud"].details["sources"] == ["mortality", "identity_theft", "synthetic_identity"]
    assert (found["activity"].outcome, found["activity"].reasons, found["activity"].details["months"]) == activity


def test_fraud_sandbox_offline(person):
    results = sandbox.SandboxFraudProvider().check(person=replace(person, surname="Offline"))
    assert outcomes(results) == {
        "fraud": ("unavailable", ("provider_unreachable",)),
        "activity": ("unavailable", ("provider_unreachable",)),
    }


def test_knowledge_sandbox_asks_three_questions_and_the_first_choices_pass(person):
    checker = sandbox.SandboxKnowledgeProvider()
    session = checker.start(person=person)
    assert len(session.questions) == 3
    assert all(len(question.choices) == 4 for question in session.questions)
    result = checker.answer(session_id=session.session_id, answers={q.id: q.choices[0] for q in session.questions})
    assert (result.kind, result.outcome, result.reasons) == ("knowledge", "passed", ())
    assert result.details == {"correct": {"low": 1, "medium": 1, "high": 1}, "asked": 3}


def test_knowledge_sandbox_counts_a_wrong_answer_per_quality(person):
    checker = sandbox.SandboxKnowledgeProvider()
    session = checker.start(person=person)
    answers = {q.id: q.choices[0] for q in session.questions}
    answers["sandbox-high"] = "None of these"
    result = checker.answer(session_id=session.session_id, answers=answers)
    assert (result.outcome, result.reasons) == ("failed", ("knowledge_answers_wrong",))
    assert result.details == {"correct": {"low": 1, "medium": 1, "high": 0}, "asked": 3}


def test_knowledge_sandbox_marks_the_same_in_welsh(person):
    from django.utils import translation

    checker = sandbox.SandboxKnowledgeProvider()
    with translation.override("cy"):
        session = checker.start(person=person)
    assert session.questions[0].text != "Which of these streets have you lived on?"
    result = checker.answer(session_id=session.session_id, answers={q.id: q.choices[0] for q in session.questions})
    assert result.outcome == "passed"


@pytest.mark.parametrize(
    ("surname", "reason"), [("Nofile", "knowledge_no_questions"), ("Offline", "provider_unreachable")]
)
def test_knowledge_sandbox_triggers_give_no_questions_and_an_unavailable_answer(surname, reason, person):
    checker = sandbox.SandboxKnowledgeProvider()
    session = checker.start(person=replace(person, surname=surname))
    assert session.questions == ()
    assert session.session_id == UNAVAILABLE_SESSION + reason
    result = checker.answer(session_id=session.session_id, answers={})
    assert (result.kind, result.outcome, result.reasons) == ("knowledge", "unavailable", (reason,))


def test_knowledge_sandbox_does_not_know_another_session(person):
    result = sandbox.SandboxKnowledgeProvider().answer(session_id="someone-elses", answers={})
    assert (result.outcome, result.reasons) == ("unavailable", ("knowledge_session_expired",))


def test_a_person_without_a_birth_date_cannot_be_looked_up(person):
    undated = replace(person, birth_date=None)
    assert {r.reasons for r in sandbox.SandboxFraudProvider().check(person=undated)} == {("details_incomplete",)}
    session = sandbox.SandboxKnowledgeProvider().start(person=undated)
    assert session.session_id == UNAVAILABLE_SESSION + "details_incomplete"
