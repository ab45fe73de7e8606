"""A first bulk load of the historic register sets aside the secondary indexes, the foreign keys
and the surname dictionary's trigger of the register and the index lines, and builds them once
afterwards (`registrar.historic`). What it set aside is written here first, in the transaction
that drops it, so a load that stops half-way is finished, and the indexes rebuilt, by the next
run. PostgreSQL only: SQLite loads keep every index."""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS registrar_set_aside_for_load (
    name text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('index', 'foreign key', 'trigger')),
    table_name text NOT NULL,
    definition text NOT NULL
)
"""
DROP = "DROP TABLE IF EXISTS registrar_set_aside_for_load"


def run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrar", "0017_index_scale_bulk_load")]

    operations = [migrations.RunPython(run(CREATE), run(DROP))]
