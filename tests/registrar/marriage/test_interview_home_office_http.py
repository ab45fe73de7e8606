"""The Home Office HTTP adapter against a local server holding it to the contract: what it sends
(the documented paths, the key, bodies valid against the request schemas, nothing personal in the
URL), what it reads (answers valid against the response schemas), and every failure becoming
`delivered=False` with its reason, never raising, with nothing personal in the log."""

from __future__ import annotations

import logging
import socket
import time
from datetime import date

import pytest

from registrar.marriage.home_office import PersonParticulars, Referral, Suspicion
from registrar.marriage.home_office.http import HttpHomeOffice

from .home_office_server import KEY, HomeOfficeServer, Reply

PEOPLE = (
    PersonParticulars("Sarah Meredyth", "Morgan", date(1990, 3, 11), "british", ""),
    PersonParticulars("Rafael", "Souza", date(1988, 7, 2), "Brazilian", "other", "VISA-12345"),
)
REFERRAL = Referral(
    proposal_reference="MP-ABCD-EFGH", kind="marriage", district="E-LEEDS", people=PEOPLE, given_on=date(2026, 12, 1)
)
SUSPICION = Suspicion(
    report_reference="SR-ABCD-EFGH",
    proposal_reference="MP-ABCD-EFGH",
    kind="forced",
    grounds="One of them seemed frightened.",
    people=PEOPLE,
)
PERSONAL = ["Morgan", "Sarah", "Souza", "Rafael", "1990", "1988", "VISA-12345", "Brazilian", "frightened"]


@pytest.fixture
def server(settings):
    home_office = HomeOfficeServer()
    settings.HOME_OFFICE_URL = home_office.url
    settings.HOME_OFFICE_KEY = KEY
    settings.HOME_OFFICE_TIMEOUT_SECONDS = 10
    yield home_office
    home_office.close()
    assert home_office.violations == [], "the adapter broke the Home Office's contract"


@pytest.fixture
def refused_url():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()


CALLS = {
    "refer": lambda: HttpHomeOffice().refer(REFERRAL),
    "decision": lambda: HttpHomeOffice().decision(reference="HO-1"),
    "report_suspicion": lambda: HttpHomeOffice().report_suspicion(SUSPICION),
}


def test_a_referral_is_sent_to_the_contract_and_its_decision_read(server):
    server.reply(Reply(body={"reference": "HO-9", "decision": "investigating"}))
    answer = HttpHomeOffice().refer(REFERRAL)
    assert (answer.delivered, answer.reference, answer.decision) == (True, "HO-9", "investigating")
    (sent,) = server.received
    assert sent["path"] == "/ho/v1/referrals"
    assert [person["surname"] for person in sent["body"]["people"]] == ["Morgan", "Souza"]
    assert sent["body"]["people"][1]["date_of_birth"] == "1988-07-02"


def test_a_decision_still_pending_is_delivered_without_one(server):
    answer = HttpHomeOffice().refer(REFERRAL)
    assert (answer.delivered, answer.decision) == (True, "")
    server.reply(Reply(body={"reference": "HO-1", "decision": "not_investigating"}))
    answer = HttpHomeOffice().decision(reference="HO-1")
    assert (answer.delivered, answer.decision) == (True, "not_investigating")
    received = server.received[1]
    assert (received["path"], received["body"]) == ("/ho/v1/referrals/decisions", {"reference": "HO-1"})


def test_a_suspicion_report_is_sent(server):
    answer = HttpHomeOffice().report_suspicion(SUSPICION)
    assert (answer.delivered, answer.reference) == (True, "HOS-1")
    assert server.received[0]["path"] == "/ho/v1/suspicions"


FAILURES = {
    "timeout": (Reply(hang=True), "provider_timeout"),
    "stalled answer": (Reply(body={"reference": "HO-1", "decision": "pending"}, stall=True), "provider_timeout"),
    "401": (Reply(status=401, body={"error": "unauthorised"}), "provider_refused"),
    "403": (Reply(status=403, body={"error": "forbidden"}), "provider_refused"),
    "429": (Reply(status=429, body={"error": "slow down"}), "provider_rate_limited"),
    "500": (Reply(status=500, body={"error": "fault"}), "provider_error"),
    "502": (Reply(status=502, raw=b"<html>Bad gateway</html>"), "provider_error"),
    "invalid JSON": (Reply(raw=b"<html>Welcome</html>"), "provider_bad_response"),
    "empty body": (Reply(raw=b""), "provider_bad_response"),
    "a JSON list": (Reply(body=[], honest=False), "provider_bad_response"),
    "wrong shape": (Reply(body={"reference": "HO 1/../x", "decision": "maybe"}, honest=False), "provider_bad_response"),
    "204": (Reply(status=204, raw=b""), "provider_bad_response"),
    "302": (Reply(status=302, raw=b""), "provider_bad_response"),
    "400": (Reply(status=400, body={"error": "bad"}), "provider_bad_response"),
}


