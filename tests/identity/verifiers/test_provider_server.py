"""The provider server the contract tests use catches an adapter that breaks a contract, so a
contract test can fail: a missing or wrong key, a query string, personal data in the path, a body
of the wrong shape, an undocumented path or method, and a dishonest reply of the test's own."""

from __future__ import annotations

import requests

from .provider_server import KEY, Reply

GOOD = {
    "passport_number": "123456789",
    "surname": "Morgan",
    "given_names": "Sarah",
    "birth_date": "1976-03-11",
    "expiry_date": "2030-01-01",
}
AUTH = {"Authorization": f"Bearer {KEY}"}


def test_a_request_that_keeps_the_contract_is_answered(serve):
    server = serve("passport")
    response = requests.post(server.url + "v1/passports/validations", json=GOOD, headers=AUTH, timeout=5)
    assert response.json() == {"request_id": "req_1", "result": "valid"}
    assert server.take_violations() == []


def test_a_missing_or_wrong_key_is_a_violation(serve):
    server = serve("passport")
    for headers in ({}, {"Authorization": "Bearer another-key"}, {"Authorization": KEY}):
        response = requests.post(server.url + "v1/passports/validations", json=GOOD, headers=headers, timeout=5)
        assert response.status_code == 400
    assert len(server.take_violations()) == 3


def test_a_query_string_is_a_violation(serve):
    server = serve("passport")
    requests.post(server.url + "v1/passports/validations?trace=1", json=GOOD, headers=AUTH, timeout=5)
    assert any("query string" in problem for problem in server.take_violations())


def test_personal_data_in_the_path_is_a_violation(serve):
    server = serve("knowledge")
    requests.post(
        server.url + "v1/sessions/Morgan/answers",
        json={"answers": [{"question_id": "q1", "choice": "Morgan"}]},
        headers=AUTH,
        timeout=5,
    )
    assert server.take_violations() == ["personal data 'Morgan' in the URL"]


def test_a_body_of_the_wrong_shape_is_a_violation(serve):
    server = serve("passport")
    for body in ({**GOOD, "birth_date": "11/03/1976"}, {**GOOD, "postcode": "LS1 5HD"}, {"passport_number": "1"}):
        requests.post(server.url + "v1/passports/validations", json=body, headers=AUTH, timeout=5)
    problems = server.take_violations()
    assert any("birth_date" in problem for problem in problems)
    assert any("postcode" in problem for problem in problems)
    assert any("surname" in problem for problem in problems)


def test_a_body_that_is_not_json_is_a_violation(serve):
    server = serve("fraud")
    requests.post(
        server.url + "v1/identity-checks",
        data=b"surname=Morgan",
        headers={**AUTH, "Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )
    problems = server.take_violations()
    assert any("not JSON" in problem for problem in problems)
    assert any("Content-Type" in problem for problem in problems)


def test_an_undocumented_path_or_method_is_a_violation(serve):
    server = serve("passport")
    requests.post(server.url + "v1/passports", json=GOOD, headers=AUTH, timeout=5)
    requests.get(server.url + "v1/passports/validations", headers=AUTH, timeout=5)
    assert len(server.take_violations()) == 2


def test_a_reply_that_breaks_the_response_schema_must_say_so(serve):
    server = serve("passport")
    server.reply(Reply(body={"result": "valid"}))
    requests.post(server.url + "v1/passports/validations", json=GOOD, headers=AUTH, timeout=5)
    assert any("request_id" in problem for problem in server.take_violations())
