"""The HTTP checkers against a provider that holds them to its contract: what they send, and how
each documented answer becomes check results."""

from __future__ import annotations

import base64
from dataclasses import replace

import pytest

from identity.verifiers import http
from identity.verifiers.payloads import UNAVAILABLE_SESSION

from .provider_server import KEY, Reply


def outcomes(results) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {result.kind: (result.outcome, result.reasons) for result in results}


# --- Document platform ---------------------------------------------------------------------------


def test_document_platform_sends_the_document_and_selfie_as_base64(serve, passport, document_image, selfie):
    server = serve("document_platform")
    results = http.HttpDocumentPlatform().check_document(
        document=passport, document_image=document_image, selfie=selfie
    )
    (sent,) = server.received
    assert sent["path"] == "/api/v1/checks"
    assert sent["headers"]["Authorization"] == f"Bearer {KEY}"
    body = sent["body"]
    assert body["checks"] == ["document_authenticity", "liveness", "face_match"]
    assert base64.b64decode(body["document"]["image"]["data"]) == document_image
    assert body["document"]["image"]["content_type"] == "image/jpeg"
    assert base64.b64decode(body["selfie"]["data"]) == selfie
    assert body["selfie"]["content_type"] == "image/png"
    assert body["document"]["mrz"] == [passport.mrz_line1, passport.mrz_line2]
    assert body["document"]["birth_date"] == "1976-03-11"
    assert outcomes(results) == {
        "document_authenticity": ("passed", ()),
        "liveness": ("passed", ()),
        "face_match": ("passed", ()),
    }
    by_kind = {r.kind: r for r in results}
    assert by_kind["document_authenticity"].details == {"features": ["hologram", "microprint"]}
    assert by_kind["liveness"].details == {"score": 0.95}
    assert by_kind["face_match"].details == {"score": 0.9, "threshold": 0.8, "method": "automated"}
    assert all(r.sandbox is False and r.provider == "Identity document platform" for r in results)


def test_document_platform_without_a_selfie_asks_for_the_document_check_only(serve, licence, document_image):
    server = serve("document_platform")
    results = http.HttpDocumentPlatform().check_document(document=licence, document_image=document_image, selfie=None)
    body = server.received[0]["body"]
    assert body["checks"] == ["document_authenticity"]
    assert "selfie" not in body and "mrz" not in body["document"]
    assert body["document"]["type"] == "driving_licence"
    assert outcomes(results) == {"document_authenticity": ("passed", ())}


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (
            {"result": "failed", "reasons": ["tampering"]},
            ("failed", ("document_tampered",)),
        ),
        ({"result": "failed", "reasons": ["security_features"]}, ("failed", ("document_not_genuine",))),
        ({"result": "failed", "reasons": ["data_inconsistent"]}, ("failed", ("document_data_inconsistent",))),
        # A code the platform does not document still fails the document, in general words.
        ({"result": "failed", "reasons": ["new_kind_of_fault"]}, ("failed", ("document_not_genuine",))),
        ({"result": "failed"}, ("failed", ("document_not_genuine",))),
        ({"result": "unprocessable", "reasons": ["unreadable"]}, ("unavailable", ("document_unreadable",))),
        (
            {"result": "unprocessable", "reasons": ["unsupported_document"]},
            ("unavailable", ("document_unsupported",)),
        ),
    ],
)
def test_document_platform_results(answer, expected, serve, passport, document_image):
    server = serve("document_platform")
    server.reply(Reply(body={"id": "chk_2", "document": answer}))
    results = http.HttpDocumentPlatform().check_document(document=passport, document_image=document_image, selfie=None)
    assert outcomes(results) == {"document_authenticity": expected}


