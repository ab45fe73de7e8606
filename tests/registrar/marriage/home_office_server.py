"""A real HTTP server on 127.0.0.1 playing the Home Office, holding the adapter to its contract
(registrar/marriage/home_office/http.py CONTRACT): every request must be a POST to a documented
path with the configured 'Authorization: Bearer' key, a JSON body valid against the request
schema, no query string and nothing personal in the URL. Anything else is a violation (the
`home_office_server` fixture fails the test on any)."""

from __future__ import annotations

import re

from registrar.marriage.home_office.http import PATHS, validator
from tests.contract_server import ContractServer, Reply

__all__ = ["KEY", "PREFIX", "HomeOfficeServer", "Reply"]

KEY = "home-office-test-key"
PREFIX = "/ho"


def default_answer(call: str, body: dict) -> dict:
    if call == "suspicion":
        return {"reference": "HOS-1"}
    return {"reference": "HO-1", "decision": "pending"}


class HomeOfficeServer(ContractServer):
    def __init__(self) -> None:
        routes = {
            re.escape(path): (request, response, lambda body, call=call: default_answer(call, body))
            for call, (path, request, response) in PATHS.items()
        }
        super().__init__(routes, validator=validator, key=KEY, prefix=PREFIX)
