"""The audit log's head is exported as an Ed25519-signed checkpoint through the storage API, and
`verify_audit` checks the table against the stored checkpoints: a cut tail, a re-forged chain
and a forged checkpoint are all reported; integrators read the newest one and are told of each."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from identity import tasks
from identity.audit import (
    AuditCheckpointDocument,
    ChainBroken,
    _sign,
    checkpoint_name,
    keyed_entry_hash,
    record_audit,
    unkeyed_entry_hash,
    verify_chain,
    verify_checkpoints,
    write_checkpoint,
)
from identity.models import AuditCheckpoint, AuditEntry
from registrar.models import RegisterEvent, WebhookDelivery, WebhookSubscription
from tests.factories import StaffFactory, UserFactory, api_client

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
        "UPDATE identity_auditentry SET reason = %s, key_id = %s, previous_hash = %s, entry_hash = %s "
        "WHERE sequence = %s",
        [entry.reason, entry.key_id, entry.previous_hash, entry.entry_hash, entry.sequence],
    )


def reforge_as_unkeyed(*, from_sequence: int) -> None:
    """Rewrite entries from `from_sequence` on with the public SHA-256, relabelled as unkeyed."""
    before = AuditEntry.objects.filter(sequence=from_sequence - 1).first()
    previous = before.entry_hash if before else "0" * 64
    for entry in AuditEntry.objects.filter(sequence__gte=from_sequence).order_by("sequence"):
        entry.reason = "covering tracks"
        entry.key_id = ""
        entry.previous_hash = previous
        entry.entry_hash = unkeyed_entry_hash(entry)
        previous = entry.entry_hash
        rewrite(entry)


def verify_audit_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("verify_audit")


def record(count: int) -> list[AuditEntry]:
    staff, person = StaffFactory(), UserFactory()
    return [
        record_audit(actor=staff, action="case.viewed", subject=person, object_type="case", object_id=n)
        for n in range(count)
    ]


def stored(name: str) -> dict:
    with storages["audit_checkpoints"].open(name, "rb") as file:
        return json.loads(file.read())


def test_a_checkpoint_is_the_signed_head_of_the_chain_in_its_own_storage(settings):
    entries = record(3)
    result = write_checkpoint()
    assert result.written
    checkpoint = result.checkpoint
    assert checkpoint.storage_name == checkpoint_name(3)
    assert storages["audit_checkpoints"].exists(checkpoint.storage_name)
    document = stored(checkpoint.storage_name)
    fields = document["checkpoint"]
    assert fields["sequence"] == 3 and fields["entry_count"] == 3 and fields["legacy_through"] == 0
    assert fields["entry_hash"] == entries[-1].entry_hash
    # An integrator verifies with nothing but the public key and the canonical JSON.
    public = api_client(StaffFactory()).get("/api/v1/audit/checkpoints/latest").json()["public_keys"][0]
    signed = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public["public_key"])).verify(
        base64.b64decode(document["signature"]["value"]), signed
    )


def test_writing_a_checkpoint_twice_without_new_entries_writes_one():
    record(2)
    first = write_checkpoint()
    again = write_checkpoint()
    assert first.written and not again.written
    assert again.checkpoint == first.checkpoint
    assert AuditCheckpoint.objects.count() == 1
    assert storages["audit_checkpoints"].listdir("")[1] == [checkpoint_name(2)]
    record(1)
    assert write_checkpoint().checkpoint.sequence == 3
    assert AuditCheckpoint.objects.count() == 2


def test_checkpoint_rows_cannot_be_changed_or_deleted_through_the_orm():
    record(1)
    checkpoint = write_checkpoint().checkpoint
    checkpoint.entry_hash = "0" * 64
    with pytest.raises(ValidationError):
        checkpoint.save()
    with pytest.raises(ValidationError):
        checkpoint.delete()


def test_an_empty_log_has_nothing_to_checkpoint(capsys):
    assert write_checkpoint().checkpoint is None
    call_command("checkpoint_audit")
    assert "empty" in capsys.readouterr().out


def test_deleting_the_last_row_is_reported():
    record(5)
    write_checkpoint()
    tamper("DELETE FROM identity_auditentry WHERE sequence = %s", [5])
    assert verify_chain().intact  # the rest of the chain is consistent: only the checkpoint knows
    verify_audit_fails("the log was cut: it ends at entry 4 but checkpoint")
    report = verify_checkpoints(verify_chain())
    assert report.problems == [
        f"the log was cut: it ends at entry 4 but checkpoint {checkpoint_name(5)} (entry 5, written "
        f"{stored(checkpoint_name(5))['checkpoint']['written_at']}) vouches for 1 more"
    ]


def test_editing_a_row_and_recomputing_every_hash_with_the_public_sha256_is_reported():
    record(5)
    write_checkpoint()
    reforge_as_unkeyed(from_sequence=1)
    assert verify_chain().intact  # an all-unkeyed chain is consistent with itself
    verify_audit_fails("entry 5 was re-forged: its hash differs from checkpoint")


def test_re_forging_keyed_entries_as_unkeyed_after_a_seal_is_reported():
    record(3)
    reforge_as_unkeyed(from_sequence=1)  # as a database from before keying would hold them
    write_checkpoint()  # seals the unkeyed entries 1-3
    record(2)
    write_checkpoint()
    reforge_as_unkeyed(from_sequence=4)
    tamper("DELETE FROM identity_auditcheckpoint WHERE sequence = %s", [5])
    storages["audit_checkpoints"].delete(checkpoint_name(5))  # the write-once bucket would refuse
    verify_audit_fails("the unkeyed entries end at 5, not at 3")


def test_recomputing_every_hash_with_the_wrong_key_is_reported(settings):
    record(4)
    write_checkpoint()
    previous = "0" * 64
    for entry in AuditEntry.objects.order_by("sequence"):
        entry.previous_hash = previous
        entry.entry_hash = keyed_entry_hash(entry, key=b"not the key")
        previous = entry.entry_hash
        rewrite(entry)
    verify_audit_fails("entry 1: content does not match its keyed hash")
    # Had they known the key, the checkpoint still catches an edit: here the forger's key is "the key".
    settings.AUDIT_CHAIN_KEYS = {settings.AUDIT_CHAIN_KEY_ID: "not the key"}
    assert verify_chain().intact
    verify_audit_fails("entry 4 was re-forged")


def test_a_forged_checkpoint_is_reported(settings):
    record(3)
    write_checkpoint()
    forger = Ed25519PrivateKey.generate()
    fields = {**stored(checkpoint_name(3))["checkpoint"], "sequence": 2, "entry_count": 2}
    signature = forger.sign(json.dumps(fields, sort_keys=True, separators=(",", ":")).encode())
    body = {
        "checkpoint": fields,
        "signature": {
            "algorithm": "Ed25519",
            "key_id": fields["signing_key_id"],
            "value": base64.b64encode(signature).decode(),
        },
    }
    storages["audit_checkpoints"].save(checkpoint_name(9), ContentFile(json.dumps(body).encode()))
    verify_audit_fails(rf"checkpoint {checkpoint_name(9)}: the signature does not verify \(forged or altered\)")


def test_an_altered_checkpoint_is_reported():
    record(3)
    write_checkpoint()
    document = stored(checkpoint_name(3))
    document["checkpoint"]["sequence"] = 1
    storages["audit_checkpoints"].delete(checkpoint_name(3))
    storages["audit_checkpoints"].save(checkpoint_name(3), ContentFile(json.dumps(document).encode()))
    verify_audit_fails("the signature does not verify")


def test_a_checkpoint_signed_with_an_unknown_key_is_reported_and_a_retired_public_key_verifies(settings):
    record(2)
    write_checkpoint()
    old_public = api_client(StaffFactory()).get("/api/v1/audit/checkpoints/latest").json()["public_keys"][0]
    settings.AUDIT_CHECKPOINT_SIGNING_KEY = "2027:" + base64.b64encode(bytes(range(32))).decode()
    verify_audit_fails("signed with key 'dev', whose public key is not configured")
    settings.AUDIT_CHECKPOINT_PUBLIC_KEYS = {old_public["key_id"]: old_public["public_key"]}
    call_command("verify_audit")
    record(1)
    assert write_checkpoint().checkpoint.signing_key_id == "2027"
    call_command("verify_audit")


def test_a_checkpoint_is_never_written_over_a_tampered_chain():
    record(3)
    write_checkpoint()
    record(2)
    tamper("UPDATE identity_auditentry SET reason = %s WHERE sequence = %s", ["edited", 4])
    with pytest.raises(ChainBroken, match="entry 4"):
        write_checkpoint()
    with pytest.raises(CommandError, match="No checkpoint written: entry 4"):
        call_command("checkpoint_audit")
    assert AuditCheckpoint.objects.count() == 1


def test_a_checkpoint_stored_by_a_run_that_stopped_before_its_row_is_indexed_by_the_next():
    record(2)
    write_checkpoint()
    tamper("DELETE FROM identity_auditcheckpoint", [])
    again = write_checkpoint()
    assert not again.written and again.checkpoint.storage_name == checkpoint_name(2)
    assert storages["audit_checkpoints"].listdir("")[1] == [checkpoint_name(2)]


def test_a_stored_checkpoint_that_disagrees_with_the_table_is_never_indexed():
    record(2)
    write_checkpoint()
    record(1)
    stale = AuditCheckpointDocument(
        sequence=3,
        entry_hash="f" * 64,
        entry_count=3,
        legacy_through=0,
        written_at="2026-01-01T00:00:00+00:00",
        signing_key_id="dev",
    )
    storages["audit_checkpoints"].save(checkpoint_name(3), ContentFile(_sign(stale)))
    with pytest.raises(ChainBroken, match="vouches for another entry 3"):
        write_checkpoint()
    verify_audit_fails("entry 3 was re-forged")


def test_deleting_the_checkpoint_rows_hides_nothing():
    record(3)
    write_checkpoint()
    tamper("DELETE FROM identity_auditentry WHERE sequence = %s", [3])
    tamper("DELETE FROM identity_auditcheckpoint", [])
    verify_audit_fails("the log was cut")
    # Nor is a cut chain ever vouched for by a newer checkpoint.
    record(1)
    with pytest.raises(ChainBroken, match="entry 3 is missing or differs"):
        write_checkpoint()


def test_a_checkpoint_file_missing_from_storage_is_reported():
    record(3)
    write_checkpoint()
    storages["audit_checkpoints"].delete(checkpoint_name(3))
    verify_audit_fails(f"the checkpoint table names {checkpoint_name(3)}, which the checkpoint storage lacks")


def test_verify_audit_checks_the_table_against_the_checkpoints(capsys):
    record(3)
    call_command("verify_audit")
    assert "No checkpoint yet" in capsys.readouterr().out
    call_command("checkpoint_audit")
    assert "Checkpoint written at entry 3" in capsys.readouterr().out
    call_command("checkpoint_audit")
    assert "No new entries since the checkpoint at entry 3" in capsys.readouterr().out
    call_command("verify_audit")
    assert "3 entries verified against 1 checkpoint." in capsys.readouterr().out


def test_the_beat_writes_a_checkpoint_every_interval(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["checkpoint-audit-log"]
    assert entry["task"] == "identity.tasks.checkpoint_audit_log"
    assert entry["schedule"] == settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS == 300
    record(2)
    assert tasks.checkpoint_audit_log.delay().get() == 2
    assert tasks.checkpoint_audit_log.delay().get() == 2
    assert AuditCheckpoint.objects.count() == 1


def test_each_new_checkpoint_is_announced_to_subscribed_integrators(django_capture_on_commit_callbacks):
    wants = WebhookSubscription.objects.create(
        integrator="Archive", url="https://archive.example/hook", secret="s" * 32, events=["audit_checkpoint"]
    )
    WebhookSubscription.objects.create(
        integrator="Council", url="https://council.example/hook", secret="s" * 32, events=["registered"]
    )
    record(2)
    with django_capture_on_commit_callbacks() as callbacks:
        checkpoint = write_checkpoint().checkpoint
        write_checkpoint()
    event = RegisterEvent.objects.get(kind="audit_checkpoint")
    body = json.loads(event.body)
    assert body["checkpoint"] == stored(checkpoint.storage_name)
    assert body["id"] == str(event.event_id)
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [wants.pk]
    assert len(callbacks) == 1


def test_integrators_and_staff_read_the_newest_checkpoint_and_citizens_cannot():
    staff_client = api_client(StaffFactory())
    missing = staff_client.get("/api/v1/audit/checkpoints/latest")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    record(2)
    write_checkpoint()
    record(1)
    write_checkpoint()
    response = staff_client.get("/api/v1/audit/checkpoints/latest")
    assert response.status_code == 200
    body = response.json()
    assert body["storage_name"] == checkpoint_name(3)
    assert body["checkpoint"] == stored(checkpoint_name(3))["checkpoint"]
    assert body["signature"]["algorithm"] == "Ed25519" and body["public_keys"][0]["key_id"] == "dev"
    assert api_client(UserFactory()).get("/api/v1/audit/checkpoints/latest").status_code == 403
    assert api_client().get("/api/v1/audit/checkpoints/latest").status_code == 401


def test_a_new_signing_key_can_be_made_and_used(settings, capsys):
    call_command("checkpoint_audit", "--new-signing-key", "2027")
    out = capsys.readouterr().out
    value = out.splitlines()[0].removeprefix("AUDIT_CHECKPOINT_SIGNING_KEY=")
    assert value.startswith("2027:") and "public key" in out
    settings.AUDIT_CHECKPOINT_SIGNING_KEY = value
    record(1)
    assert write_checkpoint().checkpoint.signing_key_id == "2027"
    call_command("verify_audit")
