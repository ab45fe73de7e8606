"""Index lines load in bulk (COPY, a year at a time) at national scale: the surname dictionary is
kept by one statement-level trigger that adds the distinct new surnames of each insert, instead
of one trigger call per line; and the trigram index of the index lines themselves goes, as the
sounds-like search reads the dictionary's trigram index (migration 0003), never this one, while
every inserted line paid to keep it."""

from django.db import migrations

POSTGRES = [
    "DROP TRIGGER IF EXISTS registrar_indexname_surnames ON registrar_indexname",
    """
    CREATE OR REPLACE FUNCTION registrar_index_surnames_add() RETURNS trigger AS $$
    BEGIN
        INSERT INTO registrar_indexsurname (surname_key, surname_phonetic)
        SELECT DISTINCT ON (surname_key) surname_key, surname_phonetic FROM new_lines
        ON CONFLICT (surname_key) DO NOTHING;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER registrar_indexname_surnames AFTER INSERT ON registrar_indexname "
    "REFERENCING NEW TABLE AS new_lines FOR EACH STATEMENT EXECUTE FUNCTION registrar_index_surnames_add()",
    "DROP INDEX IF EXISTS indexname_surname_trigram",
]
POSTGRES_BACK = [
    "CREATE INDEX IF NOT EXISTS indexname_surname_trigram ON registrar_indexname USING gin (surname_key gin_trgm_ops)",
    "DROP TRIGGER IF EXISTS registrar_indexname_surnames ON registrar_indexname",
    "DROP FUNCTION IF EXISTS registrar_index_surnames_add()",
    "CREATE TRIGGER registrar_indexname_surnames AFTER INSERT ON registrar_indexname "
    "FOR EACH ROW EXECUTE FUNCTION registrar_index_surname_add()",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrar", "0016_merge_welsh_messages")]

    operations = [migrations.RunPython(run(POSTGRES), run(POSTGRES_BACK))]