def test_document_platform_face_results(serve, passport, document_image, selfie):
    server = serve("document_platform")
    server.reply(
        Reply(
            body={
                "id": "chk_3",
                "document": {"result": "passed"},
                "liveness": {"result": "failed", "score": 0.2, "reasons": ["spoof"]},
                "face_match": {"result": "failed", "score": 0.4, "threshold": 0.75, "reasons": ["no_match"]},
            }
        ),
        Reply(
            body={
                "id": "chk_4",
                "document": {"result": "passed"},
                "liveness": {"result": "unprocessable", "reasons": ["no_face"]},
                "face_match": {"result": "unprocessable"},
            }
        ),
    )
    checker = http.HttpDocumentPlatform()
    first = checker.check_document(document=passport, document_image=document_image, selfie=selfie)
    assert outcomes(first) == {
        "document_authenticity": ("passed", ()),
        "liveness": ("failed", ("liveness_failed",)),
        "face_match": ("failed", ("face_no_match",)),
    }
    assert {r.kind: r for r in first}["face_match"].details == {"score": 0.4, "threshold": 0.75, "method": "automated"}
    second = checker.check_document(document=passport, document_image=document_image, selfie=selfie)
    assert outcomes(second) == {
        "document_authenticity": ("passed", ()),
        "liveness": ("unavailable", ("face_not_found",)),
        "face_match": ("unavailable", ("face_not_found",)),
    }


def test_document_platform_that_leaves_out_the_face_results_for_a_selfie(serve, passport, document_image, selfie):
    server = serve("document_platform")
    server.reply(Reply(body={"id": "chk_5", "document": {"result": "passed"}}))
    results = http.HttpDocumentPlatform().check_document(
        document=passport, document_image=document_image, selfie=selfie
    )
    assert outcomes(results) == {
        "document_authenticity": ("passed", ()),
        "liveness": ("unavailable", ("provider_bad_response",)),
        "face_match": ("unavailable", ("provider_bad_response",)),
    }


def test_document_platform_refuses_bytes_that_are_not_a_cleaned_image(serve, passport):
    server = serve("document_platform")
    with pytest.raises(ValueError, match="clean_image"):
        http.HttpDocumentPlatform().check_document(document=passport, document_image=b"GIF89a...", selfie=None)
    assert server.received == []


# --- Issuing authorities ---------------------------------------------------------------------------

ISSUERS = [
    ("passport", http.HttpPassportValidator, "passport", "/api/v1/passports/validations"),
    ("driving_licence", http.HttpLicenceValidator, "licence", "/api/v1/driving-licences/validations"),
]


@pytest.mark.parametrize(("role", "checker", "document_fixture", "path"), ISSUERS)
@pytest.mark.parametrize(
    ("answer", "outcome", "reasons", "details"),
    [
        ({"result": "valid"}, "passed", (), {"result": "valid"}),
        ({"result": "not_found"}, "failed", ("issuer_not_found",), {"result": "not_found"}),
        (
            {"result": "cancelled_lost_stolen"},
            "failed",
            ("issuer_cancelled_lost_stolen",),
            {"result": "cancelled_lost_stolen"},
        ),
        (
            {"result": "details_mismatch", "mismatched": ["birth_date"]},
            "failed",
            ("issuer_details_mismatch",),
            {"result": "details_mismatch", "mismatched": ["birth_date"]},
        ),
    ],
)
def test_issuer_results(
    role, checker, document_fixture, path, answer, outcome, reasons, details, serve, request, person
):
    server = serve(role)
    server.reply(Reply(body={"request_id": "req_9", **answer}))
    result = checker().validate(document=request.getfixturevalue(document_fixture), person=person)
    assert server.received[0]["path"] == path
    assert (result.kind, result.outcome, result.reasons, result.details) == (
        "issuer_validation",
        outcome,
        reasons,
        details,
    )
    assert result.sandbox is False


def test_passport_check_sends_the_details_as_printed(serve, passport, person):
    server = serve("passport")
    http.HttpPassportValidator().validate(document=replace(passport, number=" 1234 56789 "), person=person)
    assert server.received[0]["body"] == {
        "passport_number": "123456789",
        "surname": "Morgan",
        "given_names": "Sarah Meredyth",
        "birth_date": "1976-03-11",
        "expiry_date": "2030-01-01",
    }


