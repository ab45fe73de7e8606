"""The audit log is append-only and chained with a keyed hash whose key is not in the database;
`manage.py verify_audit` finds the first entry that was edited, deleted, reordered or re-forged
with the public hash or a wrong key, and old keys still verify after a rotation."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from identity.audit import (
    GENESIS_HASH,
    keyed_entry_hash,
    record_audit,
    unkeyed_entry_hash,
    verify_chain,
)
from identity.management.commands.verify_audit import Command
from identity.models import AuditEntry
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list) -> None:
    """Change the table as someone with the database's owner rights could: on PostgreSQL the
    append-only triggers are switched off for the rest of the test's transaction first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def rewrite(entry: AuditEntry) -> None:
    tamper(
        "UPDATE identity_auditentry SET reason = %s, detail = %s, key_id = %s, previous_hash = %s, entry_hash = %s "
        "WHERE sequence = %s",
        [entry.reason, json.dumps(entry.detail), entry.key_id, entry.previous_hash, entry.entry_hash, entry.sequence],
    )


def _fields(entry: AuditEntry) -> dict:
    return {
        "sequence": entry.sequence,
        "at": entry.at.astimezone(datetime.UTC).isoformat(),
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


@pytest.fixture
def chain():
    staff = StaffFactory()
    person = UserFactory()
    return [
        record_audit(
            actor=staff, action="case.viewed", subject=person, object_type="case", object_id=n, detail={"n": n}
        )
        for n in range(1, 6)
    ]


def test_entries_link_to_the_previous_hash(chain):
    assert chain[0].previous_hash == GENESIS_HASH
    for before, after in zip(chain, chain[1:]):
        assert after.previous_hash == before.entry_hash
        assert after.sequence == before.sequence + 1


def test_entries_are_keyed_with_the_newest_configured_key(settings, chain):
    entry = AuditEntry.objects.get(sequence=3)
    key = settings.AUDIT_CHAIN_KEYS[settings.AUDIT_CHAIN_KEY_ID].encode()
    canonical = json.dumps({**_fields(entry), "key_id": entry.key_id}, sort_keys=True, separators=(",", ":"))
    assert entry.key_id == settings.AUDIT_CHAIN_KEY_ID
    assert entry.entry_hash == hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()
    assert entry.entry_hash != unkeyed_entry_hash(entry)


def test_intact_chain_verifies(chain, capsys):
    assert verify_chain().intact
    call_command("verify_audit")
    assert "5 entries verified" in capsys.readouterr().out


def test_entries_cannot_be_changed_or_deleted_through_the_orm(chain):
    entry = AuditEntry.objects.get(sequence=2)
    entry.reason = "edited"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()


def test_edited_entry_is_reported(chain):
    tamper("UPDATE identity_auditentry SET detail = %s WHERE sequence = 3", ['{"n": 99}'])
    report = verify_chain()
    assert report.first_bad_sequence == 3 and "content" in report.problem
    with pytest.raises(CommandError, match="entry 3"):
        call_command("verify_audit")


def test_editing_a_row_and_recomputing_every_hash_with_the_public_sha256_is_reported(chain):
    previous = AuditEntry.objects.get(sequence=1).entry_hash
    for entry in AuditEntry.objects.filter(sequence__gte=2).order_by("sequence"):
        if entry.sequence == 2:
            entry.reason = "covering tracks"
        entry.previous_hash = previous
        entry.entry_hash = unkeyed_entry_hash(entry)
        previous = entry.entry_hash
        rewrite(entry)
    report = verify_chain()
    assert report.first_bad_sequence == 2 and "keyed hash" in report.problem
    with pytest.raises(CommandError, match="entry 2: content does not match its keyed hash"):
        call_command("verify_audit")


def test_relabelling_re_forged_rows_as_unkeyed_after_keyed_ones_is_reported(chain):
    previous = AuditEntry.objects.get(sequence=3).entry_hash
    for entry in AuditEntry.objects.filter(sequence__gte=4).order_by("sequence"):
        entry.key_id = ""
        entry.reason = "covering tracks"
        entry.previous_hash = previous
        entry.entry_hash = unkeyed_entry_hash(entry)
        previous = entry.entry_hash
        rewrite(entry)
    report = verify_chain()
    assert report.first_bad_sequence == 4 and "unkeyed entry follows keyed ones" in report.problem


def test_recomputing_every_hash_with_the_wrong_key_is_reported(chain):
    wrong = b"a guess at the key, which is not in the database"
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("sequence"):
        entry.reason = "covering tracks" if entry.sequence == 1 else entry.reason
        entry.previous_hash = previous
        entry.entry_hash = keyed_entry_hash(entry, key=wrong)
        previous = entry.entry_hash
        rewrite(entry)
    report = verify_chain()
    assert report.first_bad_sequence == 1 and "keyed hash" in report.problem


def test_an_entry_chained_with_a_key_that_is_not_configured_is_reported(settings, chain):
    settings.AUDIT_CHAIN_KEYS = {"2027": "x" * 40}
    settings.AUDIT_CHAIN_KEY_ID = "2027"
    report = verify_chain()
    assert report.first_bad_sequence == 1
    assert f"key {chain[0].key_id!r}, which AUDIT_CHAIN_KEYS does not hold" in report.problem
    with pytest.raises(CommandError, match="AUDIT_CHAIN_KEYS does not hold"):
        call_command("verify_audit")


def test_after_a_key_rotation_old_and_new_entries_verify(settings, chain):
    old_id = settings.AUDIT_CHAIN_KEY_ID
    settings.AUDIT_CHAIN_KEYS = {**settings.AUDIT_CHAIN_KEYS, "2027": "a new secret of forty characters or so.."}
    settings.AUDIT_CHAIN_KEY_ID = "2027"
    newer = record_audit(actor=None, action="system.check")
    assert newer.key_id == "2027" and newer.previous_hash == chain[-1].entry_hash
    assert list(AuditEntry.objects.values_list("key_id", flat=True).distinct().order_by("key_id")) == sorted(
        [old_id, "2027"]
    )
    assert verify_chain().intact and verify_chain().checked == 6


def test_entries_written_before_the_chain_was_keyed_still_verify(settings, chain):
    """A database from before keying holds unkeyed SHA-256 entries (key id ""); they verify as a
    prefix of the chain, and keyed entries follow them."""
    previous = GENESIS_HASH
    for entry in AuditEntry.objects.filter(sequence__lte=3).order_by("sequence"):
        entry.key_id = ""
        entry.previous_hash = previous
        entry.entry_hash = unkeyed_entry_hash(entry)
        previous = entry.entry_hash
        rewrite(entry)
    key = settings.AUDIT_CHAIN_KEYS[settings.AUDIT_CHAIN_KEY_ID].encode()
    for entry in AuditEntry.objects.filter(sequence__gte=4).order_by("sequence"):
        entry.previous_hash = previous
        entry.entry_hash = keyed_entry_hash(entry, key=key)
        previous = entry.entry_hash
        rewrite(entry)
    report = verify_chain()
    assert report.intact and report.legacy_through == 3


def test_relabelling_an_entry_with_another_key_id_breaks_its_hash(settings, chain):
    settings.AUDIT_CHAIN_KEYS = {**settings.AUDIT_CHAIN_KEYS, "other": settings.AUDIT_CHAIN_KEYS[chain[0].key_id]}
    tamper("UPDATE identity_auditentry SET key_id = %s WHERE sequence = 2", ["other"])
    assert verify_chain().first_bad_sequence == 2


def test_the_unkeyed_hash_is_the_one_entries_were_chained_with_before_keying():
    """Existing databases hold entries hashed this way; the figure was computed by the code that
    wrote them, so they verify after the upgrade."""
    entry = AuditEntry(
        sequence=7,
        at=datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC),
        actor_id=3,
        actor_email="r@example.gov.uk",
        action="case.viewed",
        object_type="case",
        object_id="42",
        subject_id=9,
        reason="checking",
        detail={"n": 1, "office": "E-LEEDS"},
        client_address="192.0.2.1",
        previous_hash="a" * 64,
    )
    assert unkeyed_entry_hash(entry) == "60649af7c0e27285894de191189b32e0c96c485fe63be6092fcf70096a70a629"


def test_deleted_entry_is_reported(chain):
    tamper("DELETE FROM identity_auditentry WHERE sequence = %s", [4])
    report = verify_chain()
    assert report.first_bad_sequence == 4 and "missing" in report.problem


def test_verify_audit_exits_non_zero_when_tampered(chain, capsys):
    tamper("UPDATE identity_auditentry SET action = %s WHERE sequence = 1", ["something.else"])
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "verify_audit"])
    assert exited.value.code == 1
    assert "entry 1" in capsys.readouterr().err


def test_detail_is_stored_as_json(db):
    entry = record_audit(actor=None, action="x", detail={"when": datetime.date(2026, 1, 2)})
    entry.refresh_from_db()
    assert entry.detail == {"when": "2026-01-02"}
    assert verify_chain().intact
