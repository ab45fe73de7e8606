"""The audit log is keyed and anchored (DESIGN.md invariant 7): each entry records the key id
it was chained with ("" for the unkeyed entries already written), checkpoints are indexed in a
table, and on PostgreSQL the database itself refuses to change, delete or truncate either table,
whatever code or console tries. SQLite relies on the models' save() and delete()."""

from django.db import migrations, models

APPEND_ONLY_TABLES = ["identity_auditentry", "identity_auditcheckpoint"]

CREATE = [
    """
    CREATE OR REPLACE FUNCTION identity_audit_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    # A superuser can disable any trigger anyway, so TRUNCATE is left to them (the test suite
    # empties tables between tests that way); the application's role is refused. Cutting the
    # log as a superuser is what the signed checkpoints outside the database catch.
    """
    CREATE OR REPLACE FUNCTION identity_audit_refuse_truncate() RETURNS trigger AS $$
    BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            RAISE EXCEPTION 'the audit log is append-only: TRUNCATE on % refused', TG_TABLE_NAME
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION identity_audit_refuse_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION identity_audit_refuse_truncate()",
        )
    ],
]
DROP = [
    *[
        statement
        for table in APPEND_ONLY_TABLES
        for statement in (
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        )
    ],
    "DROP FUNCTION IF EXISTS identity_audit_refuse_change()",
    "DROP FUNCTION IF EXISTS identity_audit_refuse_truncate()",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0007_knowledge_attempts"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sequence", models.PositiveBigIntegerField(unique=True)),
                ("entry_hash", models.CharField(max_length=64)),
                ("entry_count", models.PositiveBigIntegerField()),
                ("written_at", models.DateTimeField()),
                ("storage_name", models.CharField(max_length=200, unique=True)),
                ("signing_key_id", models.CharField(max_length=40)),
            ],
            options={
                "ordering": ["sequence"],
            },
        ),
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=40),
        ),
        migrations.RunPython(run(CREATE), run(DROP)),
    ]
