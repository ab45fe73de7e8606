"""Migrating the register back to 0009 (before the five branches of 0010 and their merges) and
forward again works, and leaves the database schema exactly as it was: on SQLite, undoing a
migration that drops a column rebuilds the table from the state Django computed, and a wrong
order of undoing sibling migrations once put back columns another migration had just dropped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from registrar.models import Registration
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

STAFF_MADE_COLUMNS = {"assisted_session_id", "made_by_id", "declared_at", "declaration_method"}


def _migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())


def _schema() -> dict[str, object]:
    """Every table's columns, indexes, foreign keys, constraints and triggers, in no particular
    order (a rebuilt SQLite table lists its columns in another order, which is no difference)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            tables = [row[0] for row in cursor.fetchall()]
            schema: dict[str, object] = {}
            for table in tables:
                quoted = connection.ops.quote_name(table)
                columns = {row[1:] for row in cursor.execute(f"PRAGMA table_info({quoted})").fetchall()}
                foreign_keys = {row[2:5] for row in cursor.execute(f"PRAGMA foreign_key_list({quoted})").fetchall()}
                indexes = set()
                for _, name, unique, *_ in cursor.execute(f"PRAGMA index_list({quoted})").fetchall():
                    indexed = cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})").fetchall()
                    # SQLite's own names for unnamed unique indexes differ after a rebuild.
                    indexes.add((None if name.startswith("sqlite_autoindex") else name, unique, tuple(indexed)))
                schema[table] = (columns, foreign_keys, indexes)
            cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            schema["triggers"] = set(cursor.fetchall())
            return schema
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns "
            "WHERE table_schema = current_schema()"
        )
        columns = set(cursor.fetchall())
        cursor.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace"
        )
        constraints = set(cursor.fetchall())
        cursor.execute(
            "SELECT event_object_table, trigger_name, event_manipulation, action_statement "
            "FROM information_schema.triggers WHERE trigger_schema = current_schema()"
        )
        triggers = set(cursor.fetchall())
        return {"columns": columns, "indexes": indexes, "constraints": constraints, "triggers": triggers}


def _registration_columns() -> set[str]:
    with connection.cursor() as cursor:
        return {
            column.name for column in connection.introspection.get_table_description(cursor, "registrar_registration")
        }


def test_migrating_the_register_back_to_0009_and_forward_leaves_the_schema_as_it_was():
    before = _schema()
    try:
        _migrate([("registrar", "0009_new_registers")])
        assert not _registration_columns() & (STAFF_MADE_COLUMNS | {"stillbirth_certificate_id"})
    finally:
        _migrate()  # every app's latest migration again, as later tests expect
    assert _schema() == before
    # The rebuilt table takes and gives back a registration with every column.
    registration = RegistrationFactory(declaration_method="online")
    assert Registration.objects.get(pk=registration.pk).declaration_method == "online"
