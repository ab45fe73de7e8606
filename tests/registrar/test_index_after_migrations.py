"""Migrating the register back and forward keeps the surname dictionary's trigger (0003): SQLite
rebuilds a table to drop a column, and a rebuilt table loses its triggers, so the sounds-like
search would stop finding surnames written after a migration back (migration 0010 puts it back)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certificates.selectors import matching_surname_keys
from tests.factories import RegisterOfficeFactory, make_entry

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def test_surnames_written_after_migrating_back_and_forward_are_found_by_sound():
    _migrate([("booking", "0006_officer_commitments"), ("registrar", "0007_interview_referral")])
    _migrate()  # every app's latest migration again, as later tests expect
    make_entry(district=RegisterOfficeFactory(), surname="Smyth")
    assert "SMYTH" in matching_surname_keys("SMITH")
