"""The signer is loaded once per process and again when the key is rotated."""

from __future__ import annotations

import io

import pytest
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from reportlab.pdfgen import canvas

from certificates import signing


def _pdf() -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(100, 750, "Certified copy")
    page.save()
    return buffer.getvalue()


def _signer_serial(pdf: bytes) -> int:
    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].signer_cert.serial_number


def _serial_of(path) -> int:
    data = path.read_bytes()
    _type, _headers, der = pem.unarmor(data)
    return asn1_x509.Certificate.load(der).serial_number


def _counting_loads(monkeypatch) -> list[int]:
    loads = []
    real_load = signers.SimpleSigner.load

    def load(*args, **kwargs):
        loads.append(1)
        return real_load(*args, **kwargs)

    monkeypatch.setattr(signers.SimpleSigner, "load", load)
    monkeypatch.setattr(signing, "_loaded_signer", None)
    return loads


def test_the_signing_key_is_read_once_for_many_signatures(monkeypatch):
    loads = _counting_loads(monkeypatch)
    signed = [signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales") for _ in range(3)]
    assert len(loads) == 1
    assert all(signing.check_signature(pdf).ok for pdf in signed)


def test_a_rotated_signing_key_is_used_from_the_next_signature(monkeypatch, settings, tmp_path):
    paths = signing.create_development_keys(tmp_path, passphrase="first")
    settings.CERTIFICATE_SIGNING_KEY_PATH = paths["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = paths["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = paths["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = "first"
    loads = _counting_loads(monkeypatch)
    before = signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales")
    assert _signer_serial(before) == _serial_of(paths["cert"])

    # The new key and certificate are written over the old files, under the same names.
    signing.create_development_keys(tmp_path, passphrase="first")
    after = signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales")
    assert _signer_serial(after) == _serial_of(paths["cert"]) != _signer_serial(before)
    assert signing.check_signature(after).ok
    assert len(loads) == 2


def test_a_removed_signing_key_is_noticed_even_after_it_was_loaded(monkeypatch, settings, tmp_path):
    paths = signing.create_development_keys(tmp_path)
    settings.CERTIFICATE_SIGNING_KEY_PATH = paths["key"]
    settings.CERTIFICATE_SIGNING_CERT_PATH = paths["cert"]
    settings.CERTIFICATE_SIGNING_CA_PATH = paths["ca"]
    settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE = ""
    _counting_loads(monkeypatch)
    signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales")
    paths["key"].unlink()
    with pytest.raises(signing.SigningKeyMissing):
        signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales")


def test_signing_and_checking_work_inside_a_running_event_loop():
    """As in an ASGI worker or beside a browser driver: pyHanko's own event loop cannot start
    there, so the work runs in a thread of its own. (The loop is started in a fresh thread, as
    this test's own thread may already be running one.)"""
    import asyncio
    import threading

    async def inside():
        signed = signing.sign_pdf(_pdf(), reason="Certified copy", location="England and Wales")
        return signing.check_signature(signed)

    checks = []
    thread = threading.Thread(target=lambda: checks.append(asyncio.run(inside())))
    thread.start()
    thread.join()
    assert len(checks) == 1 and checks[0].ok
