"""Index search at national scale: a dictionary of the distinct surnames in the index (with
their sounds-like codes), kept by a database trigger on every new index line, so that a
sounds-like or misspelt surname is first resolved to the few real surnames it matches (trigram
GIN index on a small table) and the index is then read through its b-tree on exact keys.
Scanning the trigram index of the index lines themselves reads far too many rows at 1M+ entries."""

from django.db import migrations

POSTGRES = [
    """
    CREATE TABLE registrar_indexsurname (
        surname_key varchar(200) PRIMARY KEY,
        surname_phonetic varchar(40) NOT NULL
    )
    """,
    "CREATE INDEX indexsurname_phonetic ON registrar_indexsurname (surname_phonetic)",
    "CREATE INDEX indexsurname_trigram ON registrar_indexsurname USING gin (surname_key gin_trgm_ops)",
    """
    CREATE OR REPLACE FUNCTION registrar_index_surname_add() RETURNS trigger AS $$
    BEGIN
        INSERT INTO registrar_indexsurname (surname_key, surname_phonetic)
        VALUES (NEW.surname_key, NEW.surname_phonetic)
        ON CONFLICT (surname_key) DO NOTHING;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER registrar_indexname_surnames AFTER INSERT ON registrar_indexname "
    "FOR EACH ROW EXECUTE FUNCTION registrar_index_surname_add()",
    "INSERT INTO registrar_indexsurname (surname_key, surname_phonetic) "
    "SELECT DISTINCT surname_key, surname_phonetic FROM registrar_indexname ON CONFLICT DO NOTHING",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS registrar_indexname_surnames ON registrar_indexname",
    "DROP FUNCTION IF EXISTS registrar_index_surname_add()",
    "DROP TABLE IF EXISTS registrar_indexsurname",
]
SQLITE = [
    """
    CREATE TABLE registrar_indexsurname (
        surname_key varchar(200) NOT NULL PRIMARY KEY,
        surname_phonetic varchar(40) NOT NULL
    )
    """,
    "CREATE INDEX indexsurname_phonetic ON registrar_indexsurname (surname_phonetic)",
    """
    CREATE TRIGGER registrar_indexname_surnames AFTER INSERT ON registrar_indexname
    BEGIN
        INSERT OR IGNORE INTO registrar_indexsurname (surname_key, surname_phonetic)
        VALUES (NEW.surname_key, NEW.surname_phonetic);
    END
    """,
    "INSERT OR IGNORE INTO registrar_indexsurname (surname_key, surname_phonetic) "
    "SELECT DISTINCT surname_key, surname_phonetic FROM registrar_indexname",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS registrar_indexname_surnames",
    "DROP TABLE IF EXISTS registrar_indexsurname",
]


def run(postgres, sqlite):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        statements = postgres if vendor == "postgresql" else sqlite if vendor == "sqlite" else []
        for statement in statements:
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("registrar", "0002_register_write_once")]

    operations = [migrations.RunPython(run(POSTGRES, SQLITE), run(POSTGRES_DROP, SQLITE_DROP))]
