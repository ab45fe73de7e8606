"""The append-only audit log: `record_audit()` writes an entry chained with HMAC-SHA256 under a
key kept outside the database, `verify_chain()` finds the first entry that was changed, removed,
reordered or re-forged, and `write_checkpoint()` / `verify_checkpoints()` anchor the chain's
head in signed documents kept where the database cannot rewrite them (DESIGN.md invariant 7)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import AuditCheckpoint, AuditEntry, User

logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# Entries written before the chain was keyed carry no key id and a plain SHA-256.
LEGACY_KEY_ID = ""
CHECKPOINT_FORMAT = "registrar-online/audit-checkpoint/1"
CHECKPOINT_STORAGE = "audit_checkpoints"
# Any constants work; they only have to be the same for every writer of the chain.
_AUDIT_LOCK_KEY = 7_220_001
_CHECKPOINT_LOCK_KEY = 7_220_002


class AuditConfigurationError(Exception):
    """A key the log needs is not configured."""


def _canonical(data: dict[str, Any]) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()


def _payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "sequence": entry.sequence,
        "at": entry.at.astimezone(UTC).isoformat(),
        "actor": entry.actor_id,
        "actor_email": entry.actor_email,
        "on_behalf_of": entry.on_behalf_of_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "subject": entry.subject_id,
        "reason": entry.reason,
        "detail": entry.detail,
        "client_address": entry.client_address,
        "previous_hash": entry.previous_hash,
    }


def unkeyed_entry_hash(entry: AuditEntry) -> str:
    """The plain SHA-256 the log used before it was keyed. Anyone can compute it, which is why
    such entries are accepted only before the first checkpoint sealed them."""
    return hashlib.sha256(_canonical(_payload(entry))).hexdigest()


def chain_key(key_id: str) -> bytes:
    secret = settings.AUDIT_CHAIN_KEYS.get(key_id)
    if secret is None:
        raise AuditConfigurationError(f"audit chain key {key_id!r} is not configured in AUDIT_CHAIN_KEYS")
    return secret.encode()


def keyed_entry_hash(entry: AuditEntry, *, key: bytes) -> str:
    # The key id is inside the MAC so an entry cannot be relabelled with another key.
    payload = {**_payload(entry), "key_id": entry.key_id}
    return hmac.new(key, _canonical(payload), hashlib.sha256).hexdigest()


def record_audit(
    *,
    actor: User | None,
    action: str,
    subject: User | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    detail: dict[str, Any] | None = None,
    on_behalf_of: User | None = None,
    client_address: str | None = None,
) -> AuditEntry:
    """Append one entry. Writers are serialised so that the chain never forks."""
    key_id = settings.AUDIT_CHAIN_KEY_ID
    key = chain_key(key_id)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two writers reading the same head would both link to it; the lock makes them queue.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_AUDIT_LOCK_KEY])
        head = AuditEntry.objects.order_by("-sequence").only("sequence", "entry_hash").first()
        entry = AuditEntry(
            sequence=(head.sequence + 1) if head else 1,
            at=timezone.now(),
            actor=actor if actor and actor.pk else None,
            actor_email=actor.email if actor and actor.pk else "",
            on_behalf_of=on_behalf_of,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            subject=subject,
            reason=reason[:500],
            # A JSON round trip so the hash covers what the database will give back.
            detail=json.loads(json.dumps(detail or {}, default=str)),
            client_address=client_address,
            previous_hash=head.entry_hash if head else GENESIS_HASH,
            key_id=key_id,
        )
        entry.entry_hash = keyed_entry_hash(entry, key=key)
        entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_sequence: int | None
    problem: str
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    # The last entry of the unkeyed prefix (0 when every entry is keyed).
    legacy_through: int = 0

    @property
    def intact(self) -> bool:
        return self.first_bad_sequence is None


def verify_chain(*, after: AuditCheckpointDocument | None = None) -> ChainReport:
    """Walk the log in order and report the first entry whose content, link, key or position
    does not match. From a verified checkpoint (`after`) only the entries newer than it are walked."""
    expected_previous = after.entry_hash if after else GENESIS_HASH
    expected_sequence = (after.sequence + 1) if after else 1
    legacy_through = after.legacy_through if after else 0
    keyed_seen = bool(after) and after.legacy_through < after.sequence
    keys: dict[str, bytes] = {}
    checked = 0

    def bad(sequence: int, problem: str) -> ChainReport:
        return ChainReport(checked, sequence, problem, expected_sequence - 1, expected_previous, legacy_through)

    entries = AuditEntry.objects.filter(sequence__gte=expected_sequence).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return bad(expected_sequence, f"entry {expected_sequence} is missing")
        if entry.previous_hash != expected_previous:
            return bad(entry.sequence, "link to the previous entry does not match")
        if entry.key_id == LEGACY_KEY_ID:
            if keyed_seen:
                return bad(entry.sequence, "an unkeyed entry follows keyed ones (re-forged with the public hash)")
            if unkeyed_entry_hash(entry) != entry.entry_hash:
                return bad(entry.sequence, "content does not match its hash")
            legacy_through = entry.sequence
        else:
            if entry.key_id not in keys:
                if entry.key_id not in settings.AUDIT_CHAIN_KEYS:
                    return bad(
                        entry.sequence,
                        f"it was chained with key {entry.key_id!r}, which AUDIT_CHAIN_KEYS does not hold",
                    )
                keys[entry.key_id] = chain_key(entry.key_id)
            if not hmac.compare_digest(keyed_entry_hash(entry, key=keys[entry.key_id]), entry.entry_hash):
                return bad(entry.sequence, "content does not match its keyed hash")
            keyed_seen = True
        expected_previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return ChainReport(checked, None, "", expected_sequence - 1, expected_previous, legacy_through)


# --- Checkpoints -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditCheckpointDocument:
    """What a checkpoint vouches for: the head of the chain when it was written."""

    sequence: int
    entry_hash: str
    entry_count: int
    legacy_through: int
    written_at: str
    signing_key_id: str
    storage_name: str = field(default="", compare=False)

    def signed_fields(self) -> dict[str, Any]:
        return {
            "format": CHECKPOINT_FORMAT,
            "sequence": self.sequence,
            "entry_hash": self.entry_hash,
            "entry_count": self.entry_count,
            "legacy_through": self.legacy_through,
            "written_at": self.written_at,
            "signing_key_id": self.signing_key_id,
        }


class CheckpointInvalid(Exception):
    """A stored checkpoint that cannot be read or whose signature does not verify."""


def _signing_key() -> tuple[str, Ed25519PrivateKey]:
    key_id, _, encoded = settings.AUDIT_CHECKPOINT_SIGNING_KEY.partition(":")
    try:
        return key_id, Ed25519PrivateKey.from_private_bytes(base64.b64decode(encoded, validate=True))
    except ValueError as error:
        raise AuditConfigurationError(
            "AUDIT_CHECKPOINT_SIGNING_KEY must be id:<base64 of a 32-byte Ed25519 private key>"
        ) from error


def _raw_public(key: Ed25519PublicKey) -> str:
    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def public_keys() -> dict[str, str]:
    """Every checkpoint public key integrators may meet (id -> base64 of the raw 32 bytes): the
    current signing key's and the retired ones still listed."""
    key_id, private = _signing_key()
    return {**settings.AUDIT_CHECKPOINT_PUBLIC_KEYS, key_id: _raw_public(private.public_key())}


