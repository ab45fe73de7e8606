"""The append-only, hash-chained audit log: `record_audit()` writes an entry, `verify_chain()`
finds the first entry that was changed, removed or reordered."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry, User

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer of the chain.
_AUDIT_LOCK_KEY = 7_220_001


def _entry_hash(entry: AuditEntry) -> str:
    payload = {
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
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


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
        )
        entry.entry_hash = _entry_hash(entry)
        entry.save()
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_bad_sequence: int | None
    problem: str

    @property
    def intact(self) -> bool:
        return self.first_bad_sequence is None


def verify_chain() -> ChainReport:
    """Walk the log in order and report the first entry whose content, link or position
    does not match."""
    expected_previous = GENESIS_HASH
    expected_sequence = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        if entry.sequence != expected_sequence:
            return ChainReport(checked, expected_sequence, f"entry {expected_sequence} is missing")
        if entry.previous_hash != expected_previous:
            return ChainReport(checked, entry.sequence, "link to the previous entry does not match")
        if _entry_hash(entry) != entry.entry_hash:
            return ChainReport(checked, entry.sequence, "content does not match its hash")
        expected_previous = entry.entry_hash
        expected_sequence += 1
        checked += 1
    return ChainReport(checked, None, "")
