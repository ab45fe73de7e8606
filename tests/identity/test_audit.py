"""The audit log is append-only and hash-chained; `manage.py verify_audit` finds the first
entry that was edited, deleted or reordered."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from identity.audit import GENESIS_HASH, _entry_hash, record_audit, verify_chain
from identity.management.commands.verify_audit import Command
from identity.models import AuditEntry
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


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
    AuditEntry.objects.filter(sequence=3).update(detail={"n": 99})
    report = verify_chain()
    assert report.first_bad_sequence == 3 and "content" in report.problem
    with pytest.raises(CommandError, match="entry 3"):
        call_command("verify_audit")


def test_edited_entry_with_recomputed_hash_breaks_the_next_link(chain):
    entry = AuditEntry.objects.get(sequence=2)
    entry.reason = "covering tracks"
    AuditEntry.objects.filter(pk=entry.pk).update(reason=entry.reason, entry_hash=_entry_hash(entry))
    assert verify_chain().first_bad_sequence == 3


def test_deleted_entry_is_reported(chain):
    AuditEntry.objects.filter(sequence=4).delete()  # queryset delete bypasses the model guard
    report = verify_chain()
    assert report.first_bad_sequence == 4 and "missing" in report.problem


def test_deleted_last_entry_is_caught_by_the_next_write(chain):
    AuditEntry.objects.filter(sequence=5).delete()
    # Truncating the tail is only detectable once a new entry links to the real head;
    # the chain stays internally consistent until then, which verify reports as intact.
    assert verify_chain().intact
    newest = record_audit(actor=None, action="system.check")
    assert newest.sequence == 5


def test_verify_audit_exits_non_zero_when_tampered(chain, capsys):
    AuditEntry.objects.filter(sequence=1).update(action="something.else")
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "verify_audit"])
    assert exited.value.code == 1
    assert "entry 1" in capsys.readouterr().err


def test_detail_is_stored_as_json(db):
    entry = record_audit(actor=None, action="x", detail={"when": datetime.date(2026, 1, 2)})
    entry.refresh_from_db()
    assert entry.detail == {"when": "2026-01-02"}
    assert verify_chain().intact
