"""Signing certificate PDFs (PAdES, with pyHanko) with the service's key, and checking a PDF's
signature against our own certificate authority. `create_development_keys()` makes a CA and a
signing certificate for development and tests."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

SIGNATURE_FIELD = "CertificateSignature"


class SigningKeyMissing(Exception):
    """The service has no signing key: run `manage.py create_signing_key` in development."""


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, str(settings.SERVICE_NAME)),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def create_development_keys(folder: Path, *, passphrase: str = "") -> dict[str, Path]:
    """A development certificate authority and a document-signing certificate issued by it,
    written as PEM files into `folder`. Never for production: there the keys come from a
    real CA and a key store."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Registrar Online development CA")
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Registrar Online certificate signing"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    paths = {
        "key": folder / "signing-key.pem",
        "cert": folder / "signing-cert.pem",
        "ca": folder / "ca-cert.pem",
    }
    paths["key"].write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    )
    paths["key"].chmod(0o600)
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["ca"].write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return paths


def _file_contents(path: Path) -> bytes | None:
    """The file as it is now (a few kilobytes; None when missing): reading it is cheap, parsing
    and decrypting it is not, and comparing contents notices a rotation however it was done."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class _LoadedSigner:
    source: tuple
    signer: signers.SimpleSigner
    # The room kept in the PDF for the signature. Left to pyHanko, it is estimated by building a
    # whole trial signature before every real one (half the cost of signing); its size depends
    # only on the key and certificates, so it is measured once, when they are loaded.
    bytes_reserved: int


# The loaded signer of this process, with what it was loaded from: reading and decrypting the key
# and parsing the certificates costs more than the signature itself, so it is done once, and again
# only when the settings or the files change (a rotated key is used from the next signature).
_loaded_signer: _LoadedSigner | None = None
_signer_lock = threading.Lock()


def _signature_room(signer: signers.SimpleSigner) -> int:
    """pyHanko's own estimate (a trial signature's size, hex-encoded, plus half again: its margin)."""
    trial = _outside_an_event_loop(
        lambda: asyncio.run(
            signer.async_sign(
                hashlib.sha256().digest(),
                "sha256",
                use_pades=True,
                dry_run=True,
                signed_attr_settings=PdfCMSSignedAttributes(signing_time=datetime.datetime.now(datetime.UTC)),
            )
        )
    )
    size = len(trial.dump()) * 2
    return size + 2 * (size // 4)


def _signer() -> _LoadedSigner:
    global _loaded_signer
    key_path = Path(settings.CERTIFICATE_SIGNING_KEY_PATH)
    cert_path = Path(settings.CERTIFICATE_SIGNING_CERT_PATH)
    ca_path = Path(settings.CERTIFICATE_SIGNING_CA_PATH)
    passphrase = settings.CERTIFICATE_SIGNING_KEY_PASSPHRASE
    source = (
        str(key_path),
        str(cert_path),
        str(ca_path),
        passphrase,
        _file_contents(key_path),
        _file_contents(cert_path),
        _file_contents(ca_path),
    )
    loaded = _loaded_signer
    if loaded is not None and loaded.source == source:
        return loaded
    if source[4] is None or source[5] is None:
        raise SigningKeyMissing(f"no signing key at {key_path}; run `manage.py create_signing_key`")
    with _signer_lock:
        signer = signers.SimpleSigner.load(
            str(key_path),
            str(cert_path),
            ca_chain_files=[str(ca_path)] if source[6] is not None else None,
            key_passphrase=passphrase.encode() if passphrase else None,
        )
        if signer is None:
            raise SigningKeyMissing("the signing key or certificate could not be read")
        _loaded_signer = _LoadedSigner(source, signer, _signature_room(signer))
    return _loaded_signer


def _outside_an_event_loop(work):
    """pyHanko's synchronous calls start their own event loop (`asyncio.run`), which cannot
    happen in a thread already running one (an ASGI worker, a browser driver): there, the work
    runs in a thread of its own and this one waits for it."""
    if asyncio._get_running_loop() is None:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """A PAdES signature (ETSI.CAdES.detached) over the whole document."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    output = io.BytesIO()
    loaded = _signer()
    _outside_an_event_loop(
        lambda: signers.sign_pdf(
            writer,
            signers.PdfSignatureMetadata(
                field_name=SIGNATURE_FIELD,
                subfilter=SigSeedSubFilter.PADES,
                md_algorithm="sha256",
                reason=reason,
                location=location,
            ),
            signer=loaded.signer,
            bytes_reserved=loaded.bytes_reserved,
            output=output,
        )
    )
    return output.getvalue()


def _trust_context() -> ValidationContext:
    ca_path = Path(settings.CERTIFICATE_SIGNING_CA_PATH)
    if not ca_path.exists():
        raise SigningKeyMissing(f"no CA certificate at {ca_path}")
    data = ca_path.read_bytes()
    if pem.detect(data):
        _type, _headers, data = pem.unarmor(data)
    root = asn1_x509.Certificate.load(data)
    return ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")


@dataclass(frozen=True)
class SignatureCheck:
    """What the signature of an uploaded PDF says."""

    readable: bool  # a PDF we could parse, with one signature
    intact: bool  # the signed bytes are unchanged
    signed_by_us: bool  # the signer chains to our CA and the signature is valid
    whole_document: bool  # nothing was added after signing
    serial: str  # the serial number written in the document's metadata, if any

    @property
    def ok(self) -> bool:
        return self.readable and self.intact and self.signed_by_us and self.whole_document


UNREADABLE = SignatureCheck(readable=False, intact=False, signed_by_us=False, whole_document=False, serial="")


def check_signature(pdf: bytes) -> SignatureCheck:
    """Validate the document's one signature with pyHanko against our CA (never trusting
    anything the document says about who signed it)."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        serial = _serial_from_metadata(reader)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return UNREADABLE
    if len(signatures) != 1:
        return SignatureCheck(readable=False, intact=False, signed_by_us=False, whole_document=False, serial=serial)
    try:
        trust = _trust_context()
        status = _outside_an_event_loop(lambda: validate_pdf_signature(signatures[0], trust))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return SignatureCheck(readable=True, intact=False, signed_by_us=False, whole_document=False, serial=serial)
    return SignatureCheck(
        readable=True,
        intact=bool(status.intact),
        signed_by_us=bool(status.intact and status.valid and status.trusted),
        whole_document=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        serial=serial,
    )


SERIAL_KEYWORD = "serial:"


def _serial_from_metadata(reader: PdfFileReader) -> str:
    """The renderer writes `serial:<serial>` into the document's keywords."""
    info = reader.trailer_view.get("/Info")
    if info is None:
        return ""
    keywords = str(info.get_object().get("/Keywords", ""))
    for word in keywords.split():
        if word.startswith(SERIAL_KEYWORD):
            return word[len(SERIAL_KEYWORD) :][:40]
    return ""