def test_licence_check_sends_the_postcode_in_its_usual_form(serve, licence, person):
    server = serve("driving_licence")
    http.HttpLicenceValidator().validate(document=replace(licence, number="morga 753116 sm9ij"), person=person)
    assert server.received[0]["body"] == {
        "driving_licence_number": "MORGA753116SM9IJ",
        "surname": "Morgan",
        "given_names": "Sarah Meredyth",
        "birth_date": "1976-03-11",
        "postcode": "LS1 5HD",
    }


@pytest.mark.parametrize(
    ("role", "checker", "document_fixture", "change"),
    [
        ("passport", http.HttpPassportValidator, "passport", {"expiry_date": None}),
        ("passport", http.HttpPassportValidator, "passport", {"number": "12345"}),
        ("driving_licence", http.HttpLicenceValidator, "licence", {"number": "NOT-A-LICENCE"}),
        ("driving_licence", http.HttpLicenceValidator, "licence", {"birth_date": None}),
    ],
)
def test_issuer_is_not_asked_without_the_details_it_needs(
    role, checker, document_fixture, change, serve, request, person
):
    server = serve(role)
    document = replace(request.getfixturevalue(document_fixture), **change)
    if change.get("birth_date", 1) is None:
        person = replace(person, birth_date=None)
    result = checker().validate(document=document, person=person)
    assert (result.outcome, result.reasons) == ("unavailable", ("details_incomplete",))
    assert server.received == []


def test_licence_check_needs_a_real_postcode(serve, licence, person):
    server = serve("driving_licence")
    result = http.HttpLicenceValidator().validate(document=licence, person=replace(person, postcode="nowhere"))
    assert result.reasons == ("details_incomplete",)
    assert server.received == []


def test_issuer_checks_refuse_the_other_document(serve, passport, licence, person):
    serve("passport")
    serve("driving_licence")
    with pytest.raises(ValueError):
        http.HttpPassportValidator().validate(document=licence, person=person)
    with pytest.raises(ValueError):
        http.HttpLicenceValidator().validate(document=passport, person=person)


# --- Fraud signals ---------------------------------------------------------------------------------


def test_fraud_check_with_no_signals_passes_and_gives_the_history(serve, person):
    server = serve("fraud")
    results = {r.kind: r for r in http.HttpFraudProvider().check(person=person)}
    assert server.received[0]["body"] == {
        "given_names": "Sarah Meredyth",
        "surname": "Morgan",
        "birth_date": "1976-03-11",
        "address": {"lines": ["12 Park Row", "Leeds"], "postcode": "LS1 5HD"},
    }
    assert (results["fraud"].outcome, results["fraud"].details) == (
        "passed",
        {"sources": ["mortality", "identity_theft", "synthetic_identity"], "signals": []},
    )
    assert (results["activity"].outcome, results["activity"].details) == ("passed", {"months": 60})


def test_fraud_signals_become_reasons_one_per_source(serve, person):
    server = serve("fraud")
    server.reply(
        Reply(
            body={
                "reference": "ref_2",
                "sources_checked": ["mortality", "identity_theft", "watchlist"],
                "signals": [
                    {"source": "mortality", "code": "DECEASED"},
                    {"source": "mortality", "code": "PROBATE"},
                    {"source": "watchlist", "code": "W1"},
                ],
                "history": {"months": 0},
            }
        )
    )
    results = {r.kind: r for r in http.HttpFraudProvider().check(person=person)}
    assert results["fraud"].outcome == "failed"
    assert results["fraud"].reasons == ("fraud_mortality", "fraud_signal")
    assert results["fraud"].details["signals"] == ["mortality", "watchlist"]
    assert (results["activity"].outcome, results["activity"].reasons, results["activity"].details) == (
        "failed",
        ("activity_no_history",),
        {"months": 0},
    )