def new_signing_key(key_id: str) -> tuple[str, str]:
    """A fresh AUDIT_CHECKPOINT_SIGNING_KEY value and the public key to publish."""
    private = Ed25519PrivateKey.generate()
    raw = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return f"{key_id}:{base64.b64encode(raw).decode()}", _raw_public(private.public_key())


def checkpoint_storage():
    return storages[CHECKPOINT_STORAGE]


def checkpoint_name(sequence: int) -> str:
    # Zero-padded so that names sort in sequence order in any storage's listing.
    return f"audit-checkpoint-{sequence:015d}.json"


def _sign(document: AuditCheckpointDocument) -> bytes:
    _key_id, private = _signing_key()
    signature = private.sign(_canonical(document.signed_fields()))
    body = {
        "checkpoint": document.signed_fields(),
        "signature": {
            "algorithm": "Ed25519",
            "key_id": document.signing_key_id,
            "value": base64.b64encode(signature).decode(),
        },
    }
    return json.dumps(body, sort_keys=True, indent=2).encode()


def parse_checkpoint(content: bytes, *, storage_name: str = "") -> AuditCheckpointDocument:
    """Read a stored checkpoint and check its signature; raises CheckpointInvalid."""
    try:
        body = json.loads(content)
        fields = body["checkpoint"]
        signature = body["signature"]
        if fields.get("format") != CHECKPOINT_FORMAT or signature.get("algorithm") != "Ed25519":
            raise CheckpointInvalid(f"{storage_name}: not a checkpoint this service writes")
        document = AuditCheckpointDocument(
            sequence=int(fields["sequence"]),
            entry_hash=str(fields["entry_hash"]),
            entry_count=int(fields["entry_count"]),
            legacy_through=int(fields["legacy_through"]),
            written_at=str(fields["written_at"]),
            signing_key_id=str(fields["signing_key_id"]),
            storage_name=storage_name,
        )
        value = base64.b64decode(signature["value"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointInvalid(f"{storage_name}: cannot be read ({error.__class__.__name__})") from error
    public = public_keys().get(document.signing_key_id)
    if public is None or signature.get("key_id") != document.signing_key_id:
        raise CheckpointInvalid(
            f"{storage_name}: signed with key {document.signing_key_id!r}, whose public key is not configured"
        )
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(value, _canonical(fields))
    except (InvalidSignature, ValueError) as error:
        raise CheckpointInvalid(f"{storage_name}: the signature does not verify (forged or altered)") from error
    return document


def stored_checkpoint_names() -> list[str]:
    """Checkpoint names as the storage lists them, oldest first: the storage is the authority,
    so a row deleted from the table hides nothing."""
    storage = checkpoint_storage()
    try:
        _folders, files = storage.listdir("")
    except FileNotFoundError:
        return []
    return sorted(name for name in files if name.startswith("audit-checkpoint-") and name.endswith(".json"))


def read_checkpoint(name: str) -> AuditCheckpointDocument:
    with checkpoint_storage().open(name, "rb") as stored:
        return parse_checkpoint(stored.read(), storage_name=name)


def latest_checkpoint_name() -> str | None:
    """The newest checkpoint's name: found through the table (no listing of a bucket that grows
    by one file per interval), or from the storage's own listing when the table's file is gone."""
    row = AuditCheckpoint.objects.order_by("-sequence").first()
    if row is not None and checkpoint_storage().exists(row.storage_name):
        return row.storage_name
    names = stored_checkpoint_names()
    return names[-1] if names else None


def _latest_verified_checkpoint() -> AuditCheckpointDocument | None:
    name = latest_checkpoint_name()
    return read_checkpoint(name) if name else None


@dataclass(frozen=True)
class CheckpointResult:
    checkpoint: AuditCheckpoint | None
    written: bool


class ChainBroken(Exception):
    """The chain does not verify, so its head must not be signed."""


def _index(document: AuditCheckpointDocument) -> AuditCheckpoint:
    """The table row for a stored checkpoint; a new row is announced through the listeners."""
    checkpoint, created = AuditCheckpoint.objects.get_or_create(
        sequence=document.sequence,
        defaults={
            "entry_hash": document.entry_hash,
            "entry_count": document.entry_count,
            "written_at": datetime.fromisoformat(document.written_at),
            "storage_name": document.storage_name,
            "signing_key_id": document.signing_key_id,
        },
    )
    if created:
        for path in settings.AUDIT_CHECKPOINT_LISTENERS:
            import_string(path)(checkpoint=checkpoint, document=stored_document(document.storage_name))
    return checkpoint


def write_checkpoint() -> CheckpointResult:
    """Sign the chain's head and store it, if it moved since the last checkpoint. The chain since
    that checkpoint is verified first, so a tampered head is never vouched for. Twice with no new
    entry writes nothing the second time."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHECKPOINT_LOCK_KEY])
        previous = _latest_verified_checkpoint()
        if (
            previous
            and not AuditEntry.objects.filter(sequence=previous.sequence, entry_hash=previous.entry_hash).exists()
        ):
            raise ChainBroken(f"entry {previous.sequence} is missing or differs from {previous.storage_name}")
        report = verify_chain(after=previous)
        if not report.intact:
            raise ChainBroken(f"entry {report.first_bad_sequence}: {report.problem}")
        if report.head_sequence == 0:
            return CheckpointResult(None, False)
        if previous and previous.sequence == report.head_sequence:
            return CheckpointResult(_index(previous), False)
        signing_key_id, _private = _signing_key()
        name = checkpoint_name(report.head_sequence)
        document = AuditCheckpointDocument(
            sequence=report.head_sequence,
            entry_hash=report.head_hash,
            entry_count=AuditEntry.objects.filter(sequence__lte=report.head_sequence).count(),
            legacy_through=report.legacy_through,
            written_at=timezone.now().astimezone(UTC).isoformat(),
            signing_key_id=signing_key_id,
            storage_name=name,
        )
        storage = checkpoint_storage()
        if storage.exists(name):
            # Stored by a run that stopped before its row committed: index that one if it agrees.
            document = read_checkpoint(name)
            if document.entry_hash != report.head_hash:
                raise ChainBroken(f"{name} vouches for another entry {document.sequence} than the table holds")
        else:
            saved = storage.save(name, ContentFile(_sign(document)))
            if saved != name:
                raise AuditConfigurationError(f"the checkpoint storage stored {name} as {saved}")
        checkpoint = _index(document)
    logger.info("audit checkpoint written at entry %s (%s)", checkpoint.sequence, name)
    return CheckpointResult(checkpoint, True)


def stored_document(name: str) -> dict[str, Any]:
    """The checkpoint exactly as stored (checkpoint fields and signature), for integrators."""
    with checkpoint_storage().open(name, "rb") as stored:
        return json.loads(stored.read())


@dataclass(frozen=True)
class CheckpointReport:
    checked: int
    problems: list[str]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_checkpoints(chain: ChainReport, *, limit: int | None = None) -> CheckpointReport:
    """Compare the table with the newest stored checkpoints (all of them when `limit` is None):
    a checkpoint beyond the table's head means the tail was cut; a different hash at a
    checkpointed entry means it was re-forged; a different unkeyed prefix means entries were
    rewritten with the public hash."""
    problems: list[str] = []
    documents: list[AuditCheckpointDocument] = []
    checked = 0
    names = stored_checkpoint_names()
    newest = names if limit is None else names[max(len(names) - limit, 0) :]
    for name in newest:
        checked += 1
        try:
            documents.append(read_checkpoint(name))
        except CheckpointInvalid as error:
            problems.append(f"checkpoint {error}")
    hashes = dict(
        AuditEntry.objects.filter(sequence__in=[d.sequence for d in documents]).values_list("sequence", "entry_hash")
    )
    for document in documents:
        where = f"checkpoint {document.storage_name} (entry {document.sequence}, written {document.written_at})"
        if document.sequence > chain.head_sequence:
            problems.append(
                f"the log was cut: it ends at entry {chain.head_sequence} but {where} vouches for "
                f"{document.sequence - chain.head_sequence} more"
            )
        elif hashes.get(document.sequence) != document.entry_hash:
            problems.append(f"entry {document.sequence} was re-forged: its hash differs from {where}")
        elif document.legacy_through != chain.legacy_through:
            problems.append(
                f"the unkeyed entries end at {chain.legacy_through}, not at {document.legacy_through} "
                f"as {where} sealed: entries were rewritten with the public hash"
            )
    latest_row = AuditCheckpoint.objects.order_by("-sequence").first()
    if latest_row is not None and latest_row.storage_name not in names:
        problems.append(f"the checkpoint table names {latest_row.storage_name}, which the checkpoint storage lacks")
    return CheckpointReport(checked, problems)


def latest_checkpoint_for_integrators() -> dict[str, Any] | None:
    """The newest checkpoint as stored, with every public key that may have signed it."""
    name = latest_checkpoint_name()
    if name is None:
        return None
    document = stored_document(name)
    return {
        "storage_name": name,
        "checkpoint": document["checkpoint"],
        "signature": document["signature"],
        "public_keys": [
            {"key_id": key_id, "algorithm": "Ed25519", "public_key": public}
            for key_id, public in sorted(public_keys().items())
        ],
    }
