"""Every way a provider can fail, one by one for every HTTP checker: each becomes an
"unavailable" result with its own reason code, nothing raises, and the log names the reason and
the status but nothing about the person."""

from __future__ import annotations

import logging
import time

import pytest

from identity.verifiers import http

from .provider_server import PROVIDERS, Reply


def check_document(facts):
    return http.HttpDocumentPlatform().check_document(
        document=facts["passport"], document_image=facts["document_image"], selfie=facts["selfie"]
    )


def check_passport(facts):
    return [http.HttpPassportValidator().validate(document=facts["passport"], person=facts["person"])]


def check_licence(facts):
    return [http.HttpLicenceValidator().validate(document=facts["licence"], person=facts["person"])]


def check_fraud(facts):
    return http.HttpFraudProvider().check(person=facts["person"])


def start_knowledge(facts):
    """A session that could not start has no questions; answering it gives the result to record."""
    checker = http.HttpKnowledgeProvider()
    session = checker.start(person=facts["person"])
    assert session.questions == ()
    return [checker.answer(session_id=session.session_id, answers={})]


def answer_knowledge(facts):
    return [http.HttpKnowledgeProvider().answer(session_id="kbv_session-1", answers={"q1": "A Road"})]


# (role, the call, the kinds it gives, an answer of valid JSON but the wrong shape)
CALLS = {
    "document_platform": (
        "document_platform",
        check_document,
        ["document_authenticity", "liveness", "face_match"],
        {"id": "chk", "document": {"result": "maybe"}},
    ),
    "passport": ("passport", check_passport, ["issuer_validation"], {"request_id": "r", "result": "VALID"}),
    "driving_licence": (
        "driving_licence",
        check_licence,
        ["issuer_validation"],
        {"request_id": "r", "result": "valid", "mismatched": "postcode"},
    ),
    "fraud": (
        "fraud",
        check_fraud,
        ["fraud", "activity"],
        {"reference": "r", "sources_checked": ["mortality"], "signals": [], "history": {"months": -1}},
    ),
    "knowledge_start": (
        "knowledge",
        start_knowledge,
        ["knowledge"],
        {"session_id": "../../other", "questions": []},
    ),
    "knowledge_answer": (
        "knowledge",
        answer_knowledge,
        ["knowledge"],
        {"result": "passed", "asked": "3", "correct": {"low": 1, "medium": 0, "high": 0}},
    ),
}

FAILURES = {
    "timeout": (Reply(hang=True), "provider_timeout"),
    "stalled answer": (None, "provider_timeout"),  # headers sent, then nothing: built per call
    "401": (Reply(status=401, body={"error": "unauthorised"}), "provider_refused"),
    "403": (Reply(status=403, body={"error": "forbidden"}), "provider_refused"),
    "429": (Reply(status=429, body={"error": "slow down"}), "provider_rate_limited"),
    "500": (Reply(status=500, body={"error": "fault"}), "provider_error"),
    "502": (Reply(status=502, raw=b"<html>Bad gateway</html>"), "provider_error"),
    "503": (Reply(status=503, raw=b""), "provider_error"),
    "invalid JSON": (Reply(raw=b"<html>Welcome</html>"), "provider_bad_response"),
    "empty body": (Reply(raw=b""), "provider_bad_response"),
    "a JSON list": (Reply(body=[], honest=False), "provider_bad_response"),
    "no fields": (Reply(body={"unexpected": True}, honest=False), "provider_bad_response"),
    "wrong shape": (None, "provider_bad_response"),  # the call's own wrong answer, above
    "204": (Reply(status=204, raw=b""), "provider_bad_response"),
    "302": (Reply(status=302, raw=b""), "provider_bad_response"),
    "400": (Reply(status=400, body={"error": "bad request"}), "provider_bad_response"),
    "418": (Reply(status=418, body={"error": "teapot"}), "provider_bad_response"),
}

PERSONAL = ["Morgan", "MORGAN", "Sarah", "Meredyth", "1976", "123456789", "MORGA753116SM9IJ", "LS1", "Park Row"]