def test_fraud_provider_is_not_asked_without_a_postcode(serve, person):
    server = serve("fraud")
    results = http.HttpFraudProvider().check(person=replace(person, postcode=""))
    assert outcomes(results) == {
        "fraud": ("unavailable", ("details_incomplete",)),
        "activity": ("unavailable", ("details_incomplete",)),
    }
    assert server.received == []


# --- Knowledge-based verification ------------------------------------------------------------------


def test_knowledge_questions_and_answers(serve, person):
    server = serve("knowledge")
    checker = http.HttpKnowledgeProvider()
    session = checker.start(person=person)
    assert session.session_id == "kbv_session-1"
    assert [(q.id, q.choices) for q in session.questions] == [
        ("q1", ("A Road", "B Road")),
        ("q2", ("Bank A", "Bank B", "None")),
        ("q3", ("£1", "£2")),
    ]
    result = checker.answer(session_id=session.session_id, answers={"q1": "A Road", "q2": "Bank B", "q3": "£1"})
    assert server.received[1]["path"] == "/api/v1/sessions/kbv_session-1/answers"
    assert server.received[1]["body"] == {
        "answers": [
            {"question_id": "q1", "choice": "A Road"},
            {"question_id": "q2", "choice": "Bank B"},
            {"question_id": "q3", "choice": "£1"},
        ]
    }
    assert (result.kind, result.outcome, result.reasons) == ("knowledge", "passed", ())
    assert result.details == {"correct": {"low": 1, "medium": 1, "high": 1}, "asked": 3}


def test_knowledge_answers_the_provider_fails(serve):
    server = serve("knowledge")
    server.reply(Reply(body={"result": "failed", "asked": 4, "correct": {"low": 1, "medium": 0, "high": 0}}))
    result = http.HttpKnowledgeProvider().answer(session_id="s1", answers={"q1": "A"})
    assert (result.outcome, result.reasons) == ("failed", ("knowledge_answers_wrong",))
    assert result.details == {"correct": {"low": 1, "medium": 0, "high": 0}, "asked": 4}


def test_a_tampered_answer_is_left_out_not_sent(serve):
    server = serve("knowledge")
    http.HttpKnowledgeProvider().answer(session_id="s1", answers={"q1": "A", "../q2?x=1": "B", "q3": ""})
    assert server.received[0]["body"] == {"answers": [{"question_id": "q1", "choice": "A"}]}


def test_a_person_the_provider_cannot_ask_about(serve, person):
    server = serve("knowledge")
    server.reply(Reply(status=201, body={"session_id": "s2", "questions": []}))
    checker = http.HttpKnowledgeProvider()
    session = checker.start(person=person)
    assert (session.session_id, session.questions) == (UNAVAILABLE_SESSION + "knowledge_no_questions", ())
    result = checker.answer(session_id=session.session_id, answers={})
    assert (result.outcome, result.reasons) == ("unavailable", ("knowledge_no_questions",))
    assert len(server.received) == 1  # answering a session that never started asks nobody


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_knowledge_session(status, serve):
    server = serve("knowledge")
    server.reply(Reply(status=status, body={"error": "expired"}, honest=False))
    result = http.HttpKnowledgeProvider().answer(session_id="s3", answers={"q1": "A"})
    assert (result.outcome, result.reasons) == ("unavailable", ("knowledge_session_expired",))


@pytest.mark.parametrize("session_id", ["", "../../admin", "s 1", "x" * 101, "s1?surname=Morgan"])
def test_a_session_id_not_of_the_providers_form_never_reaches_the_url(session_id, serve):
    server = serve("knowledge")
    result = http.HttpKnowledgeProvider().answer(session_id=session_id, answers={"q1": "A"})
    assert (result.outcome, result.reasons) == ("unavailable", ("knowledge_session_expired",))
    assert server.received == []