# Every failure of a referral; the other calls share the same code, so a few of theirs.
CASES = [("refer", failure) for failure in FAILURES] + [
    (call, failure) for call in ("decision", "report_suspicion") for failure in ("timeout", "500", "wrong shape")
]


@pytest.mark.parametrize(("call", "failure"), CASES)
def test_every_failure_is_not_delivered_with_its_reason(server, settings, caplog, call, failure):
    reply, reason = FAILURES[failure]
    server.reply(reply)
    settings.HOME_OFFICE_TIMEOUT_SECONDS = 0.2 if reason == "provider_timeout" else 10
    with caplog.at_level(logging.DEBUG):
        answer = CALLS[call]()
    assert (answer.delivered, answer.reason) == (False, reason)
    assert len(server.received) == 1
    records = [r for r in caplog.records if r.name == "registrar.marriage.home_office.http"]
    assert [r.levelname for r in records] == ["WARNING"]
    for text in PERSONAL:
        assert text not in caplog.text


@pytest.mark.parametrize("call", list(CALLS))
def test_connection_refused_is_unreachable(refused_url, settings, caplog, call):
    settings.HOME_OFFICE_URL, settings.HOME_OFFICE_KEY = refused_url, "a-key"
    with caplog.at_level(logging.DEBUG):
        answer = CALLS[call]()
    assert (answer.delivered, answer.reason) == (False, "provider_unreachable")
    for text in PERSONAL:
        assert text not in caplog.text


@pytest.mark.parametrize("missing", ["HOME_OFFICE_URL", "HOME_OFFICE_KEY"])
def test_without_its_address_or_key_nobody_is_asked(server, settings, missing):
    setattr(settings, missing, "")
    answer = HttpHomeOffice().refer(REFERRAL)
    assert (answer.delivered, answer.reason) == (False, "provider_not_configured")
    assert server.received == []


@pytest.mark.parametrize("url", ["http://homeoffice.example/", "ftp://homeoffice.example/", "homeoffice.example"])
def test_particulars_are_never_sent_in_the_clear(settings, caplog, url):
    settings.HOME_OFFICE_URL, settings.HOME_OFFICE_KEY = url, "a-key"
    with caplog.at_level(logging.DEBUG):
        answer = HttpHomeOffice().refer(REFERRAL)
    assert answer.reason == "provider_not_configured"
    assert "not https" in caplog.text
    assert "Starting new" not in caplog.text


def test_a_slow_home_office_is_given_up_on_after_the_configured_time(server, settings):
    server.reply(Reply(hang=True))
    settings.HOME_OFFICE_TIMEOUT_SECONDS = 0.3
    started = time.monotonic()
    answer = HttpHomeOffice().refer(REFERRAL)
    assert answer.reason == "provider_timeout"
    assert 0.3 <= time.monotonic() - started < 2.0


def test_the_referral_task_keeps_trying_through_an_http_outage(server, settings, db):
    """End to end: the task's attempt through the HTTP adapter fails on a 503 and is due again."""
    from registrar.marriage import interview_referral, interview_services
    from registrar.models import Proposal
    from tests.factories.marriage_interview import interviewed_proposal, registrar_of

    settings.HOME_OFFICE_ADAPTER = "registrar.marriage.home_office.http.HttpHomeOffice"
    proposal = interviewed_proposal(exempt=False)
    registrar = registrar_of(proposal.district)
    for notice in proposal.notices.all():
        interview_services.record_outcome(actor=registrar, notice=notice, outcome="given")
    server.reply(Reply(status=503, raw=b""))
    with pytest.raises(interview_referral.ReferralFailed):
        interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert (proposal.home_office, proposal.referral_error) == (Proposal.HomeOffice.NOT_YET, "provider_error")
    server.reply(Reply(body={"reference": "HO-7", "decision": "not_investigating"}))
    interview_referral.send(proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.home_office == Proposal.HomeOffice.NOT_INVESTIGATING
    assert proposal.home_office_reference == "HO-7"