@pytest.fixture
def facts(passport, licence, person, document_image, selfie):
    return {
        "passport": passport,
        "licence": licence,
        "person": person,
        "document_image": document_image,
        "selfie": selfie,
    }


def assert_unavailable(results, kinds, reason):
    assert [r.kind for r in results] == kinds
    for result in results:
        assert (result.outcome, result.reasons) == ("unavailable", (reason,)), result.kind
        assert result.sandbox is False


@pytest.mark.parametrize("failure", list(FAILURES))
@pytest.mark.parametrize("call", list(CALLS))
def test_provider_failure_is_unavailable_with_its_reason(call, failure, serve, facts, settings, caplog):
    role, function, kinds, wrong_shape = CALLS[call]
    reply, reason = FAILURES[failure]
    server = serve(role)
    if failure == "stalled answer":
        reply = Reply(body=wrong_shape, stall=True, honest=False)
    server.reply(reply or Reply(body=wrong_shape, honest=False))
    # A short wait only where giving up is the point; elsewhere a busy machine must not turn a
    # prompt answer into a timeout.
    settings.IDENTITY_CHECKER_TIMEOUT_SECONDS = 0.2 if reason == "provider_timeout" else 10
    with caplog.at_level(logging.DEBUG):
        results = function(facts)
    assert_unavailable(results, kinds, reason)
    assert len(server.received) == 1
    records = [r for r in caplog.records if r.name == "identity.verifiers.http"]
    assert [r.levelname for r in records] == ["WARNING"]
    assert reason in records[0].getMessage()
    for text in PERSONAL:
        assert text not in caplog.text


@pytest.mark.parametrize("call", list(CALLS))
def test_connection_refused_is_unreachable(call, refused_url, facts, settings, caplog):
    role, function, kinds, _wrong = CALLS[call]
    prefix = PROVIDERS[role][0]
    setattr(settings, f"{prefix}_URL", refused_url)
    setattr(settings, f"{prefix}_KEY", "a-key")
    with caplog.at_level(logging.DEBUG):
        results = function(facts)
    assert_unavailable(results, kinds, "provider_unreachable")
    for text in PERSONAL:
        assert text not in caplog.text


@pytest.mark.parametrize("missing", ["URL", "KEY"])
@pytest.mark.parametrize("call", list(CALLS))
def test_a_checker_without_its_address_or_key_asks_nobody(call, missing, serve, facts, settings, caplog):
    role, function, kinds, _wrong = CALLS[call]
    server = serve(role)
    prefix = PROVIDERS[role][0]
    setattr(settings, f"{prefix}_{missing}", "")
    with caplog.at_level(logging.WARNING):
        results = function(facts)
    assert_unavailable(results, kinds, "provider_not_configured")
    assert server.received == []
    assert [r.levelname for r in caplog.records if r.name == "identity.verifiers.http"] == ["ERROR"]


def test_a_slow_provider_is_given_up_on_after_the_configured_time(serve, facts, settings):
    """The timeout comes from the setting, read at each call: the same hanging provider is waited
    for no longer than it says."""
    server = serve("passport")
    server.reply(Reply(hang=True))
    settings.IDENTITY_CHECKER_TIMEOUT_SECONDS = 0.3
    started = time.monotonic()
    (result,) = check_passport(facts)
    waited = time.monotonic() - started
    assert result.reasons == ("provider_timeout",)
    assert 0.3 <= waited < 2.0


@pytest.mark.parametrize("url", ["http://checker.example/", "ftp://checker.example/", "checker.example"])
def test_personal_data_is_never_sent_in_the_clear(url, facts, settings, caplog):
    settings.IDENTITY_PASSPORT_VALIDATOR_URL = url
    settings.IDENTITY_PASSPORT_VALIDATOR_KEY = "a-key"
    with caplog.at_level(logging.DEBUG):
        (result,) = check_passport(facts)
    assert result.reasons == ("provider_not_configured",)
    assert "not https" in caplog.text
    assert "Starting new" not in caplog.text  # urllib3 opened no connection
