"""A real HTTP server on 127.0.0.1 playing an outside service (an identity provider, the Home
Office), holding an adapter to the service's contract: every request must be a POST to a
documented path, with the configured 'Authorization: Bearer' key, a JSON body valid against the
request schema, no query string and no personal data anywhere in the URL. Anything else is a
violation (the fixtures fail the test on any). Its answers are checked against the response
schema too, unless a test means to send a wrong one."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit


@dataclass
class Reply:
    """One scripted answer: a JSON body, or raw bytes; `hang` waits until the test ends (past any
    timeout); `honest=False` lets a body break the response schema on purpose."""

    status: int = 200
    body: object = None
    raw: bytes | None = None
    hang: bool = False
    stall: bool = False  # send the status and headers, then wait like `hang` before the body
    honest: bool = True


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


class ContractServer:
    """Serves `routes` (a path pattern under `prefix` -> (request schema, response schema, a
    function of the request body giving the default answer)), checking every request against
    `validator`'s schemas and the bearer `key`."""

    def __init__(self, routes: dict, *, validator: Callable, key: str, prefix: str) -> None:
        self.validator, self.key = validator, key
        self.routes = {re.compile(re.escape(prefix) + pattern): route for pattern, route in routes.items()}
        self.replies: list[Reply] = []
        self.received: list[dict] = []
        self.violations: list[str] = []
        self.release = threading.Event()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                provider._handle(self)

            def do_GET(self):  # noqa: N802
                provider.violations.append(f"GET {self.path}: the contract has only POSTs")
                provider._send(self, Reply(status=405, body={"error": "method"}, honest=False))

            do_PUT = do_DELETE = do_PATCH = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{prefix}/"

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def take_violations(self) -> list[str]:
        found, self.violations = self.violations, []
        return found

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        problems = []
        url = urlsplit(handler.path)
        if url.query:
            problems.append(f"query string {url.query!r}: nothing goes in the URL query")
        if handler.headers.get("Authorization") != f"Bearer {self.key}":
            problems.append("no 'Authorization: Bearer <key>' header with the configured key")
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            problems.append(f"Content-Type {handler.headers.get('Content-Type')!r} is not JSON")
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        route = next((route for pattern, route in self.routes.items() if pattern.fullmatch(url.path)), None)
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
            problems.append("the body is not JSON")
        self.received.append({"path": url.path, "headers": dict(handler.headers), "body": body})
        if route is None:
            problems.append(f"POST {url.path}: not a documented path")
        elif body is not None:
            request_schema, response_schema, answer = route
            problems += [
                f"request breaks {request_schema} at {error.json_path}: {error.message[:200]}"
                for error in self.validator(request_schema).iter_errors(body)
            ]
            path = unquote(url.path)
            problems += [
                f"personal data {text!r} in the URL"
                for text in _strings(body)
                if len(text) >= 3 and text in path and len(text) < 1000
            ]
        if problems:
            self.violations += problems
            self._send(handler, Reply(status=400, body={"errors": problems}, honest=False))
            return
        reply = self.replies.pop(0) if self.replies else Reply(body=answer(body))
        if reply.hang:
            self.release.wait(10)
            return  # the adapter has given up by now: nobody reads this answer
        if reply.honest and reply.raw is None and reply.status in (200, 201):
            self.violations += [
                f"the test's reply breaks {response_schema} at {error.json_path}: {error.message[:200]}"
                for error in self.validator(response_schema).iter_errors(reply.body)
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
            pass  # the adapter gave up waiting, as it should

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
