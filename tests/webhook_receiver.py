"""A local HTTP server standing in for an integrator's webhook endpoint, for the webhook tests
here and in tests/faults."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An integrator's endpoint: answers each request with the next scripted status (or
    sleeps past the timeout for "slow"), and keeps what it received."""

    def __init__(self) -> None:
        self.script: list[int | str] = []
        self.received: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                answer = receiver.script.pop(0) if receiver.script else 200
                if answer == "slow":
                    time.sleep(1.5)
                    answer = 200
                try:
                    self.send_response(int(answer))
                    self.end_headers()
                    self.wfile.write(b"ok")
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
