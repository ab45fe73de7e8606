"""A real HTTP server on 127.0.0.1 playing the Home Office, holding the adapter to its contract
(registrar/marriage/home_office/http.py CONTRACT): every request must be a POST to a documented
path with the configured 'Authorization: Bearer' key, a JSON body valid against the request
schema, no query string and nothing personal in the URL. Anything else is a violation (the
`home_office_server` fixture fails the test on any)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from registrar.marriage.home_office.http import PATHS, validator

KEY = "home-office-test-key"
PREFIX = "/ho"


@dataclass
class Reply:
    status: int = 200
    body: object = None
    raw: bytes | None = None
    hang: bool = False
    stall: bool = False
    honest: bool = True


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def default_answer(call: str, body: dict) -> dict:
    if call == "suspicion":
        return {"reference": "HOS-1"}
    return {"reference": "HO-1", "decision": "pending"}


class HomeOfficeServer:
    def __init__(self) -> None:
        self.routes = {PREFIX + path: (call, request, response) for call, (path, request, response) in PATHS.items()}
        self.replies: list[Reply] = []
        self.received: list[dict] = []
        self.violations: list[str] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                server._handle(self)

            def do_GET(self):  # noqa: N802
                server.violations.append(f"GET {self.path}: the contract has only POSTs")
                server._send(self, Reply(status=405, body={"error": "method"}))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}/"

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        problems = []
        url = urlsplit(handler.path)
        if url.query:
            problems.append(f"query string {url.query!r}")
        if handler.headers.get("Authorization") != f"Bearer {KEY}":
            problems.append("no 'Authorization: Bearer <key>' header with the configured key")
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
            problems.append("the body is not JSON")
        self.received.append({"path": url.path, "body": body})
        route = self.routes.get(url.path)
        if route is None:
            problems.append(f"POST {url.path}: not a documented path")
        elif body is not None:
            call, request_schema, response_schema = route
            problems += [
                f"request breaks {request_schema}: {e.message[:200]}"
                for e in validator(request_schema).iter_errors(body)
            ]
            path = unquote(url.path)
            problems += [
                f"personal data {text!r} in the URL" for text in _strings(body) if len(text) >= 3 and text in path
            ]
        if problems:
            self.violations += problems
            self._send(handler, Reply(status=400, body={"errors": problems}))
            return
        reply = self.replies.pop(0) if self.replies else Reply(body=default_answer(call, body))
        if reply.hang:
            self.release.wait(10)
            return
        if reply.honest and reply.raw is None and reply.status in (200, 201):
            self.violations += [
                f"the test's reply breaks {response_schema}: {e.message[:200]}"
                for e in validator(response_schema).iter_errors(reply.body)
            ]
        self._send(handler, reply)

    def _send(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        content = reply.raw if reply.raw is not None else json.dumps(reply.body).encode()
        try:
            handler.send_response(reply.status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(content)))
            handler.end_headers()
            if reply.stall:
                handler.wfile.flush()
                self.release.wait(10)
            handler.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
