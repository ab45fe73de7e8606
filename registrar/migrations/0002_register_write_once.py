"""On PostgreSQL the database itself refuses to change or delete a row of the register (entries,
their corrections and index lines), whatever code or console tries: DESIGN.md invariant 1.
Also the trigram index behind fuzzy surname search. SQLite relies on the models' save()."""

from django.db import migrations

WRITE_ONCE_TABLES = ["registrar_registerentry", "registrar_entrycorrection", "registrar_indexname"]

CREATE = [
    """
    CREATE OR REPLACE FUNCTION registrar_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the register is written once: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        f"CREATE TRIGGER {table}_write_once BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION registrar_refuse_change()"
        for table in WRITE_ONCE_TABLES
    ],
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX indexname_surname_trigram ON registrar_indexname USING gin (surname_key gin_trgm_ops)",
]
DROP = [
    "DROP INDEX IF EXISTS indexname_surname_trigram",
    *[f"DROP TRIGGER IF EXISTS {table}_write_once ON {table}" for table in WRITE_ONCE_TABLES],
    "DROP FUNCTION IF EXISTS registrar_refuse_change()",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrar", "0001_register")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
