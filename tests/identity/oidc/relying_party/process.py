"""Starts the relying party in a process of its own for a test, and stops it afterwards."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def relying_party(*, port: int, provider_url: str, client_id: str, client_secret: str, scope: str) -> Iterator[str]:
    """Yields the relying party's address once it answers."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "RP_PROVIDER_URL": provider_url,
        "RP_CLIENT_ID": client_id,
        "RP_CLIENT_SECRET": client_secret,
        "RP_SCOPE": scope,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.identity.oidc.relying_party.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The server prints "ready" once it is listening; nothing else is waited for.
        line = process.stdout.readline()
        if line.strip() != "ready":
            raise RuntimeError(f"the relying party did not start: {line}{process.stderr.read()}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
