"""The request-body cap: a Content-Length over REQUEST_BODY_MAX_BYTES is answered 413 before the
body is read (the API's error shape under /api/, the service's page elsewhere, in the person's
language), a chunked body stops being read at the cap with the same 413, and a body within the
cap, chunked or not, reaches the view whole. Checked with Django's test client and over real
HTTP against gunicorn, where a 300 MB upload is refused after a few megabytes at most."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from identity import cases
from tests.factories import UserFactory, api_client, document_photo

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size=-1):
        raise AssertionError("the body was read")

    readline = read


class CountingBody(io.BytesIO):
    """A chunked body that remembers how much of it was read."""

    def read(self, size=-1):
        piece = super().read(size)
        self.bytes_read = getattr(self, "bytes_read", 0) + len(piece)
        return piece


def _oversized(client: Client, path: str, **headers):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(300 * MB),
        **{"wsgi.input": UnreadableBody()},
        **headers,
    )


def test_an_api_request_declaring_too_large_a_body_is_a_413_in_the_error_shape_unread(client):
    response = _oversized(client, "/api/v1/identity/case/document/photo")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == "request_too_large" and "send at most 11 MB" in error["message"]
    # WSGI servers refuse hop-by-hop headers from the application (wsgiref, under runserver, fails).
    assert not response.has_header("Connection")


def test_a_page_request_declaring_too_large_a_body_is_the_413_page_unread(client):
    response = _oversized(client, "/identity/document/photo/")
    html = response.content.decode()
    assert response.status_code == 413
    assert "<title>The file you sent is too large" in html
    assert "larger than 11MB, so it was not read" in html and 'class="govuk-heading-l"' in html


def test_the_413_page_is_in_welsh_for_a_welsh_speaker(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    response = _oversized(client, "/identity/document/photo/")
    assert response.status_code == 413
    assert '<html lang="cy"' in response.content.decode()


def test_a_body_at_the_cap_is_let_through(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 1000
    response = client.post("/api/v1/does-not-exist", data=b"x" * 1000, content_type="application/octet-stream")
    assert response.status_code == 404


def _chunked(client: Client, path: str, body: CountingBody, content_type: str):
    return client.generic(
        "POST",
        path,
        b"",
        content_type=content_type,
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": body},
    )


def test_a_chunked_body_past_the_cap_stops_being_read_and_is_a_413(client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 256 * 1024
    body = CountingBody(b"x" * (5 * MB))
    response = _chunked(client, "/api/v1/identity/case/document/photo", body, "application/octet-stream")
    assert response.status_code == 413 and response.json()["error"]["code"] == "request_too_large"
    assert body.bytes_read <= 256 * 1024 + 64 * 1024


@pytest.mark.django_db
def test_a_chunked_upload_within_the_cap_reaches_the_view_whole(settings):
    person = UserFactory()
    cases.choose_document_type(case=cases.editable_case(person=person), document_type="passport")
    api = api_client(person)
    boundary = "----corpus"
    photo = document_photo()
    multipart = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.jpg"\r\n'
            "Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    body = CountingBody(multipart)
    response = _chunked(api, "/api/v1/identity/case/document/photo", body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 201, response.content[:300]
    assert response.json()["steps"]["document-photo"] is True
    assert body.bytes_read == len(multipart)


@pytest.mark.django_db
def test_an_upload_with_its_length_declared_is_untouched(settings):
    person = UserFactory()
    cases.choose_document_type(case=cases.editable_case(person=person), document_type="passport")
    photo = SimpleUploadedFile("p.jpg", document_photo(), content_type="image/jpeg")
    response = api_client(person).post("/api/v1/identity/case/document/photo", {"photo": photo}, format="multipart")
    assert response.status_code == 201


# --- Over real HTTP, against gunicorn ------------------------------------------------------------


@pytest.fixture(scope="module")
def gunicorn_address():
    """A gunicorn serving the site on a free port of 127.0.0.1 (the cap answers before any
    database is touched, so a throwaway SQLite file is enough)."""
    folder = tempfile.mkdtemp()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/limits.sqlite3",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONUNBUFFERED": "1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    address = None
    log = []
    while time.monotonic() < deadline and address is None:
        line = server.stdout.readline()
        if not line:
            break
        log.append(line)
        found = re.search(r"Listening at: http://(127\.0\.0\.1):(\d+)", line)
        if found:
            address = (found.group(1), int(found.group(2)))
    # The worker boots after the master listens: poll until it answers.
    while address and time.monotonic() < deadline:
        try:
            with socket.create_connection(address, timeout=2) as probe:
                probe.sendall(b"GET /api/v1/does-not-exist HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                if probe.recv(64).startswith(b"HTTP/1."):
                    break
        except OSError:
            time.sleep(0.1)
    assert address, "gunicorn did not start:\n" + "".join(log)
    yield address
    server.terminate()
    try:
        server.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()


def _send_large_body(address, headers: bytes, piece: bytes, total: int) -> tuple[bytes, int, float]:
    """Send headers, then `piece` again and again (up to `total` bytes) from another thread until
    the server answers; returns the answer, the body bytes sent before it came, and the seconds
    it took to come."""
    start = time.monotonic()
    answered = threading.Event()
    sent = [0]
    with socket.create_connection(address, timeout=30) as connection:
        connection.sendall(headers)

        def send() -> None:
            try:
                while sent[0] < total and not answered.is_set():
                    connection.sendall(piece)
                    sent[0] += len(piece)
            except OSError:
                pass  # the server closed the connection after answering

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answer = b""
        while b"\r\n\r\n" not in answer:
            more = connection.recv(65536)
            if not more:
                break
            answer += more
        seconds = time.monotonic() - start
        answered.set()
        connection.settimeout(2)
        try:
            while more := connection.recv(65536):
                answer += more
        except OSError:
            pass
    sender.join(timeout=10)
    return answer, sent[0], seconds


def test_gunicorn_answers_a_300_mb_upload_413_without_reading_it(gunicorn_address):
    headers = (
        b"POST /api/v1/identity/case/document/photo HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n" + f"Content-Length: {300 * MB}\r\n\r\n".encode()
    )
    answer, sent, seconds = _send_large_body(gunicorn_address, headers, b"x" * (256 * 1024), 300 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b'"request_too_large"' in answer
    # What was sent before the answer sits in socket buffers: the worker read none of it.
    assert sent < 32 * MB and seconds < 10, (sent, seconds)


def test_gunicorn_stops_reading_a_chunked_upload_at_the_cap(gunicorn_address):
    headers = (
        b"POST /api/v1/identity/case/document/photo HTTP/1.1\r\nHost: localhost\r\n"
        b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"x" * (256 * 1024)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    answer, sent, seconds = _send_large_body(gunicorn_address, headers, framed, 300 * MB)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < 64 * MB and seconds < 10, (sent, seconds)
